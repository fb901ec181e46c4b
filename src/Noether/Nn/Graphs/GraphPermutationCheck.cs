using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>Node-permutation equivariance of a function of a <see cref="GraphBatch"/>: permute the nodes of the whole
/// batch (which also interleaves the graphs), relabel the edges, and compare with the permuted output.</summary>
/// <remarks>Uses <see cref="PermutationCheck.RelativeErrors"/> (DESIGN.md's relative error, float64). For node-level
/// outputs the whole (nodes, ...) output is one entry; for graph-level outputs each graph is one entry.</remarks>
public static class GraphPermutationCheck
{
    /// <summary>Node-level equivariance: f(π·G) = π·f(G) for f returning (nodes, ...).</summary>
    public static PermutationReport Equivariance(Func<GraphBatch, Tensor> f, GraphBatch graphs, int permutations = 8, int seed = 0) =>
        Run(f, graphs, nodeLevel: true, permutations, seed);

    /// <summary>Graph-level invariance: f(π·G) = f(G) for f returning (graphs, ...).</summary>
    public static PermutationReport Invariance(Func<GraphBatch, Tensor> f, GraphBatch graphs, int permutations = 8, int seed = 0) =>
        Run(f, graphs, nodeLevel: false, permutations, seed);

    private static PermutationReport Run(Func<GraphBatch, Tensor> f, GraphBatch graphs, bool nodeLevel, int permutations, int seed)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(graphs);
        if (permutations < 1) throw new ArgumentOutOfRangeException(nameof(permutations), permutations, "Expected ≥ 1.");
        var random = new Random(seed);
        var errors = new List<double>();
        var perElement = new List<ElementError>();
        using (no_grad())
        {
            using var outer = NewDisposeScope();
            var fx = f(graphs).to_type(ScalarType.Float64);
            for (int p = 0; p < permutations; p++)
            {
                using var scope = NewDisposeScope();
                var pi = PermutationCheck.RandomPermutation((int)graphs.NodeCount, random);
                var fgx = f(graphs.Permute(pi));
                var relative = nodeLevel
                    ? PermutationCheck.RelativeErrors(fgx.unsqueeze(0), fx.index_select(0, tensor(pi, ScalarType.Int64, fx.device)).unsqueeze(0))
                    : PermutationCheck.RelativeErrors(fgx, fx);
                errors.AddRange(relative);
                double max = relative.Max();
                perElement.Add(new ElementError(new DrawnTransformation($"π#{p}"), relative.Average(), max,
                    max <= Tolerance.Float32 ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate));
            }
        }
        return new PermutationReport(errors.Average(), errors.Max(), permutations, nodeLevel ? 1 : (int)graphs.GraphCount) { PerElement = perElement };
    }
}
