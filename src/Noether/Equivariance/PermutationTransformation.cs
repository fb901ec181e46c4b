namespace Noether.Equivariance;

/// <summary>A random permutation π of an axis of any length n (set elements, graph nodes), drawn from a seed: the
/// same draw gives the same π to every tensor of one check whose permuted axis has length n.</summary>
/// <remarks>π acts on an axis by x' = x.index_select(axis, π): element i of π·x is element π(i) of x
/// (<see cref="PermutationCheck"/>'s convention). Uniform over S_n (Fisher–Yates on <c>new Random(Seed)</c>).</remarks>
public sealed class PermutationTransformation : Transformation
{
    /// <summary>The permutation with number <paramref name="index"/> drawn from <paramref name="seed"/>.</summary>
    public PermutationTransformation(int seed, int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Expected ≥ 0.");
        Seed = seed;
        Index = index;
    }

    /// <summary>The seed of π.</summary>
    public int Seed { get; }

    /// <summary>Which draw this is (for its name).</summary>
    public int Index { get; }

    /// <inheritdoc />
    public override string Name => $"π#{Index}";

    /// <summary>π as an array of 0..n−1.</summary>
    public long[] Permutation(long n)
    {
        if (n < 1 || n > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(n), n, "Expected 1 ≤ n ≤ int.MaxValue.");
        return PermutationCheck.RandomPermutation((int)n, new Random(unchecked(Seed * 7919 + Index)));
    }

    /// <summary>π⁻¹: the new label of old element j is π⁻¹(j) (how edge indices are relabelled).</summary>
    public long[] Inverse(long n)
    {
        var pi = Permutation(n);
        var inverse = new long[pi.Length];
        for (int i = 0; i < pi.Length; i++) inverse[pi[i]] = i;
        return inverse;
    }
}
