using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>Readouts: one vector per graph from its nodes' features, (graphs, features); invariant to node permutations.</summary>
public static class GlobalPool
{
    /// <summary>Σ of each graph's node features.</summary>
    public static Tensor Sum(Tensor nodes, Tensor membership, long graphCount) => Scatter.Sum(nodes, membership, graphCount);

    /// <summary>Mean of each graph's node features (0 for a graph without nodes).</summary>
    public static Tensor Mean(Tensor nodes, Tensor membership, long graphCount) => Scatter.Mean(nodes, membership, graphCount);

    /// <summary>Per-feature max of each graph's node features (0 for a graph without nodes).</summary>
    public static Tensor Max(Tensor nodes, Tensor membership, long graphCount) => Scatter.Max(nodes, membership, graphCount);
}
