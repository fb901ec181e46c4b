using Noether.Equivariance;
using Noether.Nn.Points;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class TensorProductTests
{
    private static readonly Irreps Left = Irreps.Parse("3x0e+2x0o+2x1o+2x1e+1x2e");
    private static readonly Irreps Right = Irreps.Parse("0e+1o+2e");
    private static readonly Irreps Output = Irreps.Parse("4x0e+1x0o+3x1o+2x1e+2x2e+1x2o+1x3o");

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void FullyConnected_IsEquivariant_UnderO3(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        using var tp = new FullyConnectedTensorProduct(Left, Right, Output);
        tp.to(dtype);
        var inputs = torch.randn(16, Left.Dim + Right.Dim, dtype: dtype);
        var report = EquivarianceCheck.Run(z => tp.forward(z.narrow(1, 0, Left.Dim), z.narrow(1, Left.Dim, Right.Dim)),
            new IrrepsAction(Left + Right), new IrrepsAction(Output), inputs, samples: 8, seed: 2);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void FullyConnected_HasUnitVarianceAtInitialisation()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var tp = new FullyConnectedTensorProduct(Irreps.Parse("16x0e+16x1o+16x2e"), Right, Irreps.Parse("16x0e+16x1o+16x2e"));
        var y = tp.forward(torch.randn(4096, tp.In1.Dim), torch.randn(4096, tp.In2.Dim));
        foreach (var (start, dim) in tp.Out.Slices)
        {
            var variance = y.narrow(1, start, dim).square().mean().ToDouble();
            Assert.InRange(variance, 0.7, 1.3);
        }
    }

    [Fact]
    public void FullyConnected_VectorTimesVectorToScalar_IsScaledDotProduct()
    {
        // C^{1,1,0} = δ_ij / √3, so 1o ⊗ 1o → 0e with weight w is w (x·y)/√3.
        using var scope = NewDisposeScope();
        using var tp = new FullyConnectedTensorProduct(Irreps.Parse("1o"), Irreps.Parse("1o"), Irreps.Parse("0e"));
        var x = torch.randn(5, 3, dtype: ScalarType.Float64);
        var y = torch.randn(5, 3, dtype: ScalarType.Float64);
        tp.to(ScalarType.Float64);
        var w = tp.parameters().Single().ToDouble();
        var expected = (x * y).sum(1, keepdim: true) * w / Math.Sqrt(3);
        Assert.True((tp.forward(x, y) - expected).abs().max().ToDouble() < 1e-12);
        Assert.Equal(1, tp.WeightCount);
    }

    [Fact]
    public void FullyConnected_RejectsUnreachableOutputAndWrongWidth()
    {
        var error = Assert.Throws<ArgumentException>(() => new FullyConnectedTensorProduct(Irreps.Parse("1o"), Irreps.Parse("1o"), Irreps.Parse("0o")));
        Assert.Contains("0o", error.Message);
        using var tp = new FullyConnectedTensorProduct(Irreps.Parse("2x1o"), Irreps.Parse("1o"), Irreps.Parse("0e"));
        using var x = torch.randn(4, 5);
        using var y = torch.randn(4, 3);
        Assert.Contains("2x1o", Assert.Throws<ArgumentException>(() => tp.forward(x, y)).Message);
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void ChannelWise_IsEquivariant_WithInvariantWeights(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        using var tp = new ChannelWiseTensorProduct(Left, Irreps.SphericalHarmonics(2), maxDegree: 3);
        var weights = torch.randn(12, tp.WeightCount, dtype: dtype);
        var inputs = torch.randn(12, Left.Dim + tp.In2.Dim, dtype: dtype);
        var report = EquivarianceCheck.Run(z => tp.forward(z.narrow(1, 0, Left.Dim), z.narrow(1, Left.Dim, tp.In2.Dim), weights),
            new IrrepsAction(Left + tp.In2), new IrrepsAction(tp.Out), inputs, samples: 8, seed: 5);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void ChannelWise_KeepsChannels_AndScalesEachByItsWeight()
    {
        // 2x0e ⊗ 0e → 2x0e: out_u = w_u x_u y (C^{000} = 1, fan-in 1).
        using var scope = NewDisposeScope();
        using var tp = new ChannelWiseTensorProduct(Irreps.Parse("2x0e"), Irreps.Parse("0e"), maxDegree: 0);
        Assert.Equal("2x0e", tp.Out.ToString());
        var x = torch.tensor(new double[,] { { 1, 2 } });
        var y = torch.tensor(new double[,] { { 3 } });
        var w = torch.tensor(new double[,] { { 0.5, -1 } });
        var result = tp.forward(x, y, w).data<double>().ToArray();
        Assert.Equal(new[] { 1.5, -6.0 }, result);
        Assert.Throws<ArgumentException>(() => tp.forward(x, y, torch.ones(1, 3, dtype: ScalarType.Float64)));
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void Elementwise_IsEquivariant_UnderO3(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var a = Irreps.Parse("2x1o+3x2e+1x0o");
        var b = Irreps.Parse("2x1e+3x1o+1x1o");
        using var tp = new ElementwiseTensorProduct(a, b);
        var inputs = torch.randn(10, a.Dim + b.Dim, dtype: dtype);
        var report = EquivarianceCheck.Run(z => tp.forward(z.narrow(1, 0, a.Dim), z.narrow(1, a.Dim, b.Dim)),
            new IrrepsAction(a + b), new IrrepsAction(tp.Out), inputs, samples: 8, seed: 6);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
    }

    [Fact]
    public void Elementwise_VectorPairsToScalars_AreDotProducts_AndMisalignedIrrepsAreRejected()
    {
        using var scope = NewDisposeScope();
        using var tp = new ElementwiseTensorProduct(Irreps.Parse("2x1o"), Irreps.Parse("2x1o"), maxDegree: 0);
        var x = torch.randn(3, 6, dtype: ScalarType.Float64);
        var y = torch.randn(3, 6, dtype: ScalarType.Float64);
        var expected = (x.view(3, 2, 3) * y.view(3, 2, 3)).sum(2) / Math.Sqrt(3);
        Assert.True((tp.forward(x, y) - expected).abs().max().ToDouble() < 1e-12);
        var error = Assert.Throws<ArgumentException>(() => new ElementwiseTensorProduct(Irreps.Parse("2x1o"), Irreps.Parse("3x1o")));
        Assert.Contains("2x1o", error.Message);
    }
}
