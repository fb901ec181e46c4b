using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>Gauge-equivariant activation (L-Act): scales each adjoint feature by a function of its
/// gauge-invariant normalised trace, W(x) → ν((1/N) Re Tr W(x)) W(x).</summary>
/// <remarks>
/// ν is a gauge-invariant scalar, so the output transforms like W (exact gauge equivariance);
/// ν(z) = Θ(z) ("step", the ReLU analogue of the paper) or the logistic sigmoid ("sigmoid", smooth).
/// Shapes: (batch, channels, L.., N, N) → the same. Reference: Favoni et al., PRL 128, 032003 (2022), eq. (7).
/// </remarks>
/// <example><code>var act = new LAct(); var y = act.forward(w);</code></example>
public sealed class LAct : Module<Tensor, Tensor>, IEquivariant
{
    /// <summary>Creates the activation with ν = step (true) or sigmoid (false).</summary>
    public LAct(bool step = false) : base(nameof(LAct)) => Step = step;

    /// <summary>True for ν = Θ, false for ν = sigmoid.</summary>
    public bool Step { get; }

    /// <summary>The gauge group of the declared types (<see cref="IEquivariant"/>); the layer itself works for any.</summary>
    public GaugeGroup Group { get; init; } = GaugeGroup.SU2;

    /// <summary>The lattice dimension d of the declared types; the layer itself works for any.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>The adjoint channels of the declared types; the layer itself works for any.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The declared types: adjoint fields in and out, W → Ω W Ω†.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, Channels) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, Channels) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (!features.is_complex() || features.dim() < 4 || features.shape[^1] != features.shape[^2])
            throw new ArgumentException($"LAct expects complex features (batch, channels, L.., N, N); got {features.dtype} [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var z = WilsonLoops.NormalizedTrace(features);
        var nu = Step ? (z > 0).to_type(z.dtype) : z.sigmoid();
        return (features * nu.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => Step ? "LAct(step)" : "LAct(sigmoid)";
}
