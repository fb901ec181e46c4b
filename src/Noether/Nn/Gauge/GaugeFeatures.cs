using Noether.Runtime;
using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Nn.Gauge;

/// <summary>Shared helpers of the L-CNN layers: input checks, parallel transport by one link, channel mixing.</summary>
internal static class GaugeFeatures
{
    /// <summary>Checks links and features against a layer and casts both to the complex dtype of its parameters.</summary>
    internal static (Tensor Links, Tensor Features) Prepare(Tensor links, Tensor features, int dimensions, int channels, ScalarType parameterType, string layer)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(features);
        if (GaugeLinks.Dimensions(links) != dimensions || links.shape[1] != dimensions)
            throw new ArgumentException($"{layer} expects links of a {dimensions}-dimensional lattice (batch, {dimensions}, L_1..L_{dimensions}, N, N); got [{string.Join(", ", links.shape)}].", nameof(links));
        CheckFeatures(features, links, channels, layer);
        var complexType = ComplexType(parameterType);
        return (links.to_type(complexType), features.to_type(complexType));
    }

    /// <summary>Checks that features (batch, channels, L.., N, N) match the links' batch, lattice and matrix size.</summary>
    internal static void CheckFeatures(Tensor features, Tensor links, int channels, string layer)
    {
        var expected = new[] { links.shape[0], (long)channels }.Concat(links.shape.Skip(2)).ToArray();
        if (!features.is_complex() || !features.shape.SequenceEqual(expected))
            throw new ArgumentException($"{layer} expects complex features of shape [{string.Join(", ", expected)}]; got {features.dtype} [{string.Join(", ", features.shape)}].", nameof(features));
    }

    /// <summary>complex64 for float32 parameters, complex128 for float64.</summary>
    internal static ScalarType ComplexType(ScalarType real) =>
        real == ScalarType.Float64 ? ScalarType.ComplexFloat64 : ScalarType.ComplexFloat32;

    /// <summary>T'(x) = U_μ(x) T(x+μ̂) U_μ(x)†: brings the feature at x+μ̂ to x. link: (batch, 1, L.., N, N).</summary>
    internal static Tensor TransportForward(Tensor link, Tensor t, int mu) =>
        link.MatMulChecked(GaugeLinks.Shift(t, mu, 1, 2)).MatMulChecked(GaugeLinks.Dagger(link));

    /// <summary>T'(x) = U_μ(x−μ̂)† T(x−μ̂) U_μ(x−μ̂): brings the feature at x−μ̂ to x.</summary>
    internal static Tensor TransportBackward(Tensor link, Tensor t, int mu)
    {
        var back = GaugeLinks.Shift(link, mu, -1, 2);
        return GaugeLinks.Dagger(back).MatMulChecked(GaugeLinks.Shift(t, mu, -1, 2)).MatMulChecked(back);
    }

    /// <summary>Σ_j weight[i, j] x_j over the channel axis: weight (out, in), x (batch, in, ...) → (batch, out, ...).</summary>
    internal static Tensor Mix(Tensor weight, Tensor x)
    {
        var shape = x.shape;
        var flat = x.reshape(shape[0], shape[1], -1);
        var mixed = weight.MatMulChecked(flat);
        return mixed.reshape(new[] { shape[0], weight.shape[0] }.Concat(shape.Skip(2)).ToArray());
    }
}
