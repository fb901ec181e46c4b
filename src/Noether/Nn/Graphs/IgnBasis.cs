using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Graphs;

/// <summary>The bases of the permutation-equivariant linear maps between node tensors (order 1, (batch, n, c)) and
/// edge tensors (order 2, (batch, n, n, c)): 15 edge → edge maps, 5 node → edge maps, 5 edge → node maps
/// (Bell numbers b(4), b(3), b(3)), each applied channel-wise.</summary>
/// <remarks>
/// Each basis map is one way of equating or summing indices. Edge → edge, for A of shape (n, n):
/// 1 A_ij, 2 A_ji, 3 δ_ij A_ii, 4 Σ_k A_ik, 5 Σ_k A_kj, 6 Σ_k A_jk, 7 Σ_k A_ki, 8 A_ii, 9 A_jj, 10 Σ_kl A_kl, 11 Σ_k A_kk,
/// 12 δ_ij Σ_k A_ik, 13 δ_ij Σ_k A_ki, 14 δ_ij Σ_kl A_kl, 15 δ_ij Σ_k A_kk.
/// Node → edge, for x of length n: δ_ij x_i, x_i, x_j, Σ_k x_k, δ_ij Σ_k x_k.
/// Edge → node: A_ii, Σ_k A_ik, Σ_k A_ki, Σ_k A_kk, Σ_kl A_kl.
/// Sums are means (divided by n per summed index), which keeps each map equivariant and the scale independent of n.
/// Reference: Maron et al. 2019, "Invariant and Equivariant Graph Networks", section 3 and appendix.
/// </remarks>
public static class IgnBasis
{
    /// <summary>Number of edge → edge basis maps.</summary>
    public const int EdgeToEdgeCount = 15;
    /// <summary>Number of node → edge basis maps.</summary>
    public const int NodeToEdgeCount = 5;
    /// <summary>Number of edge → node basis maps.</summary>
    public const int EdgeToNodeCount = 5;

    /// <summary>The 15 edge → edge maps of A (batch, n, n, c), stacked: (batch, 15, n, n, c).</summary>
    public static Tensor EdgeToEdge(Tensor edges)
    {
        CheckEdges(edges);
        using var scope = NewDisposeScope();
        var (diag, rowSum, colSum, total, trace) = Contractions(edges);
        var maps = new[]
        {
            edges, edges.transpose(1, 2), OnDiagonal(diag),
            Rows(rowSum, edges), Columns(colSum, edges), Columns(rowSum, edges), Rows(colSum, edges),
            Rows(diag, edges), Columns(diag, edges),
            Everywhere(total, edges), Everywhere(trace, edges),
            OnDiagonal(rowSum), OnDiagonal(colSum), OnDiagonal(Everywhere(total, diag)), OnDiagonal(Everywhere(trace, diag)),
        };
        return stack(maps.Select(m => m.expand(edges.shape)).ToArray(), 1).MoveToOuterDisposeScope();
    }

    /// <summary>The 5 node → edge maps of x (batch, n, c), stacked: (batch, 5, n, n, c).</summary>
    public static Tensor NodeToEdge(Tensor nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.dim() != 3)
            throw new ArgumentException($"Node tensors must be (batch, n, channels); got [{string.Join(", ", nodes.shape)}].", nameof(nodes));
        using var scope = NewDisposeScope();
        long b = nodes.shape[0], n = nodes.shape[1], c = nodes.shape[2];
        var shape = new[] { b, n, n, c };
        var mean = nodes.mean(new long[] { 1 }, keepdim: true);    // (b, 1, c)
        var maps = new[]
        {
            OnDiagonal(nodes), nodes.unsqueeze(2).expand(shape), nodes.unsqueeze(1).expand(shape),
            mean.unsqueeze(1).expand(shape), OnDiagonal(mean.expand(b, n, c)),
        };
        return stack(maps, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The 5 edge → node maps of A (batch, n, n, c), stacked: (batch, 5, n, c).</summary>
    public static Tensor EdgeToNode(Tensor edges)
    {
        CheckEdges(edges);
        using var scope = NewDisposeScope();
        var (diag, rowSum, colSum, total, trace) = Contractions(edges);
        var maps = new[] { diag, rowSum, colSum, trace.expand(diag.shape), total.expand(diag.shape) };
        return stack(maps, 1).MoveToOuterDisposeScope();
    }

    /// <summary>diag (b, n, c); row and column means (b, n, c); total mean and trace mean (b, 1, c).</summary>
    private static (Tensor Diag, Tensor RowSum, Tensor ColSum, Tensor Total, Tensor Trace) Contractions(Tensor a)
    {
        var diag = a.diagonal(0, 1, 2).transpose(1, 2);
        var rowSum = a.mean(new long[] { 2 });
        var colSum = a.mean(new long[] { 1 });
        var total = a.mean(new long[] { 1, 2 }).unsqueeze(1);
        var trace = diag.mean(new long[] { 1 }, keepdim: true);
        return (diag, rowSum, colSum, total, trace);
    }

    /// <summary>B_ij = δ_ij v_i for v (b, n, c).</summary>
    private static Tensor OnDiagonal(Tensor v) => eye(v.shape[1], dtype: v.dtype, device: v.device).unsqueeze(2) * v.unsqueeze(2);

    /// <summary>B_ij = v_i.</summary>
    private static Tensor Rows(Tensor v, Tensor like) => v.unsqueeze(2).expand(like.shape);

    /// <summary>B_ij = v_j.</summary>
    private static Tensor Columns(Tensor v, Tensor like) => v.unsqueeze(1).expand(like.shape);

    /// <summary>s (b, 1, c) broadcast to the shape of <paramref name="like"/>.</summary>
    private static Tensor Everywhere(Tensor s, Tensor like) => like.dim() == 4 ? s.unsqueeze(1).expand(like.shape) : s.expand(like.shape);

    private static void CheckEdges(Tensor edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        if (edges.dim() != 4 || edges.shape[1] != edges.shape[2])
            throw new ArgumentException($"Edge tensors must be (batch, n, n, channels); got [{string.Join(", ", edges.shape)}].", nameof(edges));
    }
}
