using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>A real irreducible representation of a group, identified by its group and its index in
/// the group's canonical order (<see cref="Group.Irrep(int)"/>).</summary>
/// <remarks>Irreps are created by their groups, once each, and compare by (group, index).</remarks>
public sealed class Irrep : Representation, IEquatable<Irrep>
{
    /// <summary>Creates irrep number <paramref name="index"/> of <paramref name="group"/>; groups call this.</summary>
    /// <param name="group">the group.</param>
    /// <param name="index">its position in the group's canonical order (0 is the trivial irrep).</param>
    /// <param name="name">its canonical name (e.g. <c>"E1"</c>, <c>"1o"</c>, <c>"[2,1]"</c>).</param>
    /// <param name="dim">its dimension.</param>
    /// <param name="type">real, complex or quaternionic type.</param>
    /// <param name="bandLevel">frequency (SO(2), O(2)) or degree (SO(3), O(3)); 0 for finite groups.</param>
    /// <param name="matrix">g ↦ ψ(g).</param>
    public Irrep(Group group, int index, string name, int dim, IrrepType type, int bandLevel, Func<GroupElement, Matrix<double>> matrix)
        : base(group, name, dim, matrix, null, bandLevel)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Irrep index must be non-negative.");
        Index = index;
        Type = type;
        BandLevel = bandLevel;
    }

    /// <summary>The position in the group's canonical order; 0 is the trivial irrep.</summary>
    public int Index { get; }

    /// <summary>Real, complex or quaternionic type.</summary>
    public IrrepType Type { get; }

    /// <summary>The dimension of the algebra of matrices commuting with this irrep (1, 2 or 4).</summary>
    public int EndomorphismDim => (int)Type;

    /// <summary>Frequency for SO(2)/O(2), degree l for SO(3)/O(3), 0 for finite groups.</summary>
    public int BandLevel { get; }

    /// <summary>True for the one-dimensional trivial irrep.</summary>
    public new bool IsTrivial => Index == 0;

    internal RepresentationDecomposition SelfDecomposition() =>
        new(new[] { this }, Matrix<double>.Build.DenseIdentity(Dim));

    /// <inheritdoc />
    public bool Equals(Irrep? other) => other is not null && other.Index == Index && other.Group.Equals(Group);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Irrep i && Equals(i);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Group, Index);
    /// <inheritdoc />
    public override string ToString() => $"{Name} of {Group.Name} (dim {Dim})";
}
