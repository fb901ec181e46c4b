using Noether.Training;

namespace Noether.Tests.Training;

public class ExperimentStoreTests
{
    private static RunResult Run(int size, int seed, double test) =>
        new("ring-patterns", "mlp", "none", size, 5, seed, "accuracy", test, 0.01, 1234, 1.5);

    [Fact]
    public void AddedRuns_SurviveReopening_AndAreFoundByTheirKeyOnly()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-store-{Guid.NewGuid():N}");
        var options = new Dictionary<string, string> { ["train-rotation"] = "random" };
        var store = new ExperimentStore(dir);
        store.Add(Run(16, 0, 0.5), 16, options);
        store.Add(Run(32, 0, 0.75), 32, options);
        store.Add(Run(16, 0, 0.625), 16, options);   // same key: replaces, never duplicates

        var reopened = new ExperimentStore(dir);
        Assert.Equal(2, reopened.Runs.Count);
        Assert.Equal(0.625, reopened.Find("ring-patterns", "mlp", "none", 16, 5, 0, options)!.Test);
        Assert.Null(reopened.Find("ring-patterns", "mlp", "none", 16, 5, 1, options));                 // other seed
        Assert.Null(reopened.Find("ring-patterns", "mlp", "none", 16, 5, 0,
            new Dictionary<string, string> { ["train-rotation"] = "none" }));                              // other option
        Assert.Null(reopened.Find("ring-patterns", "mlp", "none", 16, 6, 0, options));                 // other epochs
        var csv = File.ReadAllLines(reopened.CsvPath);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("task,model,strategy,train_size", csv[0]);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TwoWritersOnOneFolder_KeepEachOthersRuns()
    {
        // Two experiments filling one folder (e.g. two models in parallel processes): each store was opened before the
        // other wrote; neither may overwrite the other's runs.
        var dir = Path.Combine(Path.GetTempPath(), $"noether-store-{Guid.NewGuid():N}");
        var first = new ExperimentStore(dir);
        var second = new ExperimentStore(dir);
        first.Add(Run(16, 0, 0.5), 16);
        second.Add(Run(16, 1, 0.25), 16);
        first.Add(Run(32, 0, 0.75), 32);
        Assert.Equal(3, new ExperimentStore(dir).Runs.Count);
        Assert.Equal(3, first.Runs.Count);
        Assert.Equal(0.25, first.Find("ring-patterns", "mlp", "none", 16, 5, 1)!.Test);

        // And at the same time, from two threads: every run of both is kept.
        var a = new ExperimentStore(dir);
        var b = new ExperimentStore(dir);
        Parallel.Invoke(
            () => { for (var seed = 10; seed < 30; seed++) a.Add(Run(64, seed, 0.1), 64); },
            () => { for (var seed = 30; seed < 50; seed++) b.Add(Run(64, seed, 0.2), 64); });
        var merged = new ExperimentStore(dir);
        Assert.Equal(43, merged.Runs.Count);
        Assert.Equal(44, File.ReadAllLines(merged.CsvPath).Length);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void DivergedRun_WithNaNValues_IsStoredAsNull_AndReadBackAsNaN()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-store-{Guid.NewGuid():N}");
        new ExperimentStore(dir).Add(Run(16, 0, double.NaN), 16);
        Assert.Contains("\"test\": null", File.ReadAllText(Path.Combine(dir, "runs.json")));
        Assert.True(double.IsNaN(new ExperimentStore(dir).Runs[0].Test));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void CorruptRunsFile_IsAnInvalidDataError_NamingTheFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-store-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "runs.json"), "{\"not\": \"a list\"}");
        var e = Assert.Throws<InvalidDataException>(() => new ExperimentStore(dir));
        Assert.Contains("runs.json", e.Message);
        File.WriteAllText(Path.Combine(dir, "runs.json"), "[{\"task\": \"x\"}]");
        Assert.Throws<InvalidDataException>(() => new ExperimentStore(dir));
        Directory.Delete(dir, recursive: true);
    }
}
