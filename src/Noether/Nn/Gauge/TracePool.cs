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
public sealed class TracePool : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer (no parameters).</summary>
    public TracePool() : base(nameof(TracePool)) { }

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
