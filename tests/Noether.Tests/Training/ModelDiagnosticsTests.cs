using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

public class ModelDiagnosticsTests
{
    private static Tensor Digits() =>
        // Smooth random blobs on 28×28 (a Gaussian-blurred random image), like real digits in scale.
        nn.functional.avg_pool2d(rand(new long[] { 3, 1, 34, 34 }, generator: new Generator(1)), 7, 1);

    [Fact]
    public void PlainCnn_PerLayerErrors_AreReported_AndGrowThroughTheNetwork()
    {
        using var scope = NewDisposeScope();
        using var cnn = ImageModels.Create("cnn", 10, seed: 0);
        var (_, layers) = ModelDiagnostics.Check(cnn, Digits());
        Assert.Equal(17, layers.Count);
        Assert.All(layers, l => Assert.NotNull(l.EquivarianceError));
        Assert.True(layers[^1].EquivarianceError > 3 * layers[0].EquivarianceError,
            string.Join(", ", layers.Select(l => $"{l.Name} {l.EquivarianceError:0.0e+0}")));
    }

    [Fact]
    public void P4Cnn_EveryLayerIsExact_AtQuarterTurns()
    {
        using var scope = NewDisposeScope();
        using var p4 = ImageModels.Create("p4cnn", 10, seed: 0);
        var (error, layers) = ModelDiagnostics.Check(p4, Digits());
        Assert.True(error < 1e-4);
        Assert.All(layers, l => Assert.True(l.EquivarianceError < 1e-4, $"{l.Name}: {l.EquivarianceError}"));
    }

    [Fact]
    public void LieDerivatives_AreMeasuredForRotationAndTranslation()
    {
        using var scope = NewDisposeScope();
        using var cnn = ImageModels.Create("cnn", 10, seed: 0);
        var lie = ModelDiagnostics.LieDerivatives(cnn, Digits().narrow(0, 0, 2));
        Assert.Equal(new[] { "rotation", "translation" }, lie.Keys.OrderBy(k => k));
        Assert.All(lie.Values, v => Assert.True(v > 0 && double.IsFinite(v), $"{v}"));
    }
}
