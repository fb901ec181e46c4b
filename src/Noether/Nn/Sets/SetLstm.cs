using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>Order-dependent baseline: an LSTM reads a set's elements in the order given and a Linear map decodes its
/// state after the last real element. Not permutation invariant.</summary>
/// <remarks>Real elements must come first in each row (padding at the end), as <see cref="SetOrder.PaddingLast"/> arranges.
/// Shapes: features (batch, size, inputs), mask (batch, size) bool → (batch, outputs).</remarks>
/// <example><code>var lstm = new SetLstm(10, 64, 1);</code></example>
public sealed class SetLstm : Module<Tensor, Tensor, Tensor>
{
    private readonly LSTM lstm;
    private readonly Linear decoder;

    /// <summary>Creates the model.</summary>
    public SetLstm(int inputs, int hidden, int outputs) : base(nameof(SetLstm))
    {
        lstm = LSTM(inputs, hidden, batchFirst: true);
        decoder = Linear(hidden, outputs);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        var (states, _, _) = lstm.forward(features);
        var last = (mask.sum(1, type: ScalarType.Int64) - 1).clamp_min(0);                 // index of the last real element
        var index = last.view(-1, 1, 1).expand(-1, 1, states.shape[2]);
        return decoder.forward(states.gather(1, index).squeeze(1)).MoveToOuterDisposeScope();
    }
}
