using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Common;

/// <summary>Scatter reductions: rows of <c>source</c> (items, ...) grouped by <c>index</c> (items,) into
/// (count, ...) — the aggregation step of message passing (per target node) and of readouts (per graph).</summary>
/// <remarks>
/// Sum and mean use <c>index_add</c>. TorchSharp 0.107 has no <c>scatter_reduce</c>, so max scatters each item to
/// its rank within its group in a dense (count, largest group, ...) tensor and takes the max over that axis; the
/// gradient reaches the arg-max rows. Empty groups give 0. Softmax is over the items of each group (e.g. the
/// incoming edges of a node), shifted by the group's max for stability.
/// All are permutation equivariant: relabelling the groups permutes the output rows, reordering the items
/// changes nothing.
/// </remarks>
public static class Scatter
{
    /// <summary>out[g] = Σ_{i: index[i] = g} source[i].</summary>
    /// <param name="source">(items, ...).</param>
    /// <param name="index">(items,) int64 in [0, count).</param>
    /// <param name="count">rows of the output.</param>
    public static Tensor Sum(Tensor source, Tensor index, long count)
    {
        Check(source, index, count);
        var shape = source.shape.ToArray();
        shape[0] = count;
        return zeros(shape, source.dtype, source.device).index_add(0, index, source, 1);
    }

    /// <summary>out[g] = mean of source[i] over index[i] = g; 0 for an empty group.</summary>
    public static Tensor Mean(Tensor source, Tensor index, long count)
    {
        using var scope = NewDisposeScope();
        var sum = Sum(source, index, count);
        var counts = Counts(index, count, source.dtype).clamp_min(1);
        var shape = new long[sum.dim()];
        Array.Fill(shape, 1L);
        shape[0] = count;
        return (sum / counts.view(shape)).MoveToOuterDisposeScope();
    }

    /// <summary>out[g] = max of source[i] over index[i] = g (per feature); 0 for an empty group.</summary>
    public static Tensor Max(Tensor source, Tensor index, long count)
    {
        Check(source, index, count);
        using var scope = NewDisposeScope();
        long items = source.shape[0];
        var rest = source.shape.Skip(1).ToArray();
        if (items == 0) return zeros(new[] { count }.Concat(rest).ToArray(), source.dtype, source.device).MoveToOuterDisposeScope();
        var (sortedIndex, order) = index.sort(0, false, true);
        var sizes = bincount(index, null, count);
        var starts = sizes.cumsum(0L) - sizes;
        var rank = empty(items, ScalarType.Int64, source.device);
        rank.index_put_(arange(items, ScalarType.Int64, source.device) - starts.index_select(0, sortedIndex), order);
        long width = sizes.max().ToInt64Checked();
        var dense = full(new[] { count, width }.Concat(rest).ToArray(), double.NegativeInfinity, source.dtype, source.device);
        dense.index_put_(source, index, rank);
        var max = dense.amax(new long[] { 1 });
        var empty_ = (sizes == 0).view(new[] { count }.Concat(rest.Select(_ => 1L)).ToArray());
        return max.masked_fill(empty_, 0).MoveToOuterDisposeScope();
    }

    /// <summary>softmax of <paramref name="source"/> within each group: out[i] = exp(s_i) / Σ_{j: index[j] = index[i]} exp(s_j).</summary>
    /// <param name="source">(items, ...) scores, e.g. one per edge and head.</param>
    /// <param name="index">(items,) the group of each item, e.g. the edge's target node.</param>
    /// <param name="count">the number of groups.</param>
    public static Tensor Softmax(Tensor source, Tensor index, long count)
    {
        using var scope = NewDisposeScope();
        Tensor shift;
        using (no_grad()) shift = Max(source, index, count).index_select(0, index);   // softmax is shift invariant: no gradient needed
        var e = (source - shift).exp();
        var denominator = Sum(e, index, count).index_select(0, index);
        return (e / denominator).MoveToOuterDisposeScope();
    }

    /// <summary>The number of items per group, (count,) in <paramref name="dtype"/>.</summary>
    public static Tensor Counts(Tensor index, long count, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(index);
        using var scope = NewDisposeScope();
        return bincount(index, null, count).to_type(dtype).MoveToOuterDisposeScope();
    }

    private static void Check(Tensor source, Tensor index, long count)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(index);
        if (index.dtype != ScalarType.Int64 || index.dim() != 1 || source.dim() < 1 || index.shape[0] != source.shape[0])
            throw new ArgumentException(
                $"Expected source (items, ...) and an int64 index (items,); got [{string.Join(", ", source.shape)}] and {index.dtype} [{string.Join(", ", index.shape)}].",
                nameof(index));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Expected ≥ 0.");
    }
}
