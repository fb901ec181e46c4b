using Noether.Nn.Common;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Sets;

/// <summary>A batch of sets in packed form: all elements stacked, (total, features), with the index of the set each
/// belongs to, (total,) int64 — the layout PyTorch Geometric uses for node sets.</summary>
/// <remarks>The tensors are not owned: they live in the dispose scope they were made in.</remarks>
public sealed class PackedSets
{
    /// <summary>Wraps packed elements; checks the segment vector.</summary>
    /// <param name="features">(total, features).</param>
    /// <param name="segment">(total,) int64, values in [0, count).</param>
    /// <param name="count">the number of sets (some may be empty).</param>
    public PackedSets(Tensor features, Tensor segment, long count)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(segment);
        if (features.dim() != 2)
            throw new ArgumentException($"Packed features must be (total, features); got [{string.Join(", ", features.shape)}].", nameof(features));
        if (segment.dtype != ScalarType.Int64 || segment.dim() != 1 || segment.shape[0] != features.shape[0])
            throw new ArgumentException(
                $"The segment vector must be int64 of shape ({features.shape[0]}); got {segment.dtype} [{string.Join(", ", segment.shape)}].", nameof(segment));
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Expected at least one set.");
        if (segment.numel() > 0 && (segment.min().ToInt64Checked() < 0 || segment.max().ToInt64Checked() >= count))
            throw new ArgumentException($"Segment indices must lie in [0, {count}); got [{segment.min().ToInt64Checked()}, {segment.max().ToInt64Checked()}].", nameof(segment));
        Features = features;
        Segment = segment;
        Count = count;
    }

    /// <summary>(total, features).</summary>
    public Tensor Features { get; }

    /// <summary>(total,) int64: the set of each element.</summary>
    public Tensor Segment { get; }

    /// <summary>The number of sets.</summary>
    public long Count { get; }

    /// <summary>Pools each set's elements into one vector, (count, features); an empty set pools to zero.</summary>
    public Tensor Pool(SetPooling mode)
    {
        return mode switch
        {
            SetPooling.Sum => Scatter.Sum(Features, Segment, Count),
            SetPooling.Mean => Scatter.Mean(Features, Segment, Count),
            SetPooling.Max => Scatter.Max(Features, Segment, Count),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pooling."),
        };
    }

    /// <summary>Back to the padded form, elements in their packed order within each set.</summary>
    public SetBatch ToPadded()
    {
        var sizes = bincount(Segment, null, Count).data<long>().ToArray();
        var order = Segment.sort(0, false, true).Indices;
        var sorted = Features.index_select(0, order);
        var sets = new List<Tensor>((int)Count);
        long start = 0;
        foreach (var n in sizes) { sets.Add(sorted.narrow(0, start, n)); start += n; }
        return SetBatch.Pad(sets);
    }
}
