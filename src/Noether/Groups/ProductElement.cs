namespace Noether.Groups;

/// <summary>An element (a, b) of a direct product A × B.</summary>
public sealed class ProductElement : GroupElement, IEquatable<ProductElement>
{
    internal ProductElement(Group group, GroupElement left, GroupElement right) : base(group)
    {
        Left = left;
        Right = right;
    }

    /// <summary>The component in the first factor.</summary>
    public GroupElement Left { get; }

    /// <summary>The component in the second factor.</summary>
    public GroupElement Right { get; }

    /// <inheritdoc />
    public bool Equals(ProductElement? other) =>
        other is not null && other.Group.Equals(Group) && other.Left.Equals(Left) && other.Right.Equals(Right);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProductElement p && Equals(p);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Left, Right);
    /// <inheritdoc />
    public override string ToString() => $"({Left}, {Right})";
}
