using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>A graph's edge index (2, edges) of node numbers, relabelled when the nodes are permuted: node j of the
/// old numbering becomes π⁻¹(j), so that edge (s, t) of G is edge (π⁻¹(s), π⁻¹(t)) of π·G.</summary>
/// <remarks>The number of nodes n is the largest index + 1 unless given (isolated trailing nodes need it); no batch
/// axis. Symmetry: <see cref="PermutationSymmetry"/>. Edges are relabelled but not reordered, since message passing
/// sums over them (PyG's helper permutes edges only; Noether permutes nodes, STYLE.md §5).</remarks>
public sealed class EdgeIndexType : ITensorType, IEquatable<EdgeIndexType>
{
    /// <summary>An edge index of a graph with <paramref name="nodes"/> nodes (null: largest index + 1).</summary>
    public EdgeIndexType(long? nodes = null)
    {
        if (nodes is < 1) throw new ArgumentOutOfRangeException(nameof(nodes), nodes, "Expected ≥ 1 node.");
        Nodes = nodes;
    }

    /// <summary>The number of nodes, or null to take the largest index + 1.</summary>
    public long? Nodes { get; }

    /// <inheritdoc />
    public Symmetry Symmetry => PermutationSymmetry.Instance;

    /// <inheritdoc />
    public bool HasBatchAxis => false;

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (t is not PermutationTransformation p)
            throw new ArgumentException($"Edge indices need a permutation; got '{t}' ({t?.GetType().Name}).", nameof(t));
        if (x.dim() != 2 || x.shape[0] != 2)
            throw new ArgumentException($"Expected an edge index (2, edges); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var edges = x.to_type(ScalarType.Int64);
        long n = Nodes ?? (edges.numel() == 0 ? 1 : edges.max().ToInt64Checked() + 1);
        var inverse = tensor(p.Inverse(n), ScalarType.Int64, x.device);
        return inverse.index_select(0, edges.flatten()).reshape(edges.shape).to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A connected random graph on <paramref name="size"/> nodes: a ring in both directions plus one random
    /// edge out of every node (so node size − 1 is always present).</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        using var scope = NewDisposeScope();
        var nodes = arange(size, dtype: ScalarType.Int64);
        var next = (nodes + 1).remainder(size);
        var random = randint(0, size, new long[] { size }, dtype: ScalarType.Int64, generator: generator);
        var source = cat(new[] { nodes, next, nodes });
        var target = cat(new[] { next, nodes, random });
        return stack(new[] { source, target }).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public bool Equals(EdgeIndexType? other) => other is not null && other.Nodes == Nodes;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EdgeIndexType e && Equals(e);
    /// <inheritdoc />
    public override int GetHashCode() => Nodes.GetHashCode();
    /// <inheritdoc />
    public override string ToString() => "edge index [2, edges]";
}
