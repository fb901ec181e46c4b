using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Runtime;
using Noether.Training;

namespace Noether.Cli;

/// <summary>What train, experiment and demo share: checking names against the task catalogue, loading
/// image data with user-facing errors, one ring-patterns run, and writing runs + report + plot.</summary>
public static class CliRuns
{
    /// <summary>The task named <paramref name="name"/>, or a user error listing the known ones.</summary>
    public static TaskInfo RequireTask(string? name) =>
        name is null
            ? throw new UserInputException("--task is required; see `noether tasks`.")
            : CliErrors.UserInput(() => TaskCatalog.Get(name));

    /// <summary>Checks a model and a strategy against what the task accepts.</summary>
    public static void RequireAccepted(TaskInfo task, IEnumerable<string> models, IEnumerable<string> strategies)
    {
        foreach (var m in models)
            if (!task.Models.Contains(m)) throw new UserInputException($"Task {task.Name} has no model '{m}'; models: {string.Join(", ", task.Models)}.");
        foreach (var s in strategies)
            if (!task.Strategies.Contains(s)) throw new UserInputException($"Task {task.Name} has no strategy '{s}'; strategies: {string.Join(", ", task.Strategies)}.");
    }

    /// <summary>Loads an image task's data; a missing or corrupt data set is a user error with its install hint.</summary>
    public static (LabeledSet Train, LabeledSet Test) LoadImages(ImageRunOptions options) => DataErrors(() => ImageTraining.Load(options));

    /// <summary>Loads an image task's full training set and rotated test set once, for a sweep.</summary>
    public static (LabeledSet FullTrain, LabeledSet Test) LoadImageSource(string task, string? dataDirectory) =>
        DataErrors(() => ImageTraining.LoadSource(task, dataDirectory));

    /// <summary>The training set of one run of a sweep; a bad size is a user error.</summary>
    public static LabeledSet PrepareTrain(LabeledSet fullTrain, ImageRunOptions options) =>
        CliErrors.UserInput(() => ImageTraining.PrepareTrain(fullTrain, options));

    private static T DataErrors<T>(Func<T> load)
    {
        try
        {
            return CliErrors.UserInput(load);
        }
        catch (Exception e) when (e is DataSetNotFoundException or InvalidDataException)
        {
            throw new UserInputException(e.Message, e);
        }
    }

    /// <summary>One ring-patterns run (1 libtorch thread: the model is tiny).</summary>
    public static RunResult RunRing(string strategy, int size, int epochs, int seed)
    {
        TorchRuntime.Threads = 1;
        var ring = new RingPatterns();
        using var train = ring.Sample(size, seed: 1000 * seed + size);
        using var test = ring.Sample(2000, seed: 1_000_000);
        using var probe = test.Inputs.narrow(0, 0, 256);
        return StrategyComparison.RunOne(ring, strategy, train, test, probe, new[] { 64, 64 }, epochs, seed);
    }

    /// <summary>Writes runs.json, report.md and learning-curves.png to <paramref name="outDirectory"/> and
    /// returns the JSON object experiment and demo end with: runs, report, plots.</summary>
    public static JsonObject WriteReport(string outDirectory, string title, string setting, string plotTitle, IReadOnlyList<RunResult> runs, string command)
    {
        Directory.CreateDirectory(outDirectory);
        var plot = Path.Combine(outDirectory, "learning-curves.png");
        ExperimentReport.PlotLearningCurves(runs, plot, plotTitle);
        var report = Path.Combine(outDirectory, "report.md");
        File.WriteAllText(report, ExperimentReport.Markdown(title, setting, runs, new[] { plot }, command));
        var runsJson = new JsonArray(runs.Select(RunJson).ToArray());
        File.WriteAllText(Path.Combine(outDirectory, "runs.json"), runsJson.ToJsonString());
        return new JsonObject
        {
            ["runs"] = runsJson,
            ["report"] = Path.GetFullPath(report),
            ["plots"] = new JsonArray(JsonValue.Create(Path.GetFullPath(plot))),
        };
    }

    /// <summary>DESIGN.md's train fields of one run.</summary>
    public static JsonObject RunJson(RunResult r) => new()
    {
        ["task"] = r.Task,
        ["model"] = r.Model,
        ["strategy"] = r.Strategy,
        ["train_size"] = r.TrainSize,
        ["epochs"] = r.Epochs,
        ["seed"] = r.Seed,
        ["metric"] = r.Metric,
        ["test"] = r.Test,
        ["equivariance_error"] = r.EquivarianceError,
        ["params"] = r.Params,
        ["train_seconds"] = Math.Round(r.TrainSeconds, 3),
    };
}
