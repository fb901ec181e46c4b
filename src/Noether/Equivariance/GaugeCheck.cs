using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Gauge-equivariance checks: the "element" is a field Ω(x) of Haar-random group elements, one per
/// site, acting on the links and on adjoint features (<see cref="GaugeTransformation"/>).</summary>
/// <remarks>Same definition and float64 comparison as <see cref="EquivarianceCheck"/>: the
/// transformation is applied in float64 and cast back to the input dtype before f sees it.</remarks>
public static class GaugeCheck
{
    /// <summary>Invariance: f(Ω·U) = f(U) for <paramref name="samples"/> random Ω.</summary>
    /// <param name="f">a function of links (batch, d, L.., N, N) to any tensor with a batch axis.</param>
    /// <param name="links">test configurations.</param>
    /// <param name="samples">random gauge transformations (≥ 1).</param>
    /// <param name="seed">their seed.</param>
    public static GaugeCheckReport Invariance(Func<Tensor, Tensor> f, Tensor links, int samples = 4, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Run((u, _) => f(u), links, null, samples, seed, covariant: false);
    }

    /// <summary>Covariance of a layer: f(Ω·U, Ω W Ω†) = Ω f(U, W) Ω†.</summary>
    /// <param name="f">a layer of (links, adjoint features) to adjoint features.</param>
    /// <param name="links">test configurations.</param>
    /// <param name="features">adjoint features (batch, C, L.., N, N).</param>
    /// <param name="samples">random gauge transformations (≥ 1).</param>
    /// <param name="seed">their seed.</param>
    public static GaugeCheckReport Covariance(Func<Tensor, Tensor, Tensor> f, Tensor links, Tensor features, int samples = 4, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Run(f, links, features, samples, seed, covariant: true);
    }

    private static GaugeCheckReport Run(Func<Tensor, Tensor, Tensor> f, Tensor links, Tensor? features, int samples, int seed, bool covariant)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (samples < 1) throw new ArgumentException($"At least one transformation is needed; got {samples}.", nameof(samples));
        var generator = new Generator((ulong)seed);
        var errors = new List<double>();
        var perElement = new List<ElementError>();
        double tolerance = links.dtype is ScalarType.ComplexFloat64 or ScalarType.Float64 ? Tolerance.Float64 : Tolerance.Float32;
        using (no_grad())
        {
            using var outer = NewDisposeScope();
            var links64 = links.to_type(ScalarType.ComplexFloat64);
            var fx = f(links, features!).to_type(covariant ? ScalarType.ComplexFloat64 : ScalarType.Float64);
            for (int s = 0; s < samples; s++)
            {
                using var scope = NewDisposeScope();
                var omega = GaugeTransformation.Random(links64, generator);
                var gu = GaugeTransformation.ApplyToLinks(omega, links64).to_type(links.dtype);
                var gw = features is null ? null : GaugeTransformation.ApplyToAdjoint(omega, features.to_type(ScalarType.ComplexFloat64)).to_type(features.dtype);
                var fgx = f(gu, gw!).to_type(fx.dtype);
                var gfx = covariant ? GaugeTransformation.ApplyToAdjoint(omega, fx) : fx;
                long batch = fgx.shape[0];
                var difference = (fgx - gfx).reshape(batch, -1).abs().square().sum(1).sqrt();
                var reference = gfx.reshape(batch, -1).abs().square().sum(1).sqrt();
                var relative = (difference / (reference + EquivarianceCheck.Epsilon)).to_type(ScalarType.Float64).data<double>().ToArray();
                errors.AddRange(relative);
                double max = relative.Max();
                perElement.Add(new ElementError(new DrawnTransformation($"Ω#{s}"), relative.Average(), max,
                    max <= tolerance ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate));
            }
        }
        return new GaugeCheckReport(errors.Average(), errors.Max(), samples)
        {
            PerElement = perElement,
            Tolerance = tolerance,
            Symmetry = new GaugeSymmetry(GaugeLinks.Group(links)),
        };
    }
}
