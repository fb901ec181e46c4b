using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Common;

/// <summary>A plain multilayer perceptron: Linear → ReLU → … → Linear. No symmetry of its own (the
/// baseline every strategy is compared against).</summary>
/// <remarks>Shapes: input (batch, inputs) → output (batch, outputs).</remarks>
/// <example><code>var mlp = new Mlp(8, new[] { 64, 64 }, 4);</code></example>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    /// <summary>Creates the network; weights use TorchSharp's default initialisation from the global seed.</summary>
    /// <param name="inputs">input features (≥ 1).</param>
    /// <param name="hidden">widths of the hidden layers (each ≥ 1; may be empty for a linear model).</param>
    /// <param name="outputs">output features (≥ 1).</param>
    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs) : base(nameof(Mlp))
    {
        Inputs = inputs;
        Outputs = outputs;
        _layers = Layers(inputs, hidden, outputs);
        RegisterComponents();
    }

    /// <summary>The layer stack Linear → ReLU → … → Linear (→ ReLU when <paramref name="activateOutput"/>),
    /// named linear0, relu0, …, output: shared by <see cref="Mlp"/> and the element-wise MLP of sets and graphs.</summary>
    internal static Sequential Layers(int inputs, IReadOnlyList<int> hidden, int outputs, bool activateOutput = false)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "Inputs must be ≥ 1.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "Outputs must be ≥ 1.");
        if (hidden.Any(h => h < 1)) throw new ArgumentException($"Hidden widths must be ≥ 1; got [{string.Join(", ", hidden)}].", nameof(hidden));
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            modules.Add(($"linear{i}", Linear(width, hidden[i])));
            modules.Add(($"relu{i}", ReLU()));
            width = hidden[i];
        }
        modules.Add(("output", Linear(width, outputs)));
        if (activateOutput) modules.Add(("relu_out", ReLU()));
        return Sequential(modules);
    }

    /// <summary>Input features.</summary>
    public int Inputs { get; }

    /// <summary>Output features.</summary>
    public int Outputs { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != Inputs)
            throw new ArgumentException($"Mlp expects (batch, {Inputs}); got [{string.Join(", ", input.shape)}].", nameof(input));
        return _layers.forward(input);
    }

    /// <inheritdoc />
    public override string ToString() => $"Mlp({Inputs} -> {Outputs})";
}
