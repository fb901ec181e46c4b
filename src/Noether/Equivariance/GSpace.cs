namespace Noether.Equivariance;

/// <summary>A space with a group acting on it (a "gspace"): the group acts both on the base space
/// (moving points) and, through field types, on the values at each point.</summary>
/// <remarks>Reference: escnn's <c>gspaces</c>. Concrete spaces: <see cref="GSpace2D"/> for images.</remarks>
public abstract class GSpace : IEquatable<GSpace>
{
    /// <summary>The group acting.</summary>
    public abstract Groups.Group Group { get; }

    /// <summary>Dimension of the base space (2 for images).</summary>
    public abstract int BaseDimension { get; }

    /// <summary>A readable name such as <c>"C8 on R²"</c>.</summary>
    public virtual string Name => $"{Group.Name} on R^{BaseDimension}";

    /// <inheritdoc />
    public bool Equals(GSpace? other) => other is not null && other.GetType() == GetType() && other.Group.Equals(Group) && other.BaseDimension == BaseDimension;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GSpace g && Equals(g);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Group, BaseDimension);
    /// <inheritdoc />
    public override string ToString() => Name;
}
