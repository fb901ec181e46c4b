namespace Noether.Equivariance;

/// <summary>What a model is claimed to be symmetric under, and how the checker draws transformations of it: a
/// group (<see cref="GroupSymmetry"/>), permutations of a set or graph axis (<see cref="PermutationSymmetry"/>),
/// or local gauge transformations (<see cref="GaugeSymmetry"/>).</summary>
/// <remarks>Every <see cref="ITensorType"/> names its symmetry; the inputs and outputs of one module must share
/// it. Two symmetries are equal when they have the same kind and <see cref="Name"/>.</remarks>
public abstract class Symmetry : IEquatable<Symmetry>
{
    /// <summary>A name such as <c>"C8"</c>, <c>"O3"</c>, <c>"permutations"</c> or <c>"SU2 gauge"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Seeded transformations to check: all elements of a finite group of order ≤ <paramref name="samples"/>
    /// (else samples plus the generators), Haar samples of a continuous group, random permutations or gauge fields.</summary>
    /// <param name="samples">how many (≥ 1).</param>
    /// <param name="seed">their seed.</param>
    public abstract IReadOnlyList<Transformation> Draw(int samples, int seed);

    /// <inheritdoc />
    public bool Equals(Symmetry? other) => other is not null && other.GetType() == GetType() && other.Name == Name;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Symmetry s && Equals(s);
    /// <inheritdoc />
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for fewer than one sample.</summary>
    protected static void CheckSamples(int samples)
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one transformation is needed.");
    }
}
