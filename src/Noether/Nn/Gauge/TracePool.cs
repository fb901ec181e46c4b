using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>Trace pooling: the gauge-invariant real and imaginary parts of Tr W_i(x) of every adjoint channel.</summary>
/// <remarks>Tr(Ω W Ω†) = Tr W, so the output is gauge invariant; it is a real per-site field that any
/// ordinary (translation-equivariant) network can read. Shapes: (batch, C, L.., N, N) complex →
/// (batch, 2C, L..) real: channels 0..C−1 are Re Tr, C..2C−1 Im Tr.
/// Reference: Favoni et al., PRL 128, 032003 (2022).</remarks>
/// <example><code>var pool = new TracePool(); var invariants = pool.forward(w);</code></example>
public sealed class TracePool : Module<Tensor, Tensor>, IEquivariant
{
    /// <summary>Creates the layer (no parameters).</summary>
    public TracePool() : base(nameof(TracePool)) { }

    /// <summary>The gauge group of the declared types (<see cref="IEquivariant"/>); the layer itself works for any.</summary>
    public GaugeGroup Group { get; init; } = GaugeGroup.SU2;

    /// <summary>The lattice dimension d of the declared types; the layer itself works for any.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>The adjoint channels C of the declared types; the layer itself works for any.</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The declared types: C adjoint fields in; 2C gauge-invariant real fields (batch, 2C, L..) out.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, Channels) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes =>
        new ITensorType[] { new InvariantType(new GaugeSymmetry(Group), new long[] { 2 * Channels }.Concat(Enumerable.Repeat(-1L, Dimensions)).ToArray()) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (!features.is_complex() || features.dim() < 4 || features.shape[^1] != features.shape[^2])
            throw new ArgumentException($"TracePool expects complex features (batch, channels, L.., N, N); got {features.dtype} [{string.Join(", ", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var trace = GaugeLinks.Trace(features);
        return cat(new[] { real(trace), imag(trace) }, 1).MoveToOuterDisposeScope();
    }
}
