using Noether.Nn.Graphs;
using Noether.Nn.Sets;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

public sealed class PermutationTaskTests
{
    [Fact]
    public void DigitSum_DeepSetsRun_ReportsTestByLength_AndIsInvariant_WhileTheLstmIsNot()
    {
        using var data = SetTask.DigitSum.Load(null, testSets: 200, setsPerLength: 20);
        using var deepsets = data.Run(new TaskRunOptions("deepsets", TrainSize: 128, Epochs: 1, Seed: 1));
        Assert.Equal("accuracy", deepsets.Result.Metric);
        Assert.Equal(20, deepsets.Extra["test_by_length"]!.AsObject().Count);
        Assert.True(deepsets.Result.EquivarianceError <= 1e-5, deepsets.Result.EquivarianceError.ToString());
        using var lstm = data.Run(new TaskRunOptions("lstm", "augment", TrainSize: 128, Epochs: 1, Seed: 1));
        Assert.True(lstm.Result.EquivarianceError > 1e-4, lstm.Result.EquivarianceError.ToString());
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("gin", TrainSize: 8, Epochs: 1)));
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("deepsets", TrainSize: 8, Epochs: 1,
            Options: new Dictionary<string, string> { ["pooling"] = "median" })));
    }

    [Fact]
    public void Check_BuildsTheModelWithTheGivenPooling()
    {
        // check must rebuild the architecture the checkpoint was trained with: the pooling option reaches it.
        using var data = SetTask.DigitSum.Load(null, testSets: 50, setsPerLength: 2);
        var max = data.Check("deepsets", null, new Dictionary<string, string> { ["pooling"] = "max" });
        Assert.True(max.EquivarianceError <= 1e-5, max.EquivarianceError.ToString());
        Assert.Throws<ArgumentException>(() => data.Check("deepsets", null, new Dictionary<string, string> { ["pooling"] = "median" }));
    }

    [Fact]
    public void MnistSum_DeepSetsRun_ReadsImagesAsElements_AndIsInvariant()
    {
        using var data = SetTask.MnistSum.Load(null, testSets: 100, setsPerLength: 4);
        using var run = data.Run(new TaskRunOptions("deepsets", TrainSize: 128, Epochs: 1, Seed: 3));
        Assert.Equal(128, run.Result.TrainSize);
        Assert.Equal(20, run.Extra["test_by_length"]!.AsObject().Count);
        Assert.True(run.Result.EquivarianceError <= 1e-5, run.Result.EquivarianceError.ToString());
        Assert.True(run.Result.Params > 784 * 128, run.Result.Params.ToString());
    }

    [Fact]
    public void GraphTriangles_GinRun_IsInvariant_AndTheAdjacencyMlpIsNot()
    {
        using var data = GraphTask.Triangles.Load(testGraphs: 100);
        using var gin = data.Run(new TaskRunOptions("gin", TrainSize: 64, Epochs: 1, Seed: 2));
        Assert.Equal("mae", gin.Result.Metric);
        Assert.True(gin.Result.EquivarianceError <= 1e-5, gin.Result.EquivarianceError.ToString());
        var gcn = data.Check("gcn", null);
        Assert.Equal(5, gcn.Layers.Count);                       // embedding, 3 layers, whole model
        Assert.All(gcn.Layers, l => Assert.True(l.EquivarianceError <= 1e-5, $"{l.Name}: {l.EquivarianceError}"));
        var check = data.Check("mlp", null);
        Assert.True(check.EquivarianceError > 1e-4, check.EquivarianceError.ToString());
    }

    [Fact]
    public void MixtureLogLikelihood_OfAPointAtTheMeanOfItsOnlyComponent_IsMinusLog2PiSigmaSquared()
    {
        using var scope = NewDisposeScope();
        // Component 0 has all the weight (logit 0 vs −1000), mean (1, 2), σ = 0.5 on both axes.
        var p = tensor(new float[] { 0, 1, 2, MathF.Log(0.5f), MathF.Log(0.5f) }.Concat(Enumerable.Repeat(new float[] { -1000, 0, 0, 0, 0 }, 3).SelectMany(v => v)).ToArray()).reshape(1, 20);
        var points = tensor(new float[] { 1, 2, 50, 50 }).reshape(1, 2, 2);
        var mask = tensor(new[] { true, false }).reshape(1, 2);
        var ll = SetTask.MixtureLogLikelihood(p, points, mask).ToDouble();
        Assert.Equal(-Math.Log(2 * Math.PI * 0.25), ll, 4);
    }

    [Fact]
    public void DenseAdjacency_FollowsANodePermutation_AndAugmentKeepsEachSetsElements()
    {
        using var scope = NewDisposeScope();
        var batch = GraphTask.Batch(Noether.Data.RandomGraphs.Generate(3, seed: 9));
        var (a, mask) = DenseAdjacency.Build(batch, 40);
        Assert.Equal(batch.EdgeCount, (long)a.sum().ToDouble());
        Assert.Equal(batch.NodeCount, mask.sum().ToInt64());
        var sets = SetBatch.Pad(new[] { arange(5, dtype: ScalarType.Float32).unsqueeze(1), arange(3, dtype: ScalarType.Float32).unsqueeze(1) });
        var shuffled = SetOrder.Shuffle(sets, new Generator(1));
        Assert.True(shuffled.Mask.equal(sets.Mask).all().ToBoolean());
        Assert.True(allclose(shuffled.Features.sum(1), sets.Features.sum(1)));
        Assert.False(shuffled.Features.equal(sets.Features).all().ToBoolean());
    }
}
