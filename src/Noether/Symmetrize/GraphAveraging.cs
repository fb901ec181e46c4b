using Noether.Nn.Graphs;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>Symmetrizes a graph-level model over node relabellings: f̄(G) = (1/K) Σ_k f(π_k G), with K fresh random
/// permutations of the batch's nodes per call (edges relabelled with them), from a seeded generator.</summary>
/// <remarks>Monte Carlo group averaging over S_n (Murphy et al. 2019, relational pooling with sampled permutations):
/// invariant in expectation, error falling as 1/√K; a message-passing network (already invariant) is unchanged.
/// Shapes: a <see cref="GraphBatch"/> → the wrapped model's per-graph output (graphs, ...).</remarks>
public sealed class GraphAveraging : Module<GraphBatch, Tensor>
{
    private readonly Module<GraphBatch, Tensor> _inner;
    private readonly Random _random;

    /// <summary>Averages <paramref name="inner"/> over <paramref name="samples"/> random relabellings per call.</summary>
    public GraphAveraging(Module<GraphBatch, Tensor> inner, int samples, int seed) : base(nameof(GraphAveraging))
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Samples = SampledAverage.Check(samples, nameof(samples));
        _random = new Random(seed);
        RegisterComponents();
    }

    /// <summary>Relabellings per call.</summary>
    public int Samples { get; }

    /// <inheritdoc />
    public override Tensor forward(GraphBatch graphs)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        for (int k = 0; k < Samples; k++)
        {
            var permutation = Enumerable.Range(0, (int)graphs.NodeCount).Select(i => (long)i).ToArray();
            for (int i = permutation.Length - 1; i > 0; i--)
            {
                int j = _random.Next(i + 1);
                (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
            }
            var y = _inner.forward(graphs.Permute(permutation));
            sum = sum is null ? y : sum + y;
        }
        return (sum! / Samples).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GraphAveraging({Samples} relabellings, {_inner})";
}
