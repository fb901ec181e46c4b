using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A plain (type-free) maximum over consecutive groups of channels: (batch, groups·size, H, W) →
/// (batch, groups, H, W). It is what <see cref="GroupPooling"/> of regular fields becomes after export.</summary>
public sealed class ChannelGroupMax : Module<Tensor, Tensor>
{
    /// <summary>Groups of <paramref name="size"/> channels, <paramref name="groups"/> of them.</summary>
    public ChannelGroupMax(int groups, int size) : base(nameof(ChannelGroupMax))
    {
        if (groups < 1 || size < 1) throw new ArgumentException($"Groups and size must be ≥ 1; got {groups} and {size}.");
        Groups = groups;
        Size = size;
    }

    /// <summary>The number of groups (output channels).</summary>
    public int Groups { get; }

    /// <summary>Channels per group.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        return input.reshape(input.shape[0], Groups, Size, input.shape[2], input.shape[3]).amax(new long[] { 2 }).MoveToOuterDisposeScope();
    }
}
