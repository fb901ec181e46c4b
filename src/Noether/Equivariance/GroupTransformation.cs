using Noether.Groups;

namespace Noether.Equivariance;

/// <summary>A transformation that is an element g of a <see cref="Groups.Group"/>; every
/// <see cref="IGroupAction"/> realises it by <see cref="IGroupAction.Apply"/>.</summary>
public sealed class GroupTransformation : Transformation, IEquatable<GroupTransformation>
{
    /// <summary>Wraps <paramref name="element"/>.</summary>
    public GroupTransformation(GroupElement element) => Element = element ?? throw new ArgumentNullException(nameof(element));

    /// <summary>The group element g.</summary>
    public GroupElement Element { get; }

    /// <inheritdoc />
    public override string Name => Element.ToString() ?? Element.GetType().Name;

    /// <summary>The element of <paramref name="group"/> that <paramref name="t"/> is.</summary>
    /// <exception cref="ArgumentException"><paramref name="t"/> is not an element of <paramref name="group"/>.</exception>
    public static GroupElement ElementOf(Transformation t, Groups.Group group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (t is not GroupTransformation g)
            throw new ArgumentException($"An action of {group.Name} needs a group element; got the transformation '{t}' ({t?.GetType().Name}).", nameof(t));
        group.CheckMember(g.Element, nameof(t));
        return g.Element;
    }

    /// <inheritdoc />
    public bool Equals(GroupTransformation? other) => other is not null && other.Element.Equals(Element);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GroupTransformation g && Equals(g);
    /// <inheritdoc />
    public override int GetHashCode() => Element.GetHashCode();
}
