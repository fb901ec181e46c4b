namespace Noether.Groups;

/// <summary>An element of a <see cref="Groups.Group"/>. Elements are immutable; compose them with
/// <c>*</c> (as matrices compose: <c>(a * b)</c> acts by <c>b</c> first, then <c>a</c>).</summary>
/// <remarks>Each group has its own element type (a rotation index, a permutation, a matrix); use the
/// group's methods to build elements, and <see cref="Group.AreClose"/> to compare elements of
/// continuous groups within a tolerance.</remarks>
public abstract class GroupElement
{
    /// <summary>Creates an element of <paramref name="group"/>.</summary>
    protected GroupElement(Group group) => Group = group ?? throw new ArgumentNullException(nameof(group));

    /// <summary>The group this element belongs to.</summary>
    public Group Group { get; }

    /// <summary>The inverse element.</summary>
    public GroupElement Inverse() => Group.Inverse(this);

    /// <summary>The group product <c>a · b</c>.</summary>
    public static GroupElement operator *(GroupElement a, GroupElement b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.Group.Compose(a, b);
    }
}
