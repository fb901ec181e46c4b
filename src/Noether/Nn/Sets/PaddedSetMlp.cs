using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>Order-dependent baseline: an MLP on the flattened padded set (features and mask of every slot, up to a
/// fixed maximum size). Not permutation invariant.</summary>
/// <remarks>Shapes: features (batch, size ≤ maxSize, inputs), mask (batch, size) → (batch, outputs).</remarks>
/// <example><code>var mlp = new PaddedSetMlp(10, maxSize: 100, new[] { 128, 128 }, 1);</code></example>
public sealed class PaddedSetMlp : Module<Tensor, Tensor, Tensor>
{
    private readonly ElementwiseMlp mlp;

    /// <summary>Creates the model.</summary>
    public PaddedSetMlp(int inputs, int maxSize, IReadOnlyList<int> hidden, int outputs) : base(nameof(PaddedSetMlp))
    {
        if (maxSize < 1) throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "Expected ≥ 1.");
        Inputs = inputs;
        MaxSize = maxSize;
        mlp = new ElementwiseMlp(maxSize * (inputs + 1), hidden, outputs);
        RegisterComponents();
    }

    /// <summary>Features per element.</summary>
    public int Inputs { get; }

    /// <summary>The largest set it can read.</summary>
    public int MaxSize { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        if (features.shape[1] > MaxSize || features.shape[2] != Inputs)
            throw new ArgumentException($"Expected at most {MaxSize} elements of {Inputs} features; got [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var slots = new SetBatch(features.masked_fill(mask.logical_not().unsqueeze(2), 0), mask).ToTensor();
        var padded = functional.pad(slots, new long[] { 0, 0, 0, MaxSize - features.shape[1] });
        return mlp.forward(padded.reshape(features.shape[0], -1)).MoveToOuterDisposeScope();
    }
}
