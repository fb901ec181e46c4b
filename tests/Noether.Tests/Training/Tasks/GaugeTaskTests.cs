using Noether.Groups;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training.Tasks;

public class GaugeTaskTests
{
    [Fact]
    public void WilsonLoopTargets_AreTheNormalisedTracesOfTheLoops()
    {
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 8, 8 }, new Generator(1));
        var targets = GaugeTask.WilsonLoopTargets(links);
        Assert.Equal(new long[] { 2, 5, 8, 8 }, targets.shape);
        var twoByTwo = WilsonLoops.NormalizedTrace(WilsonLoops.Rectangle(links, 0, 1, 2, 2)).to_type(ScalarType.Float32);
        Assert.True((targets.select(1, 2) - twoByTwo).abs().max().ToDouble() < 1e-6);
        // The Polyakov loop's trace does not depend on the coordinate along its direction.
        var polyakov = targets.select(1, 4);
        Assert.True((polyakov - polyakov.roll(3, 2)).abs().max().ToDouble() < 1e-6);
    }

    [Fact]
    public void TopologicalCharge_RunReportsTestBySize_AndIsDeterministic()
    {
        using var data = TaskCatalog.Get("u1-topological-charge").Load();
        using var a = data.Run(new TaskRunOptions("lcnn", TrainSize: 10, Epochs: 1, Seed: 2));
        using var b = data.Run(new TaskRunOptions("lcnn", TrainSize: 10, Epochs: 1, Seed: 2));
        Assert.Equal(a.Result.Test, b.Result.Test);
        Assert.Equal(new[] { "8", "16" }, a.Extra["test_by_size"]!.AsObject().Select(p => p.Key));
        Assert.True(a.Result.EquivarianceError < 1e-5, $"lcnn gauge error {a.Result.EquivarianceError}");
        Assert.Equal("mse", a.Result.Metric);
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("lcnn", Strategy: "frame-average", TrainSize: 10, Epochs: 1)));
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("lcnn", TrainSize: 3, Epochs: 1)));
    }

    [Fact]
    public void TopologicalCharge_Check_LcnnIsGaugeInvariantPerBlock_CnnIsNot()
    {
        using var data = TaskCatalog.Get("u1-topological-charge").Load();
        var lcnn = data.Check("lcnn", checkpoint: null);
        Assert.Equal(new[] { "block0", "model" }, lcnn.Layers.Select(l => l.Name));
        Assert.All(lcnn.Layers, l => Assert.True(l.EquivarianceError < 1e-5, $"{l.Name}: {l.EquivarianceError}"));
        var cnn = data.Check("cnn", checkpoint: null);
        Assert.True(cnn.EquivarianceError > 1e-3, $"cnn gauge error {cnn.EquivarianceError}");
        Assert.Throws<ArgumentException>(() => data.Check("mlp", checkpoint: null));
    }
}
