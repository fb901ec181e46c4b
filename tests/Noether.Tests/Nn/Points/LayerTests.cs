using Noether.Equivariance;
using Noether.Nn.Points;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class LayerTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void IrrepsLinear_IsEquivariant_UnderO3(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var input = Irreps.Parse("4x0e+2x1o+3x0e+1x1e+2x2o");
        var output = Irreps.Parse("5x0e+3x1o+2x1e+1x2e");
        using var linear = new IrrepsLinear(input, output);
        linear.to(dtype);
        var report = EquivarianceCheck.Run(linear.forward, new IrrepsAction(input), new IrrepsAction(output), torch.randn(9, input.Dim, dtype: dtype), samples: 8, seed: 8);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void IrrepsLinear_OutputWithoutMatchingInput_IsZero_AndMixesOnlyEqualIrreps()
    {
        using var scope = NewDisposeScope();
        using var linear = new IrrepsLinear(Irreps.Parse("2x1o"), Irreps.Parse("1x1e+1x1o"));
        var y = linear.forward(torch.randn(4, 6));
        Assert.Equal(0.0, y.narrow(1, 0, 3).abs().max().ToDouble());
        Assert.True(y.narrow(1, 3, 3).abs().max().ToDouble() > 0);
    }

    [Fact]
    public void Layers_RejectFeaturesOfMismatchedIrreps_NamingTheExpectedIrreps()
    {
        // A gate's output fed into a linear layer built for other irreps: a clear error, not a shape crash.
        using var scope = NewDisposeScope();
        using var gate = new Gate(Irreps.Parse("4x0e"), Irreps.Parse("2x0e"), Irreps.Parse("2x1o"));
        using var linear = new IrrepsLinear(Irreps.Parse("4x0e+2x2e"), Irreps.Parse("1x0e"));
        var h = gate.forward(torch.randn(3, gate.In.Dim));
        var error = Assert.Throws<ArgumentException>(() => linear.forward(h));
        Assert.Contains("4x0e+2x2e", error.Message);
        Assert.Contains("[3, 10]", error.Message);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void Gate_IsEquivariant_UnderO3_WithOddGatesAndScalars(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var gate = new Gate(Irreps.Parse("3x0e+2x0o"), Irreps.Parse("2x0e+1x0o+1x0e"), Irreps.Parse("3x1o+1x2e"));
        Assert.Equal("3x0e+2x0o+2x1o+1x1e+1x2e", gate.Out.ToString());
        var report = EquivarianceCheck.Run(gate.forward, new IrrepsAction(gate.In), new IrrepsAction(gate.Out), torch.randn(9, gate.In.Dim, dtype: dtype), samples: 8, seed: 9);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void Gate_MultipliesEachCopyBySigmoidOfItsGate_AndRejectsBadGates()
    {
        using var scope = NewDisposeScope();
        using var gate = new Gate(Irreps.Empty, Irreps.Parse("1x0e"), Irreps.Parse("1x1o"));
        var x = torch.tensor(new double[,] { { 0.3, 1, 2, 3 } });
        var expected = new[] { 1, 2, 3 }.Select(v => v / (1 + Math.Exp(-0.3))).ToArray();
        var y = gate.forward(x).data<double>().ToArray();
        for (var i = 0; i < 3; i++) Assert.Equal(expected[i], y[i], 12);
        Assert.Throws<ArgumentException>(() => new Gate(Irreps.Parse("1x0e"), Irreps.Parse("1x1o"), Irreps.Parse("1x1o")));
        Assert.Contains("2x1o", Assert.Throws<ArgumentException>(() => new Gate(Irreps.Empty, Irreps.Parse("1x0e"), Irreps.Parse("2x1o"))).Message);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void NormActivation_IsEquivariant_UnderO3(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var irreps = Irreps.Parse("2x0e+1x0o+2x1o+1x2e");
        using var act = new NormActivation(irreps);
        act.to(dtype);
        var report = EquivarianceCheck.Run(act.forward, new IrrepsAction(irreps), new IrrepsAction(irreps), torch.randn(9, irreps.Dim, dtype: dtype), samples: 8, seed: 10);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void SphericalHarmonicsEmbedding_IsEquivariant_UnderO3(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var sh = new SphericalHarmonicsEmbedding(3);
        var report = EquivarianceCheck.Run(sh.forward, new IrrepsAction(1, Irreps.Empty), new IrrepsAction(sh.Out), torch.randn(20, 3, dtype: dtype), samples: 8, seed: 11);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void SphericalHarmonicsEmbedding_HasComponentNormalisation()
    {
        // Σ_m Y_{l,m}² = 2l + 1 on unit vectors, whatever their length.
        using var scope = NewDisposeScope();
        using var sh = new SphericalHarmonicsEmbedding(2);
        var y = sh.forward(torch.randn(50, 3, dtype: ScalarType.Float64) * 3);
        Assert.True((y.narrow(1, 1, 3).square().sum(1) - 3).abs().max().ToDouble() < 1e-10);
        Assert.True((y.narrow(1, 4, 5).square().sum(1) - 5).abs().max().ToDouble() < 1e-10);
        var nan = torch.tensor(new double[,] { { double.NaN, 0, 1 } });
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => sh.forward(nan)).Message);
    }

    [Theory]
    [InlineData(RadialBasisKind.Bessel)]
    [InlineData(RadialBasisKind.Gaussian)]
    public void RadialBasis_IsSmoothAndVanishesAtCutoff(RadialBasisKind kind)
    {
        using var scope = NewDisposeScope();
        using var radial = new RadialBasis(kind, 8, cutoff: 4.0);
        var r = torch.tensor(new[] { 0.0, 1.0, 3.999999, 4.0, 5.0 }, requires_grad: true);
        var y = radial.forward(r);
        Assert.Equal(new long[] { 5, 8 }, y.shape);
        Assert.True(torch.isfinite(y).all().ToBoolean());
        Assert.True(y[2].abs().max().ToDouble() < 1e-9);
        Assert.Equal(0.0, y[3].abs().max().ToDouble() + y[4].abs().max().ToDouble());
        // The envelope's derivative vanishes at the cutoff, so forces go smoothly to zero there.
        var grad = torch.autograd.grad(new[] { radial.Envelope(r).sum() }, new[] { r })[0];
        Assert.True(Math.Abs(grad[2].ToDouble()) < 1e-6);
        Assert.Equal(1.0, radial.Envelope(torch.tensor(0.0)).ToDouble(), 12);
    }

    [Fact]
    public void RadialBasis_BesselMatchesFormula()
    {
        using var scope = NewDisposeScope();
        using var radial = new RadialBasis(RadialBasisKind.Bessel, 3, cutoff: 5.0);
        var r = 1.3;
        var y = radial.forward(torch.tensor(new[] { r })).data<double>().ToArray();
        var x = r / 5.0;
        var envelope = 1 - 28 * Math.Pow(x, 6) + 48 * Math.Pow(x, 7) - 21 * Math.Pow(x, 8);
        for (var n = 1; n <= 3; n++)
            Assert.Equal(Math.Sqrt(2 / 5.0) * Math.Sin(n * Math.PI * r / 5.0) / r * envelope, y[n - 1], 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RadialBasis(RadialBasisKind.Bessel, 3, cutoff: 0));
    }
}
