namespace Noether.Groups;

/// <summary>An element of the symmetric group S_n: a <see cref="Groups.Permutation"/> of {0, …, n−1}.</summary>
public sealed class PermutationElement : GroupElement, IEquatable<PermutationElement>
{
    internal PermutationElement(Group group, Permutation permutation) : base(group) => Permutation = permutation;

    /// <summary>The permutation.</summary>
    public Permutation Permutation { get; }

    /// <inheritdoc />
    public bool Equals(PermutationElement? other) => other is not null && other.Permutation.Equals(Permutation) && other.Group.Equals(Group);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PermutationElement p && Equals(p);
    /// <inheritdoc />
    public override int GetHashCode() => Permutation.GetHashCode();
    /// <inheritdoc />
    public override string ToString() => Permutation.ToString();
}
