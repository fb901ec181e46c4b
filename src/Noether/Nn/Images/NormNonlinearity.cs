using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Norm nonlinearity: rescales each field by a function of its norm, keeping its direction:
/// x ↦ x · σ(‖x‖ + b) / ‖x‖, with a learned bias b per field.</summary>
/// <remarks>
/// <para>Equivariance: for an orthogonal ρ, ‖ρ(g)x‖ = ‖x‖, so the multiplier is invariant and
/// out(ρ(g)x) = ρ(g)x · σ(‖x‖ + b)/‖x‖ = ρ(g) out(x); the spatial action commutes because the map is
/// pixelwise. Works for any field of any group (irreps of C_N, D_N, SO(2), O(2), regular fields, …); the
/// constructor checks ρ(g)ᵀρ(g) = I on the generators. Out = In.</para>
/// <para>Numerics: the norm is computed as √(‖x‖² + ε) with ε = <see cref="Epsilon"/>. Without ε the
/// gradient x/‖x‖ of the norm is 0/0 (NaN) at x = 0, and the ratio σ(…)/‖x‖ divides by zero; with ε both
/// stay finite, and √(‖x‖² + ε) is still invariant, so equivariance is untouched. (σ(b)/√ε can still be
/// large for <see cref="NormFunction.Sigmoid"/> near x = 0: the map itself is discontinuous there.)</para>
/// <para>Bias: one per field, initialised to 0 (for ReLU the layer starts as the identity). escnn
/// parametrises the same map as σ(‖x‖ − exp(β)); here b &lt; 0 gives the dead zone ‖x‖ &lt; −b of "n_relu",
/// and for ReLU a positive b acts as 0 (it is clamped): with b &gt; 0 the map would send x → b·x/‖x‖ near 0,
/// a discontinuity that turns float rounding into O(1) equivariance errors (seen in a trained SO(2) model).</para>
/// <para>Shapes: input (batch, In.Size, height, width) → output of the same shape.</para>
/// <para>Reference: escnn <c>NormNonLinearity</c> (Worrall et al. 2017, Weiler &amp; Cesa 2019).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.ContinuousRotations(maximumFrequency: 3);
/// var norm = new NormNonlinearity(space.Irrep("E1", 8) + space.Irrep("E2", 8), NormFunction.ReLU);
/// </code></example>
public sealed class NormNonlinearity : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>ε under the square root of the norm (see the remarks).</summary>
    public const double Epsilon = 1e-12;

    private readonly bool _hasBias;

    /// <summary>The input field type.</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>σ.</summary>
    public NormFunction Function { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type with orthogonal fields (all of Noether's representations are).</param>
    /// <param name="function">σ applied to the biased norm.</param>
    /// <param name="bias">whether to learn the bias b (one per field); without it b = 0.</param>
    public NormNonlinearity(FieldType input, NormFunction function = NormFunction.ReLU, bool bias = true) : base(nameof(NormNonlinearity))
    {
        FieldLayout.RequirePlane(input, nameof(NormNonlinearity), nameof(input));
        if (!Enum.IsDefined(function)) throw new ArgumentException($"Unknown norm function {function}.", nameof(function));
        // The norm is invariant only under orthogonal representations.
        FieldLayout.RequireOrthogonalFields(input, nameof(NormNonlinearity), nameof(input));
        In = input;
        Function = function;
        _hasBias = bias;
        register_buffer("field_of", tensor(FieldLayout.FieldOfChannel(input)).DetachFromDisposeScope(), persistent: false);
        if (bias) register_parameter("bias", new Parameter(zeros(input.Representations.Count).DetachFromDisposeScope()));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(NormNonlinearity));
        using var scope = NewDisposeScope();
        var fieldOf = get_buffer("field_of")!;
        long b = input.shape[0], h = input.shape[2], w = input.shape[3], fields = In.Representations.Count;
        var squared = zeros(new[] { b, fields, h, w }, dtype: input.dtype, device: input.device).index_add(1, fieldOf, input.square(), 1);
        var norm = (squared + Epsilon).sqrt();
        var bias = _hasBias ? get_parameter("bias")!.to(input.dtype) : null;
        // ReLU with b > 0 would give b·x/‖x‖ near x = 0: a discontinuous direction that turns float
        // rounding into O(1) equivariance errors. Clamping b ≤ 0 keeps the map continuous (n_relu).
        if (bias is not null && Function == NormFunction.ReLU) bias = bias.clamp_max(0);
        var biased = bias is not null ? norm + bias.view(1, fields, 1, 1) : norm;
        var activated = Function switch
        {
            NormFunction.ReLU => functional.relu(biased),
            NormFunction.Sigmoid => biased.sigmoid(),
            _ => functional.softplus(biased),
        };
        var multiplier = (activated / norm).index_select(1, fieldOf);
        return (input * multiplier).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"NormNonlinearity({Function}, [{In.Description}])";
}
