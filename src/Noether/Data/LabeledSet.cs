using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>A labelled data set held as two tensors: inputs (count, ...) and integer labels (count,).</summary>
/// <remarks>The set owns its tensors (detached from any dispose scope); dispose it when done.</remarks>
public sealed class LabeledSet : IDisposable
{
    /// <summary>Wraps <paramref name="inputs"/> and <paramref name="labels"/>, taking ownership.</summary>
    public LabeledSet(Tensor inputs, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        if (inputs.dim() < 1 || labels.dim() != 1 || inputs.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"Inputs [{string.Join(", ", inputs.shape)}] and labels [{string.Join(", ", labels.shape)}] must share the first axis (count).");
        Inputs = inputs.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>Shape (count, ...).</summary>
    public Tensor Inputs { get; }

    /// <summary>Shape (count,), int64 class indices.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of examples.</summary>
    public int Count => (int)Inputs.shape[0];

    /// <inheritdoc />
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}
