using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Sets;

/// <summary>A batch of sets of different sizes in padded form: features (batch, maxSize, features) and a
/// boolean mask (batch, maxSize) that is true at real elements.</summary>
/// <remarks>
/// The padded form is what the set layers take (<c>forward(features, mask)</c>); <see cref="ToPacked"/> gives the
/// packed form (all elements stacked, with the index of the set each belongs to), which is what scatter-based
/// pooling and graph code use. Padding rows may sit anywhere, not only at the end: every layer reads the mask.
/// The tensors are not owned: they live in the dispose scope they were made in.
/// </remarks>
/// <example><code>var batch = SetBatch.Pad(new[] { torch.randn(3, 2), torch.randn(5, 2) });   // (2, 5, 2), mask (2, 5)</code></example>
public sealed class SetBatch
{
    /// <summary>Wraps padded features and their mask; checks that they agree.</summary>
    /// <param name="features">(batch, maxSize, features), floating point.</param>
    /// <param name="mask">(batch, maxSize), boolean, true at real elements.</param>
    public SetBatch(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        CheckMask(features, mask);
        Features = features;
        Mask = mask;
    }

    /// <summary>(batch, maxSize, features).</summary>
    public Tensor Features { get; }

    /// <summary>(batch, maxSize), true at real elements.</summary>
    public Tensor Mask { get; }

    /// <summary>The number of sets.</summary>
    public long Count => Features.shape[0];

    /// <summary>The sizes of the sets, (batch,) int64.</summary>
    public Tensor Sizes() => Mask.sum(1, type: ScalarType.Int64);

    /// <summary>Pads <paramref name="sets"/> (each (size_i, features), size_i ≥ 0) to the largest size; padding rows are zero.</summary>
    public static SetBatch Pad(IReadOnlyList<Tensor> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Count == 0) throw new ArgumentException("Expected at least one set.", nameof(sets));
        long features = sets[0].dim() == 2 ? sets[0].shape[1] : -1;
        for (int i = 0; i < sets.Count; i++)
            if (sets[i].dim() != 2 || sets[i].shape[1] != features)
                throw new ArgumentException($"Set {i} has shape [{string.Join(", ", sets[i].shape)}]; expected (size, {features}).", nameof(sets));
        long max = Math.Max(1, sets.Max(s => s.shape[0]));
        var x = zeros(new long[] { sets.Count, max, features }, sets[0].dtype, sets[0].device);
        var mask = zeros(new long[] { sets.Count, max }, ScalarType.Bool, sets[0].device);
        for (int i = 0; i < sets.Count; i++)
        {
            long n = sets[i].shape[0];
            if (n == 0) continue;
            x[i].narrow(0, 0, n).copy_(sets[i]);
            mask[i].narrow(0, 0, n).fill_(true);
        }
        return new SetBatch(x, mask);
    }

    /// <summary>The packed form: the real elements stacked (total, features) in batch order, and the set of each, (total,) int64.</summary>
    public PackedSets ToPacked()
    {
        using var scope = NewDisposeScope();
        var flatMask = Mask.reshape(-1);
        var features = Features.reshape(-1, Features.shape[2])[flatMask];
        var segment = arange(Count, ScalarType.Int64, Features.device).unsqueeze(1).expand(Mask.shape).reshape(-1)[flatMask];
        return new PackedSets(features.MoveToOuterDisposeScope(), segment.MoveToOuterDisposeScope(), Count);
    }

    /// <summary>One tensor (batch, maxSize, features + 1) whose last channel is the mask as 0/1, so a permutation of
    /// axis 1 moves features and mask together (how <see cref="Equivariance.PermutationCheck"/> tests masked layers).</summary>
    public Tensor ToTensor() => cat(new[] { Features, Mask.unsqueeze(2).to_type(Features.dtype) }, 2);

    /// <summary>The inverse of <see cref="ToTensor"/>.</summary>
    /// <param name="withMask">(batch, maxSize, features + 1), last channel 0/1.</param>
    public static SetBatch FromTensor(Tensor withMask)
    {
        ArgumentNullException.ThrowIfNull(withMask);
        if (withMask.dim() != 3 || withMask.shape[2] < 2)
            throw new ArgumentException($"Expected (batch, maxSize, features + 1); got [{string.Join(", ", withMask.shape)}].", nameof(withMask));
        long f = withMask.shape[2] - 1;
        return new SetBatch(withMask.narrow(2, 0, f), withMask.select(2, f) > 0.5);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="mask"/> is a boolean (batch, size)
    /// tensor matching the first two axes of <paramref name="features"/> (batch, size, ...).</summary>
    public static void CheckMask(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        if (features.dim() != 3)
            throw new ArgumentException($"Set features must be (batch, size, features); got [{string.Join(", ", features.shape)}].", nameof(features));
        if (mask.dtype != ScalarType.Bool)
            throw new ArgumentException($"The mask must be boolean; got {mask.dtype}.", nameof(mask));
        if (mask.dim() != 2 || mask.shape[0] != features.shape[0] || mask.shape[1] != features.shape[1])
            throw new ArgumentException(
                $"The mask must be (batch, size) = ({features.shape[0]}, {features.shape[1]}); got [{string.Join(", ", mask.shape)}].", nameof(mask));
    }
}
