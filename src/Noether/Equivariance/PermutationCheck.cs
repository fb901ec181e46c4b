using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>The permutation-equivariance error of a function of sets or graphs of any size, under seeded random
/// permutations of the element axis.</summary>
/// <remarks>
/// A front-end of the one checker (<see cref="EquivarianceCheck"/>) for a function of one tensor whose element axes
/// are given by number: the input is a <see cref="PermutationType"/> over <c>inputAxes</c>, the output one over
/// <c>outputAxes</c> (an <see cref="InvariantType"/> when there are none), the permutations are
/// <see cref="PermutationSymmetry"/>'s draws. The error is DESIGN.md's ‖f(π·x) − π·f(x)‖ / (‖π·f(x)‖ + ε) per batch
/// entry, compared in float64. π acts on an axis by x' = x.index_select(axis, π) (element i of π·x is element π(i) of x).
/// </remarks>
public static class PermutationCheck
{
    /// <summary>Checks f on <paramref name="inputs"/> (batch, ...), permuting <paramref name="inputAxes"/> of the input
    /// and <paramref name="outputAxes"/> of the output (empty: invariance) by the same random π per draw.</summary>
    /// <param name="f">the function; must not dispose its input.</param>
    /// <param name="inputs">a batch, (batch, ...).</param>
    /// <param name="inputAxes">axes of the input of one common length n that π permutes (never 0).</param>
    /// <param name="outputAxes">axes of the output that π permutes (never 0); empty for invariance.</param>
    /// <param name="permutations">how many random π (≥ 1).</param>
    /// <param name="seed">the seed of the π.</param>
    public static EquivarianceReport Run(Func<Tensor, Tensor> f, Tensor inputs, IReadOnlyList<int> inputAxes, IReadOnlyList<int> outputAxes,
        int permutations = 8, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inputAxes);
        ArgumentNullException.ThrowIfNull(outputAxes);
        if (inputAxes.Count == 0 || inputAxes.Any(a => a < 1 || a >= inputs.dim()))
            throw new ArgumentException($"Input axes must be non-batch axes of a {inputs.dim()}-d input; got [{string.Join(", ", inputAxes)}].", nameof(inputAxes));
        long n = inputs.shape[inputAxes[0]];
        if (inputAxes.Any(a => inputs.shape[a] != n))
            throw new ArgumentException($"Permuted axes must have one length; got shape [{string.Join(", ", inputs.shape)}].", nameof(inputAxes));
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "Expected ≥ 1.");
        long[] outputShape;
        using (no_grad())
        using (var probe = f(inputs)) outputShape = probe.shape;
        foreach (var axis in outputAxes)
            if (axis < 1 || axis >= outputShape.Length || outputShape[axis] != n)
                throw new ArgumentException($"Output axis {axis} of shape [{string.Join(", ", outputShape)}] is not a permuted axis of length {n}.", nameof(outputAxes));
        var input = new PermutationType(Free(inputs.shape, inputAxes), inputAxes);
        ITensorType output = outputAxes.Count == 0 ? new InvariantType(PermutationSymmetry.Instance) : new PermutationType(Free(outputShape, outputAxes), outputAxes);
        return EquivarianceCheck.Run(xs => new[] { f(xs[0]) }, new ITensorType[] { input }, new[] { output }, new[] { inputs },
            PermutationSymmetry.Instance.Draw(permutations, seed));
    }

    /// <summary>The non-batch axes of <paramref name="shape"/> with the permuted ones marked free (−1).</summary>
    private static long[] Free(long[] shape, IReadOnlyList<int> axes) =>
        shape.Skip(1).Select((length, i) => axes.Contains(i + 1) ? -1 : length).ToArray();

    /// <summary>A uniformly random permutation of 0..n−1 (Fisher–Yates on <paramref name="random"/>).</summary>
    public static long[] RandomPermutation(int n, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var order = new long[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
