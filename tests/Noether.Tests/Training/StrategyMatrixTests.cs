using Noether.Training;
using Noether.Training.Tasks;
using Xunit.Abstractions;

namespace Noether.Tests.Training;

/// <summary>The data of every built-in task, loaded once for all the strategy runs (smaller test sets where a task offers
/// them: the strategies, not the metrics, are under test).</summary>
public sealed class TaskDataFixture : IDisposable
{
    private readonly Dictionary<string, ITaskData> _data = new();

    public ITaskData Get(ITrainingTask task)
    {
        if (_data.TryGetValue(task.Info.Name, out var data)) return data;
        data = task switch
        {
            SetTask set => set.Load(null, testSets: 200, setsPerLength: 20),
            GraphTask graph => graph.Load(testGraphs: 100),
            ImageTask image => image.Load(null, testImages: 256),
            _ => task.Load(),
        };
        _data[task.Info.Name] = data;
        return data;
    }

    public void Dispose()
    {
        foreach (var data in _data.Values) data.Dispose();
    }
}

/// <summary>Every strategy every task declares trains through the one Trainer (one epoch on tiny data), and the ones a
/// task does not declare are refused with a message that lists the ones it has.</summary>
[Collection("NoParallel")] // sets the global seed
public class StrategyMatrixTests(TaskDataFixture fixture, ITestOutputHelper output) : IClassFixture<TaskDataFixture>
{
    /// <summary>A cheap model per task (the strategies, not the models, are under test).</summary>
    internal static readonly Dictionary<string, (string Model, int Size)> Cheap = new()
    {
        ["ring-patterns"] = ("mlp", 32), ["rotated-fashion-mnist"] = ("cnn", 32), ["rotated-mnist"] = ("cnn", 32),
        ["digit-sum"] = ("lstm", 64), ["mnist-sum"] = ("deepsets", 32), ["set-max"] = ("mlp", 64), ["mog-clustering"] = ("deepsets", 16),
        ["graph-triangles"] = ("gin", 32), ["graph-components"] = ("mlp", 32), ["nbody"] = ("mlp", 100), ["tetris"] = ("mlp", 8),
        ["lj-cluster"] = ("mlp", 20), ["o5-invariant"] = ("mlp", 64), ["o3-inertia"] = ("mlp", 64), ["lorentz-scattering"] = ("mlp", 64),
        ["modified-inertia"] = ("mlp", 64), ["wilson-loops"] = ("cnn", 10), ["u1-topological-charge"] = ("cnn", 5),
    };

    public static IEnumerable<object[]> Declared() =>
        TaskCatalog.All.SelectMany(t => t.Strategies.Select(s => new object[] { t.Name, s }));

    [Fact]
    public void EveryTask_HasACheapModelHere()
    {
        Assert.Equal(TaskCatalog.All.Select(t => t.Name).OrderBy(n => n), Cheap.Keys.OrderBy(n => n));
    }

    [Theory, MemberData(nameof(Declared))]
    public void DeclaredStrategy_TrainsOneEpoch_AndIsRecorded(string taskName, string strategy)
    {
        var task = TaskCatalog.Get(taskName);
        var (model, size) = Cheap[taskName];
        var epochs = new List<EpochMetrics>();
        using var run = fixture.Get(task).Run(new TaskRunOptions(model, strategy, size, Epochs: 1, Seed: 1), epochs.Add);
        Assert.Equal(strategy, run.Result.Strategy);
        Assert.Single(epochs);
        Assert.Equal(0, epochs[0].Epoch);
        Assert.True(double.IsFinite(run.Result.Test), $"{taskName}/{strategy}: test {run.Result.Test}");
        Assert.True(run.Result.EquivarianceError >= 0, $"{taskName}/{strategy}: {run.Result.EquivarianceError}");
        output.WriteLine($"{taskName} {model} {strategy}: {run.Result.Metric} {run.Result.Test:G4}, equivariance error {run.Result.EquivarianceError:G3}");
    }

    [Fact]
    public void AugmentAndSymmetrize_AreAvailable_OnSetsGraphsPointsMatrixGroupsAndGauge()
    {
        foreach (var name in new[] { "digit-sum", "graph-triangles", "nbody", "tetris", "o5-invariant", "o3-inertia", "wilson-loops", "u1-topological-charge" })
        {
            var strategies = TaskCatalog.Get(name).Info.Strategies;
            Assert.Contains("augment", strategies);
            Assert.Contains("symmetrize", strategies);
        }
        // The Lorentz group is not compact: no invariant average exists, so symmetrize is refused with the strategies it has.
        using var data = TaskCatalog.Get("lorentz-scattering").Load();
        var e = Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("mlp", "symmetrize", 16, 1)));
        Assert.Contains("strategies: none, augment", e.Message);
        Assert.Throws<ArgumentException>(() => Strategy.Parse("mirror"));
    }
}
