using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>The equivariant MLP: blocks of equivariant linear → (+ bilinear) → gated nonlinearity, then an
/// equivariant linear readout; optionally with residual pathways (RPP) for approximate symmetries.</summary>
/// <remarks>
/// Block: h = W_eq x (+ W_free x with residual pathways); h ← h + Bilinear(h); x ← Gate(h), with hidden rep Gated(H).
/// Equivariance: exact for any matrix group without residual pathways. With them (Finzi, Benton, Wilson 2021,
/// "Residual Pathway Priors for Soft Equivariance Constraints") every linear map is W_eq + W_free with an unconstrained
/// W_free; <see cref="PriorPenalty"/> puts a weak Gaussian prior on the equivariant weights and a strong one on the
/// free ones, so the model stays equivariant unless the data pays for the departure.
/// Shapes: input (batch, In.Dim) → output (batch, Out.Dim).
/// </remarks>
/// <example><code>var g = MatrixGroup.O(5);
/// var model = new Emlp(TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1", g), TensorRepresentation.Parse("32+16V+4T(2)", g), 3);</code></example>
public sealed class Emlp : Module<Tensor, Tensor>, IEquivariant
{
    private readonly EquivariantLinear[] _linear;
    private readonly EquivariantBilinear[] _bilinear;
    private readonly TensorGate[] _gates;
    private readonly Module<Tensor, Tensor>[] _free;
    private readonly EquivariantLinear _readout;

    /// <summary>The input representation.</summary>
    public TensorRepresentation In { get; }

    /// <summary>The output representation.</summary>
    public TensorRepresentation Out { get; }

    /// <summary>True when every linear map has an unconstrained residual pathway (RPP).</summary>
    public bool ResidualPathways { get; }

    /// <summary>Creates the model; weights come from the global TorchSharp seed.</summary>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out.</param>
    /// <param name="hidden">the hidden representation H (its non-scalar blocks get gates).</param>
    /// <param name="layers">the number of hidden blocks (≥ 1).</param>
    /// <param name="residualPathways">add an unconstrained linear path next to each equivariant one (RPP).</param>
    public Emlp(TensorRepresentation input, TensorRepresentation output, TensorRepresentation hidden, int layers, bool residualPathways = false)
        : base(residualPathways ? "Rpp" : nameof(Emlp))
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(hidden);
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "An EMLP needs at least one hidden block.");
        In = input;
        Out = output;
        ResidualPathways = residualPathways;
        var gated = TensorGate.Gated(hidden);
        _linear = new EquivariantLinear[layers];
        _bilinear = new EquivariantBilinear[layers];
        _gates = new TensorGate[layers];
        _free = new Module<Tensor, Tensor>[residualPathways ? layers + 1 : 0];
        var previous = input;
        for (int l = 0; l < layers; l++)
        {
            _linear[l] = new EquivariantLinear(previous, gated);
            _bilinear[l] = new EquivariantBilinear(gated);
            _gates[l] = new TensorGate(hidden);
            register_module($"linear{l}", _linear[l]);
            register_module($"bilinear{l}", _bilinear[l]);
            register_module($"gate{l}", _gates[l]);
            if (residualPathways)
            {
                _free[l] = ZeroLinear(previous.Dim, gated.Dim);
                register_module($"free{l}", _free[l]);
            }
            previous = hidden;
        }
        _readout = new EquivariantLinear(hidden, output);
        register_module("readout", _readout);
        if (residualPathways)
        {
            _free[layers] = ZeroLinear(hidden.Dim, output.Dim);
            register_module("free_readout", _free[layers]);
        }
    }

    /// <summary>A residual pathway that starts at zero: the RPP model starts as the EMLP and its prior only lets the
    /// unconstrained path grow where the data pull it away from the symmetry (a random start would add
    /// symmetry-breaking noise that the prior must first remove).</summary>
    private static TorchSharp.Modules.Linear ZeroLinear(long inputs, long outputs)
    {
        var linear = Linear(inputs, outputs);
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias!.zero_();
        }
        return linear;
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new RepresentationAction(Out) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = input;
        for (int l = 0; l < _linear.Length; l++)
        {
            var h = _linear[l].forward(x);
            if (ResidualPathways) h = h + _free[l].forward(x);
            h = h + _bilinear[l].forward(h);
            x = _gates[l].forward(h);
        }
        var y = _readout.forward(x);
        if (ResidualPathways) y = y + _free[^1].forward(x);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The RPP prior: equivariantDecay·Σ‖θ_eq‖² + freeDecay·Σ‖θ_free‖² (a scalar tensor to add to the loss).</summary>
    public Tensor PriorPenalty(double equivariantDecay, double freeDecay)
    {
        using var scope = NewDisposeScope();
        Tensor total = zeros(1);
        foreach (var (name, p) in named_parameters())
        {
            double decay = name.StartsWith("free", StringComparison.Ordinal) ? freeDecay : equivariantDecay;
            if (decay != 0) total = total + decay * p.pow(2).sum();
        }
        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"{(ResidualPathways ? "Rpp" : "Emlp")}({In.Name} -> {Out.Name}, {_linear.Length} blocks)";
}
