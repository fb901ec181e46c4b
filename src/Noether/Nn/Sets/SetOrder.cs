using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Sets;

/// <summary>Reorderings of padded sets: real elements first, and random permutations of the real elements
/// (the <c>augment</c> strategy).</summary>
public static class SetOrder
{
    /// <summary>Moves each row's real elements to the front, keeping their order (a stable sort on the mask).</summary>
    public static SetBatch PaddingLast(SetBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var order = batch.Mask.logical_not().to_type(ScalarType.Int32).sort(1, false, true).Indices;
        return Gather(batch, order, scope);
    }

    /// <summary>Shuffles each row's real elements uniformly at random (padding stays last), drawing from <paramref name="generator"/>.</summary>
    public static SetBatch Shuffle(SetBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var keys = rand(batch.Mask.shape, generator: generator, device: batch.Mask.device) + batch.Mask.logical_not().to_type(ScalarType.Float32) * 2;
        return Gather(batch, keys.argsort(1), scope);
    }

    private static SetBatch Gather(SetBatch batch, Tensor order, DisposeScope scope)
    {
        var features = batch.Features.gather(1, order.unsqueeze(2).expand(batch.Features.shape));
        var mask = batch.Mask.gather(1, order);
        return new SetBatch(features.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }
}
