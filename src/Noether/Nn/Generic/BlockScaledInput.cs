using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>Input standardisation that keeps the symmetry: each block of the input representation is divided by one
/// positive number (its root-mean-square component on the training inputs) before the wrapped model sees it.</summary>
/// <remarks>
/// Why per block: a scalar multiple of a block commutes with every ρ(g), so x ↦ D⁻¹x (D constant on each block)
/// is equivariant for any matrix group, compact or not; a per-component scale would not be. This is the standardisation
/// of EMLP's particle-interaction data (the four four-momenta are drawn as N(0, 1/16), one scale per momentum).
/// The scales are a buffer, so a checkpoint carries them. Shapes: input (batch, In.Dim) → the wrapped model's output.
/// </remarks>
/// <example><code>var model = new BlockScaledInput(rin, new Emlp(rin, rout, hidden, 3));
/// model.Fit(xTrain);   // one scale per block of rin</code></example>
public sealed class BlockScaledInput : Module<Tensor, Tensor>, Noether.Equivariance.IEquivariantComposite
{
    private readonly Module<Tensor, Tensor> _inner;

    /// <summary>The input representation whose blocks are scaled.</summary>
    public TensorRepresentation In { get; }

    /// <summary>The wrapped model.</summary>
    public Module<Tensor, Tensor> Inner => _inner;

    /// <summary>Wraps <paramref name="model"/>; the scales start at 1 (identity) until <see cref="Fit"/> or a checkpoint sets them.</summary>
    public BlockScaledInput(TensorRepresentation input, Module<Tensor, Tensor> model) : base(nameof(BlockScaledInput))
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(model);
        In = input;
        _inner = model;
        // Persistent (saved with the weights); looked up by name because Module.to replaces the tensor.
        register_buffer("scale", ones(input.Dim, dtype: ScalarType.Float32).DetachFromDisposeScope());
        register_module("inner", _inner);
    }

    private Tensor Scale => get_buffer("scale")!;

    /// <summary>The wrapped model: one constant per block of <see cref="In"/> commutes with ρ_in(g), so the wrapper has the
    /// model's types (when the model's input is <see cref="In"/>).</summary>
    IReadOnlyList<Module> Noether.Equivariance.IEquivariantComposite.Parts => new Module[] { _inner };

    /// <summary>The scale of each block, in block order.</summary>
    public IReadOnlyList<double> BlockScales
    {
        get
        {
            using var values64 = Scale.to_type(ScalarType.Float64, copy: true);
            var values = values64.data<double>().ToArray();
            return Enumerable.Range(0, In.Blocks.Count).Select(b => values[In.Layout[In.BlockOffset(b)]]).ToArray();
        }
    }

    /// <summary>Sets each block's scale to the root-mean-square of its components over <paramref name="inputs"/>
    /// (shape (n, In.Dim), n ≥ 1); a block that is zero on every input keeps scale 1.</summary>
    public void Fit(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() != 2 || inputs.shape[1] != In.Dim || inputs.shape[0] < 1)
            throw new ArgumentException($"Fit expects inputs of shape (n ≥ 1, {In.Dim}) for {In.Name}; got ({string.Join(", ", inputs.shape)}).", nameof(inputs));
        using var scope = NewDisposeScope();
        var meanSquare = inputs.to_type(ScalarType.Float64).pow(2).mean(new long[] { 0 }).data<double>().ToArray();
        var values = new float[In.Dim];
        for (int b = 0; b < In.Blocks.Count; b++)
        {
            int start = In.BlockOffset(b), end = In.BlockOffset(b + 1);
            double sum = 0;
            for (int c = start; c < end; c++) sum += meanSquare[In.Layout[c]];
            double rms = Math.Sqrt(sum / (end - start));
            float s = rms > 0 && double.IsFinite(rms) ? (float)rms : 1f;
            for (int c = start; c < end; c++) values[In.Layout[c]] = s;
        }
        using (no_grad()) Scale.copy_(tensor(values));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != In.Dim)
            throw new ArgumentException($"Expected inputs of shape (batch, {In.Dim}) for {In.Name}; got ({string.Join(", ", input.shape)}).", nameof(input));
        using var scope = NewDisposeScope();
        return _inner.forward(input / Scale.to(input.dtype, input.device)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"BlockScaledInput({In.Name}, {_inner})";
}
