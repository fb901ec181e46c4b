using Noether.Groups;

namespace Noether.Equivariance;

/// <summary>Symmetry under a group: the checker draws every element of a finite group (or seeded samples plus the
/// generators when it is larger than the sample count) and seeded Haar samples of a continuous one
/// (<see cref="EquivarianceCheck.Elements"/>). For SO(2) and O(2), the rotations by multiples of 90° (and, for O(2),
/// their reflections) come first: they are the elements a pixel grid keeps exactly, so a check of image layers
/// always holds some exact elements.</summary>
public sealed class GroupSymmetry : Symmetry
{
    /// <summary>The symmetry of <paramref name="group"/>.</summary>
    public GroupSymmetry(Groups.Group group) => Group = group ?? throw new ArgumentNullException(nameof(group));

    /// <summary>The group.</summary>
    public Groups.Group Group { get; }

    /// <inheritdoc />
    public override string Name => Group.Name;

    /// <inheritdoc />
    public override IReadOnlyList<Transformation> Draw(int samples, int seed)
    {
        CheckSamples(samples);
        IEnumerable<Groups.GroupElement> lattice = Group switch
        {
            SO2Group so2 => Enumerable.Range(0, 4).Select(k => (Groups.GroupElement)so2.Rotation(k * Math.PI / 2)),
            O2Group o2 => Enumerable.Range(0, 8).Select(i => (Groups.GroupElement)o2.Element(i / 4, (i % 4) * Math.PI / 2)),
            _ => Array.Empty<Groups.GroupElement>(),
        };
        return lattice.Concat(EquivarianceCheck.Elements(Group, samples, seed)).Select(g => (Transformation)new GroupTransformation(g)).ToArray();
    }
}
