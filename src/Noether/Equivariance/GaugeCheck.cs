using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Gauge-equivariance checks of functions of lattice links: the "element" is a field Ω(x) of Haar-random group
/// elements, one per site (<see cref="GaugeSymmetry"/>), acting on the links and on adjoint features.</summary>
/// <remarks>A front-end of the one checker: <see cref="EquivarianceCheck.Run(Func{IReadOnlyList{Tensor}, IReadOnlyList{Tensor}}, IReadOnlyList{ITensorType}, IReadOnlyList{ITensorType}, IReadOnlyList{Tensor}, IReadOnlyList{Transformation}, double?)"/>
/// with <see cref="GaugeLinkType"/>, <see cref="AdjointFieldType"/> and <see cref="InvariantType"/>, the same error
/// and float64 comparison, and one <see cref="EquivarianceReport"/> entry per gauge field drawn (Ω#0, Ω#1, …).</remarks>
public static class GaugeCheck
{
    /// <summary>Invariance: f(Ω·U) = f(U) for <paramref name="samples"/> random Ω.</summary>
    /// <param name="f">a function of links (batch, d, L.., N, N) to any tensor with a batch axis.</param>
    /// <param name="links">test configurations.</param>
    /// <param name="samples">random gauge transformations (≥ 1).</param>
    /// <param name="seed">their seed.</param>
    public static EquivarianceReport Invariance(Func<Tensor, Tensor> f, Tensor links, int samples = 4, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        var (linkType, symmetry) = Links(links);
        return EquivarianceCheck.Run(xs => new[] { f(xs[0]) }, new ITensorType[] { linkType }, new ITensorType[] { new InvariantType(symmetry) },
            new[] { links }, symmetry.Draw(Samples(samples), seed));
    }

    /// <summary>Covariance of a layer: f(Ω·U, Ω W Ω†) = Ω f(U, W) Ω†.</summary>
    /// <param name="f">a layer of (links, adjoint features) to adjoint features.</param>
    /// <param name="links">test configurations.</param>
    /// <param name="features">adjoint features (batch, C, L.., N, N).</param>
    /// <param name="samples">random gauge transformations (≥ 1).</param>
    /// <param name="seed">their seed.</param>
    public static EquivarianceReport Covariance(Func<Tensor, Tensor, Tensor> f, Tensor links, Tensor features, int samples = 4, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(features);
        var (linkType, symmetry) = Links(links);
        if (features.dim() != links.dim() || features.shape[0] != links.shape[0])
            throw new ArgumentException($"Adjoint features (batch, C, L.., N, N) must match the links' batch and lattice; got [{string.Join(", ", features.shape)}] " +
                                        $"for links [{string.Join(", ", links.shape)}].", nameof(features));
        int channels(Tensor x) => (int)x.shape[1];
        long outputChannels;
        using (no_grad())
        using (var probe = f(links, features)) outputChannels = channels(probe);
        var adjoint = (int c) => new AdjointFieldType(linkType.Group, linkType.Dimensions, c);
        return EquivarianceCheck.Run(xs => new[] { f(xs[0], xs[1]) }, new ITensorType[] { linkType, adjoint(channels(features)) },
            new ITensorType[] { adjoint((int)outputChannels) }, new[] { links, features }, symmetry.Draw(Samples(samples), seed));
    }

    private static (GaugeLinkType Type, GaugeSymmetry Symmetry) Links(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.dim() < 4 || links.shape[^1] != links.shape[^2])
            throw new ArgumentException($"Expected links (batch, d, L.., N, N); got [{string.Join(", ", links.shape)}].", nameof(links));
        var type = new GaugeLinkType(GaugeLinks.Group(links), (int)links.shape[1]);
        return (type, (GaugeSymmetry)type.Symmetry);
    }

    private static int Samples(int samples) =>
        samples >= 1 ? samples : throw new ArgumentException($"At least one transformation is needed; got {samples}.", nameof(samples));
}
