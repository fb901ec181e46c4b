using Noether.Representations;

namespace Noether.Groups;

/// <summary>The character table of a finite group over its real irreps: rows are irreps, columns
/// conjugacy classes; an irrep of complex type carries the real character χ + χ̄.</summary>
public sealed class CharacterTable
{
    /// <summary>Computes the table from the group's irreps.</summary>
    public CharacterTable(FiniteGroup group)
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        Classes = group.ConjugacyClasses;
        Irreps = group.Irreps;
        Values = new double[Irreps.Count, Classes.Count];
        for (int i = 0; i < Irreps.Count; i++)
            for (int c = 0; c < Classes.Count; c++)
                Values[i, c] = group.CharacterValue(Irreps[i], Classes[c]);
    }

    /// <summary>The group.</summary>
    public FiniteGroup Group { get; }

    /// <summary>The columns.</summary>
    public IReadOnlyList<ConjugacyClass> Classes { get; }

    /// <summary>The rows.</summary>
    public IReadOnlyList<Irrep> Irreps { get; }

    /// <summary>χ_irrep(class), indexed [irrep, class].</summary>
    public double[,] Values { get; }

    /// <summary>The class-weighted inner product ⟨χᵢ, χⱼ⟩ = |G|⁻¹ Σ_classes |C| χᵢ(C) χⱼ(C); for real irreps
    /// it is 0 for i ≠ j and 1, 2 or 4 (real, complex, quaternionic type) for i = j.</summary>
    public double InnerProduct(int i, int j)
    {
        double sum = 0;
        for (int c = 0; c < Classes.Count; c++) sum += Classes[c].Size * Values[i, c] * Values[j, c];
        return sum / Group.Order!.Value;
    }
}
