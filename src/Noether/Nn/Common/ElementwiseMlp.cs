using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Common;

/// <summary>An MLP applied to the last axis of any tensor (each set element, node or edge on its own):
/// Linear → ReLU → … → Linear. Acting element by element, it commutes with every permutation of the other axes.</summary>
/// <remarks>Shapes: (..., inputs) → (..., outputs). With no hidden widths it is one Linear map.</remarks>
/// <example><code>var phi = new ElementwiseMlp(10, new[] { 64, 64 }, 64);</code></example>
public sealed class ElementwiseMlp : Module<Tensor, Tensor>, IEquivariant
{
    private readonly Module<Tensor, Tensor> layers;

    /// <summary>Creates the network.</summary>
    /// <param name="inputs">input features (≥ 1).</param>
    /// <param name="hidden">hidden widths (each ≥ 1; may be empty).</param>
    /// <param name="outputs">output features (≥ 1).</param>
    /// <param name="activateOutput">a ReLU after the last Linear too.</param>
    public ElementwiseMlp(int inputs, IReadOnlyList<int> hidden, int outputs, bool activateOutput = false) : base(nameof(ElementwiseMlp))
    {
        layers = Mlp.Layers(inputs, hidden, outputs, activateOutput);
        Inputs = inputs;
        Outputs = outputs;
        RegisterComponents();
    }

    /// <summary>Input features.</summary>
    public int Inputs { get; }

    /// <summary>Output features.</summary>
    public int Outputs { get; }

    /// <summary>The declared types: set features (batch, n, <see cref="Inputs"/>) → (batch, n, <see cref="Outputs"/>),
    /// rows permuted together (the same holds for nodes or edges on any axis but the last).</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(Inputs) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.SetFeatures(Outputs) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() < 1 || input.shape[^1] != Inputs)
            throw new ArgumentException($"Expected (..., {Inputs}); got [{string.Join(", ", input.shape)}].", nameof(input));
        return layers.forward(input);
    }
}
