using MathNet.Numerics.LinearAlgebra;

namespace Noether.Representations;

/// <summary>ρ(g) = Q · (⊕ᵢ Irreps[i](g)) · Qᵀ with Q = <see cref="ChangeOfBasis"/> orthogonal.</summary>
/// <param name="Irreps">the irreducible blocks, in order.</param>
/// <param name="ChangeOfBasis">the orthogonal Q; its column blocks span the copies of each irrep.</param>
public sealed record RepresentationDecomposition(IReadOnlyList<Irrep> Irreps, Matrix<double> ChangeOfBasis)
{
    /// <summary>Irreps with their multiplicities, in order of first appearance.</summary>
    public IReadOnlyList<(Irrep Irrep, int Multiplicity)> Multiplicities =>
        Irreps.GroupBy(i => i).Select(g => (g.Key, g.Count())).ToArray();

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(" ⊕ ", Multiplicities.Select(m => m.Multiplicity == 1 ? m.Irrep.Name : $"{m.Multiplicity}×{m.Irrep.Name}"));
}
