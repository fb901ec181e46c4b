namespace Noether.Representations;

/// <summary><see cref="Multiplicity"/> copies of one O(3) irrep: the term <c>"16x1o"</c> of an <see cref="Irreps"/>.</summary>
/// <param name="Multiplicity">number of copies, ≥ 0.</param>
/// <param name="Irrep">the irrep.</param>
public readonly record struct MulIrrep(int Multiplicity, O3Irrep Irrep)
{
    /// <summary>Multiplicity × (2l + 1).</summary>
    public int Dim => Multiplicity * Irrep.Dim;

    /// <summary>The canonical term, e.g. <c>"16x1o"</c>.</summary>
    public override string ToString() => $"{Multiplicity}x{Irrep}";
}
