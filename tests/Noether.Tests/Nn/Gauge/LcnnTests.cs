using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Gauge;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Gauge;

[Collection("NoParallel")] // one test seeds the global generator
public class LcnnTests
{
    private const double Float32Gauge = 1e-5;

    public static IEnumerable<object[]> Lattices => new[]
    {
        new object[] { GaugeGroup.U1, new long[] { 6, 4 } },
        new object[] { GaugeGroup.SU2, new long[] { 6, 4 } },
        new object[] { GaugeGroup.SU2, new long[] { 2, 3, 2, 4 } },
    };

    private static Tensor Links(GaugeGroup group, long[] extents, ulong seed, int batch = 2) =>
        GaugeLinks.Hot(group, batch, extents, new Generator(seed), ScalarType.ComplexFloat32);

    private static Tensor Features(GaugeGroup group, long[] extents, int channels, ulong seed)
    {
        // Random complex matrices (not group elements): covariance must hold for any adjoint field.
        var shape = new long[] { 2, channels }.Concat(extents).Concat(new long[] { group.MatrixSize(), group.MatrixSize() }).ToArray();
        var gen = new Generator(seed);
        return torch.complex(randn(shape, generator: gen), randn(shape, generator: gen));
    }

    [Theory, MemberData(nameof(Lattices))]
    public void LConv_IsGaugeCovariant_Float32(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var conv = new LConv(extents.Length, 3, 4, reach: 2, seed: 1);
        var report = GaugeCheck.Covariance((u, w) => conv.forward(u, w), Links(group, extents, 2), Features(group, extents, 3, 3), samples: 3, seed: 4);
        Assert.True(report.MaxRelativeError < Float32Gauge, report.ToString());
    }

    [Fact]
    public void LConv_IsGaugeCovariant_Float64()
    {
        using var scope = NewDisposeScope();
        var conv = new LConv(2, 2, 3, reach: 3, seed: 1);
        conv.to(ScalarType.Float64);
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 8, 6 }, new Generator(5));
        var w = Features(GaugeGroup.SU2, new long[] { 8, 6 }, 2, 6).to_type(ScalarType.ComplexFloat64);
        var report = GaugeCheck.Covariance((u, x) => conv.forward(u, x), links, w, samples: 3, seed: 7);
        Assert.True(report.MaxRelativeError < 1e-10, report.ToString());
    }

    [Theory, MemberData(nameof(Lattices))]
    public void LBilinAndLAct_AreGaugeCovariant_Float32(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var bilin = new LBilin(3, 2, 4, seed: 1);
        var act = new LAct();
        var a = Features(group, extents, 3, 8);
        var b = Features(group, extents, 2, 9);
        var report = GaugeCheck.Covariance((u, w) => act.forward(bilin.forward(w, w.narrow(1, 0, 2))), Links(group, extents, 2), a, samples: 3, seed: 4);
        Assert.True(report.MaxRelativeError < Float32Gauge, report.ToString());
        Assert.Equal(new long[] { 2, 4 }.Concat(extents).Concat(new long[] { group.MatrixSize(), group.MatrixSize() }), bilin.forward(a, b).shape);
    }

    [Theory, MemberData(nameof(Lattices))]
    public void Lcnn_TracedOutputs_AreGaugeInvariant_Float32(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var model = new Lcnn(group, extents.Length, new[] { 4, 4 }, new[] { 1, 2 }, outputs: 3, activation: true, seed: 1);
        var links = Links(group, extents, 10);
        var y = model.forward(links);
        Assert.Equal(new long[] { 2, 3 }.Concat(extents), y.shape);
        var report = GaugeCheck.Invariance(u => model.forward(u), links, samples: 3, seed: 11);
        Assert.True(report.MaxRelativeError < Float32Gauge, report.ToString());
    }

    [Fact]
    public void Lcnn_IsTranslationEquivariant()
    {
        using var scope = NewDisposeScope();
        var model = new Lcnn(GaugeGroup.SU2, 2, new[] { 4, 4 }, new[] { 1, 1 }, outputs: 2, seed: 2);
        var links = Links(GaugeGroup.SU2, new long[] { 8, 6 }, 12);
        var shifted = links.roll(new long[] { 3, -2 }, new long[] { 2, 3 });
        var expected = model.forward(links).roll(new long[] { 3, -2 }, new long[] { 2, 3 });
        Assert.True((model.forward(shifted) - expected).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void Lcnn_RunsOnLargerLatticesWithoutChange()
    {
        using var scope = NewDisposeScope();
        var model = new Lcnn(GaugeGroup.SU2, 2, new[] { 2 }, new[] { 1 }, outputs: 1, seed: 2);
        Assert.Equal(new long[] { 1, 1, 16, 16 }, model.forward(Links(GaugeGroup.SU2, new long[] { 16, 16 }, 1, batch: 1)).shape);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, model.forward(Links(GaugeGroup.SU2, new long[] { 8, 8 }, 1, batch: 1)).shape);
    }

    [Fact]
    public void LConvAndLBilin_CanComposeThe2x1WilsonLoop()
    {
        // One-hot weights: conv channel 0 = the plaquette at x + 0̂ transported to x (term 1), bilinear = conv_0 · input_0
        // (pair (1, 1) of the identity-extended factors, index 1·2 + 1). T_{+0}P · P is the 2×1 loop.
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 6, 4 }, new Generator(3));
        var conv = new LConv(2, 1, 1, reach: 1, bias: false);
        var bilin = new LBilin(1, 1, 1);
        conv.to(ScalarType.Float64);
        bilin.to(ScalarType.Float64);
        using (no_grad())
        {
            conv.get_parameter("weight_real")!.zero_()[0, 1] = 1.0;
            conv.get_parameter("weight_imag")!.zero_();
            bilin.get_parameter("weight_real")!.zero_()[0, 3] = 1.0;
            bilin.get_parameter("weight_imag")!.zero_();
        }
        var p = WilsonLoops.Plaquette(links, 0, 1).unsqueeze(1);
        var composed = bilin.forward(conv.forward(links, p), p).squeeze(1);
        Assert.True((composed - WilsonLoops.Rectangle(links, 0, 1, 2, 1)).abs().max().ToDouble() < 1e-12);
    }

    [Fact]
    public void Lcnn_TrainsThroughComplexWeights()
    {
        using var scope = NewDisposeScope();
        var model = new Lcnn(GaugeGroup.SU2, 2, new[] { 3 }, new[] { 1 }, outputs: 1, seed: 3);
        var loss = model.forward(Links(GaugeGroup.SU2, new long[] { 4, 4 }, 2)).square().mean();
        loss.backward();
        var grad = model.parameters().First(p => p.grad is not null && p.grad.abs().sum().ToDouble() > 0);
        Assert.NotNull(grad);
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void CnnBaseline_IsNotGaugeInvariant()
    {
        using var scope = NewDisposeScope();
        var cnn = new GaugeCnn(GaugeGroup.SU2, new[] { 8 }, outputs: 1, seed: 1);
        var links = Links(GaugeGroup.SU2, new long[] { 6, 6 }, 4);
        Assert.Equal(new long[] { 2, 16, 6, 6 }, GaugeCnn.Components(links).shape);
        var report = GaugeCheck.Invariance(u => cnn.forward(u), links, samples: 2, seed: 5);
        Assert.True(report.MeanRelativeError > 1e-2, report.ToString());
    }

    [Fact]
    public void BadInputs_GiveClearErrors()
    {
        using var scope = NewDisposeScope();
        var model = new Lcnn(GaugeGroup.SU2, 2, new[] { 2 }, new[] { 1 }, outputs: 1);
        var links = Links(GaugeGroup.SU2, new long[] { 4, 4 }, 1);
        Assert.Contains("not unitary", Assert.Throws<ArgumentException>(() => model.forward(links * 1.1f)).Message);
        Assert.Contains("2-dimensional", Assert.Throws<ArgumentException>(() => model.forward(Links(GaugeGroup.SU2, new long[] { 2, 2, 2 }, 1))).Message);
        Assert.Contains("SU2", Assert.Throws<ArgumentException>(() => model.forward(Links(GaugeGroup.U1, new long[] { 4, 4 }, 1))).Message);
        var conv = new LConv(2, 3, 1);
        Assert.Contains("[2, 3, 4, 4, 2, 2]", Assert.Throws<ArgumentException>(() => conv.forward(links, Features(GaugeGroup.SU2, new long[] { 4, 4 }, 2, 1))).Message);
    }

    [Fact]
    public void Constructors_SeedTheirOwnWeights_AndLeaveTheGlobalGeneratorAlone()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(123);
        var expected = torch.randn(4);
        torch.manual_seed(123);
        using var lcnn = new Lcnn(GaugeGroup.SU2, 2, new[] { 3 }, new[] { 1 }, outputs: 2, seed: 5);
        using var cnn = new GaugeCnn(GaugeGroup.U1, new[] { 4 }, outputs: 2, seed: 5);
        Assert.Equal(expected.data<float>().ToArray(), torch.randn(4).data<float>().ToArray());
        // The same seed gives the same weights, whatever the global generator's state.
        torch.manual_seed(999);
        using var again = new Lcnn(GaugeGroup.SU2, 2, new[] { 3 }, new[] { 1 }, outputs: 2, seed: 5);
        Assert.All(lcnn.parameters().Zip(again.parameters()), p => Assert.True(p.First.eq(p.Second).all().item<bool>()));
    }
}
