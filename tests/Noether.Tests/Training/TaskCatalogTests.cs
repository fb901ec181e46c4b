using Noether.Training;
using Noether.Training.Tasks;

namespace Noether.Tests.Training;

[Collection("NoParallel")] // runs seed the global torch generator and compare two runs
public class TaskCatalogTests
{
    [Fact]
    public void Catalog_NamesAreUnique_AndEveryTaskListsModelsStrategiesAndMetric()
    {
        var names = TaskCatalog.Tasks.Select(t => t.Info.Name).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(TaskCatalog.Tasks, t =>
        {
            Assert.NotEmpty(t.Info.Models);
            Assert.Contains("none", t.Info.Strategies);
            Assert.False(string.IsNullOrWhiteSpace(t.Info.Metric));
            Assert.Same(t, TaskCatalog.Get(t.Info.Name));
        });
    }

    [Fact]
    public void Get_UnknownTask_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => TaskCatalog.Get("no-such-task"));
        Assert.Contains("ring-patterns", e.Message);
    }

    [Fact]
    public void RingPatterns_RunThroughTheTaskInterface_IsDeterministic_AndSymmetrizeIsInvariant()
    {
        using var data = TaskCatalog.Get("ring-patterns").Load();
        using var a = data.Run(new TaskRunOptions("mlp", "symmetrize", TrainSize: 32, Epochs: 2, Seed: 3));
        using var b = data.Run(new TaskRunOptions("mlp", "symmetrize", TrainSize: 32, Epochs: 2, Seed: 3));
        Assert.Equal(a.Result.Test, b.Result.Test);
        Assert.True(a.Result.EquivarianceError < 1e-5, $"symmetrized error {a.Result.EquivarianceError}");
        Assert.Equal(32, a.Result.TrainSize);
        var check = data.Check("mlp", checkpoint: null);
        Assert.True(check.EquivarianceError > 1e-3, "an untrained plain MLP is not C8-invariant");
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("cnn")));
    }

    [Fact]
    public void ImageTask_TrainRotationOption_IsParsed_AndABadValueNamesTheChoices()
    {
        Assert.True(ImageTask.RotatedMnist.RandomTrainRotation(new TaskRunOptions("c8")));
        Assert.False(ImageTask.RotatedMnist.RandomTrainRotation(new TaskRunOptions("c8", Options: new Dictionary<string, string> { ["train-rotation"] = "none" })));
        var e = Assert.Throws<ArgumentException>(() => ImageTask.RotatedMnist.RandomTrainRotation(
            new TaskRunOptions("c8", Options: new Dictionary<string, string> { ["train-rotation"] = "sideways" })));
        Assert.Contains("random or none", e.Message);
    }
}
