using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Antialiased downsampling by 2: a fixed 3×3 binomial blur per channel, then 2×2 average pooling.</summary>
/// <remarks>
/// Both steps act on each channel alone and are symmetric under the square's symmetries, so on even
/// sizes (where the 2×2 blocks tile the image symmetrically about its centre) the layer commutes
/// exactly with rotations by 90° and flips of the image, and with the channel mixing of any field type.
/// Shapes: (batch, channels, H, W) → (batch, channels, H/2, W/2). Reference: Zhang 2019, "Making
/// convolutional networks shift-invariant again"; escnn's antialiased pooling.
/// </remarks>
public sealed class BlurPool : Module<Tensor, Tensor>
{
    /// <summary>Blur-and-pool for <paramref name="channels"/> channels.</summary>
    public BlurPool(int channels) : base(nameof(BlurPool))
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be ≥ 1.");
        Channels = channels;
        var taps = tensor(new float[] { 1, 2, 1 }) / 4;
        register_buffer("kernel", taps.outer(taps).expand(channels, 1, 3, 3).contiguous().DetachFromDisposeScope(), persistent: false);
    }

    /// <summary>The number of channels.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != Channels)
            throw new ArgumentException($"BlurPool expects (batch, {Channels}, H, W); got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var kernel = get_buffer("kernel")!.to(input.dtype, input.device);
        var blurred = functional.conv2d(input, kernel, padding: new long[] { 1, 1 }, groups: Channels);
        return functional.avg_pool2d(blurred, 2, 2).MoveToOuterDisposeScope();
    }
}
