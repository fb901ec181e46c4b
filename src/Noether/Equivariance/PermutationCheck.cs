using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>The permutation-equivariance error of a function of sets or graphs of any size, under seeded random
/// permutations of the element axis.</summary>
/// <remarks>
/// The error is DESIGN.md's: ‖f(π·x) − π·f(x)‖ / (‖π·f(x)‖ + ε) per batch entry (norm over every other axis),
/// compared in float64, mean and max over entries and permutations. It exists beside <see cref="EquivarianceCheck"/>
/// because <see cref="Groups.SymmetricGroup"/> is built only up to S_8, while sets and graphs have tens to
/// thousands of elements; the arithmetic is the same (<see cref="RelativeErrors"/>).
/// π acts on an axis by x' = x.index_select(axis, π) (element i of π·x is element π(i) of x).
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
    public static PermutationReport Run(Func<Tensor, Tensor> f, Tensor inputs, IReadOnlyList<int> inputAxes, IReadOnlyList<int> outputAxes,
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
        var random = new Random(seed);
        var errors = new List<double>();
        var perElement = new List<ElementError>();
        double tolerance = inputs.dtype == ScalarType.Float64 ? Tolerance.Float64 : Tolerance.Float32;
        using (no_grad())
        {
            using var outer = NewDisposeScope();
            var fx = f(inputs).to_type(ScalarType.Float64);
            for (int p = 0; p < permutations; p++)
            {
                using var scope = NewDisposeScope();
                var pi = tensor(RandomPermutation((int)n, random), ScalarType.Int64, inputs.device);
                var gx = inputs;
                foreach (var axis in inputAxes) gx = gx.index_select(axis, pi);
                var gfx = fx;
                foreach (var axis in outputAxes)
                {
                    if (axis < 1 || axis >= fx.dim() || fx.shape[axis] != n)
                        throw new ArgumentException($"Output axis {axis} of shape [{string.Join(", ", fx.shape)}] is not a permuted axis of length {n}.", nameof(outputAxes));
                    gfx = gfx.index_select(axis, pi);
                }
                var relative = RelativeErrors(f(gx), gfx);
                errors.AddRange(relative);
                perElement.Add(PermutationReport.Entry(p, relative, tolerance));
            }
        }
        return new PermutationReport(errors.Average(), errors.Max(), permutations, (int)inputs.shape[0]) { PerElement = perElement, Tolerance = tolerance };
    }

    /// <summary>‖a − b‖ / (‖b‖ + ε) per entry of axis 0, in float64 (a = f(π·x), b = π·f(x)).</summary>
    public static double[] RelativeErrors(Tensor transformedThenF, Tensor fThenTransformed)
    {
        ArgumentNullException.ThrowIfNull(transformedThenF);
        ArgumentNullException.ThrowIfNull(fThenTransformed);
        if (!transformedThenF.shape.SequenceEqual(fThenTransformed.shape))
            throw new ArgumentException(
                $"f(π·x) has shape [{string.Join(", ", transformedThenF.shape)}] but π·f(x) has shape [{string.Join(", ", fThenTransformed.shape)}].",
                nameof(transformedThenF));
        using var scope = NewDisposeScope();
        var a = transformedThenF.to_type(ScalarType.Float64);
        var b = fThenTransformed.to_type(ScalarType.Float64);
        long batch = a.shape[0];
        var difference = (a - b).reshape(batch, -1).norm(1);
        var reference = b.reshape(batch, -1).norm(1);
        return (difference / (reference + EquivarianceCheck.Epsilon)).data<double>().ToArray();
    }

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
