using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>One graph: node features (nodes, features), directed edges (2, edges) int64 as [source; target], and
/// optional edge features (edges, edgeFeatures). An undirected edge is two directed ones.</summary>
/// <param name="Nodes">(nodes, features).</param>
/// <param name="EdgeIndex">(2, edges) int64, row 0 the sources, row 1 the targets, values in [0, nodes).</param>
/// <param name="EdgeFeatures">(edges, edgeFeatures) or null.</param>
public sealed record Graph(Tensor Nodes, Tensor EdgeIndex, Tensor? EdgeFeatures = null);
