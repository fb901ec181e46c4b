namespace Noether.Groups;

/// <summary>An element r^k f^s of C_N or D_N: the rotation by 2πk/N after the reflection f = diag(1, −1)
/// across the x-axis when <see cref="Reflection"/> is 1. As a matrix: R(2πk/N) · F^s.</summary>
public sealed class DihedralElement : GroupElement, IEquatable<DihedralElement>
{
    internal DihedralElement(Group group, int reflection, int rotation) : base(group)
    {
        Reflection = reflection;
        Rotation = rotation;
    }

    /// <summary>0 for a rotation, 1 for a reflection.</summary>
    public int Reflection { get; }

    /// <summary>k in 0..N−1: the rotation by 2πk/N.</summary>
    public int Rotation { get; }

    /// <inheritdoc />
    public bool Equals(DihedralElement? other) =>
        other is not null && other.Reflection == Reflection && other.Rotation == Rotation && other.Group.Equals(Group);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DihedralElement d && Equals(d);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Reflection, Rotation);
    /// <inheritdoc />
    public override string ToString() => Reflection == 0 ? $"r^{Rotation}" : $"r^{Rotation}f";
}
