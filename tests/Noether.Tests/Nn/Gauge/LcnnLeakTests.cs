using Noether.Data;
using Noether.Groups;
using Noether.Nn.Gauge;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Gauge;

[Collection("NoParallel")]
public class LcnnLeakTests
{
    [Fact]
    public void Lcnn_BuiltInAScope_WorksAfterIt_AndForwardLeaksNoTensors()
    {
        Lcnn model;
        using (var construction = NewDisposeScope())
            model = new Lcnn(GaugeGroup.SU2, 2, new[] { 3, 3 }, new[] { 1, 2 }, outputs: 2, seed: 1);
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 4, 4 }, new Generator(1), ScalarType.ComplexFloat32);
        using (no_grad()) model.forward(links); // warm-up
        DisposeScopeManager.Statistics.Reset();
        using (no_grad())
        using (var inner = NewDisposeScope())
            Assert.Equal(new long[] { 2, 2, 4, 4 }, model.forward(links).shape);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        model.Dispose();
    }

    [Fact]
    public void MonteCarloSweep_LeaksNoTensors()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(2);
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 4, 4 }, generator);
        var mc = new LatticeMonteCarlo(GaugeGroup.SU2, 2.0, LinkUpdate.HeatBath);
        mc.Sweep(links, generator).Dispose(); // warm-up
        DisposeScopeManager.Statistics.Reset();
        using (var inner = NewDisposeScope())
            mc.Sweep(links, generator);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
