using Noether.Tests.Training;
using Noether.Training.Tasks;

namespace Noether.Tests.Cli;

/// <summary>Every strategy every task declares runs from the command line: one `experiment` per task over all its
/// strategies, one epoch on tiny data, with one run recorded per strategy.</summary>
public sealed class StrategyMatrixCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"noether-strategies-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    public static IEnumerable<object[]> Tasks() => TaskCatalog.All.Select(t => new object[] { t.Name });

    [Theory, MemberData(nameof(Tasks))]
    public void EveryDeclaredStrategy_RunsFromTheCli(string taskName)
    {
        var task = TaskCatalog.Get(taskName).Info;
        var (model, size) = StrategyMatrixTests.Cheap[taskName];
        var (code, stdout, stderr) = CliTests.RunWithin(600, "experiment", "--task", taskName, "--models", model,
            "--strategies", string.Join(",", task.Strategies), "--sizes", size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--epochs", "1", "--seeds", "1", "--out", _dir, "--skip-data-check", "--json");
        Assert.True(code == 0, $"{taskName}: {stderr}");
        var runs = CliTests.LastJsonLine(stdout).GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(task.Strategies.OrderBy(s => s), runs.Select(r => r.GetProperty("strategy").GetString()!).OrderBy(s => s));
        Assert.All(runs, r => Assert.True(double.IsFinite(r.GetProperty("test").GetDouble()), $"{taskName}: {r}"));
    }
}
