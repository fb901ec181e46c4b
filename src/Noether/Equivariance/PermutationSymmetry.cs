namespace Noether.Equivariance;

/// <summary>Symmetry under permutations of a set's elements or a graph's nodes, of any number n: the checker
/// draws seeded uniform permutations (<see cref="PermutationTransformation"/>), realised for each tensor's length.</summary>
/// <remarks>Not a <see cref="Groups.Group"/>: S_n is built only up to <see cref="Groups.SymmetricGroup.MaxDegree"/>,
/// while sets and graphs have tens to thousands of elements.</remarks>
public sealed class PermutationSymmetry : Symmetry
{
    private PermutationSymmetry() { }

    /// <summary>The one instance.</summary>
    public static PermutationSymmetry Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "permutations";

    /// <inheritdoc />
    public override IReadOnlyList<Transformation> Draw(int samples, int seed)
    {
        CheckSamples(samples);
        return Enumerable.Range(0, samples).Select(i => (Transformation)new PermutationTransformation(seed, i)).ToArray();
    }
}
