using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Sets;

/// <summary>How a set's elements are pooled into one vector: permutation invariant in every case.</summary>
public enum SetPooling
{
    /// <summary>Σ_i x_i (DeepSets' choice; counts grow with the set).</summary>
    Sum,
    /// <summary>(1/n) Σ_i x_i.</summary>
    Mean,
    /// <summary>max_i x_i, per feature.</summary>
    Max,
}

/// <summary>Masked pooling of padded sets.</summary>
public static class SetPool
{
    /// <summary>Pools (batch, size, features) over the real elements of <paramref name="mask"/> (batch, size) into
    /// (batch, features). An empty set pools to zero.</summary>
    public static Tensor Apply(Tensor features, Tensor mask, SetPooling mode)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        var m = mask.unsqueeze(2);
        Tensor result;
        switch (mode)
        {
            case SetPooling.Sum:
                result = features.masked_fill(m.logical_not(), 0).sum(1);
                break;
            case SetPooling.Mean:
                var count = mask.sum(1, type: features.dtype).clamp_min(1).unsqueeze(1);
                result = features.masked_fill(m.logical_not(), 0).sum(1) / count;
                break;
            case SetPooling.Max:
                var max = features.masked_fill(m.logical_not(), double.NegativeInfinity).amax(new long[] { 1 });
                var nonEmpty = mask.any(1, keepdim: true);
                result = max.masked_fill(nonEmpty.logical_not(), 0);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pooling.");
        }
        return result.MoveToOuterDisposeScope();
    }
}
