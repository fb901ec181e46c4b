using Noether.Groups;

namespace Noether.Equivariance;

/// <summary>Local gauge symmetry of a lattice gauge theory: the checker draws seeded fields Ω(x) of Haar-random
/// elements of the gauge group, one per site (<see cref="GaugeFieldTransformation"/>).</summary>
public sealed class GaugeSymmetry : Symmetry
{
    /// <summary>The local symmetry of <paramref name="group"/>.</summary>
    public GaugeSymmetry(GaugeGroup group)
    {
        if (!Enum.IsDefined(group)) throw new ArgumentException($"Unknown gauge group {group}.", nameof(group));
        Group = group;
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <inheritdoc />
    public override string Name => $"{Group.Name()} gauge";

    /// <inheritdoc />
    public override IReadOnlyList<Transformation> Draw(int samples, int seed)
    {
        CheckSamples(samples);
        return Enumerable.Range(0, samples).Select(i => (Transformation)new GaugeFieldTransformation(Group, seed, i)).ToArray();
    }
}
