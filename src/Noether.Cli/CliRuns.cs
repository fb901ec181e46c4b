using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Training;
using Noether.Training.Tasks;

namespace Noether.Cli;

/// <summary>What train, experiment, check and demo share: checking names against the task catalogue, loading
/// data and running with user-facing errors, and writing runs + report + plot.</summary>
public static class CliRuns
{
    /// <summary>The task named <paramref name="name"/>, or a user error listing the known ones.</summary>
    /// <summary>Checks, before any work, that <paramref name="folder"/> can hold a run's files: it is not an existing file,
    /// nothing in the way of its runs.json/run.json/model.bin is a folder, and it can be created. A user error names the path.</summary>
    public static void RequireOutputFolder(string folder, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new UserInputException($"{option} '{folder}' is a file; give a folder (it is created if missing).");
        foreach (var name in new[] { "runs.json", "runs.csv", "run.json", "model.bin", "report.md" })
            if (Directory.Exists(Path.Combine(full, name)))
                throw new UserInputException($"{option} '{folder}': '{name}' in it is a folder; the run writes a file there. Move it away.");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent)) throw new UserInputException($"{option} '{folder}': '{parent}' is a file, so the folder cannot be created.");
            if (Directory.Exists(parent)) break;
        }
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{option} '{folder}' cannot be created ({e.Message}).", e);
        }
    }

    public static ITrainingTask RequireTask(string? name) =>
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

    /// <summary>Loads (or generates) a task's data once; a missing or corrupt data set is a user error with its install hint.</summary>
    public static ITaskData LoadData(ITrainingTask task, string? dataDirectory) => DataErrors(() => task.Load(dataDirectory));

    /// <summary>One run; the library's argument errors (a bad size, option or model) become user errors.</summary>
    public static TaskRun Run(ITaskData data, TaskRunOptions options, Action<EpochMetrics>? onEpoch = null) =>
        DataErrors(() => data.Run(options, onEpoch));

    /// <summary>One epoch in words, for progress lines: "epoch 3/10 · loss 0.412 · equivariance error 2.1e-7 · 0:41 left"
    /// (epochs counted from 1).</summary>
    public static string Progress(EpochMetrics m)
    {
        var f = System.Globalization.CultureInfo.InvariantCulture;
        var text = $"epoch {m.Epoch + 1}/{m.Epochs} · loss {m.Loss.ToString("0.000", f)}";
        if (m.Validation is double v) text += $" · validation {v.ToString("0.000e+0", f)}";
        if (m.EquivarianceError is double e) text += $" · equivariance error {e.ToString("0.0e+0", f)}";
        var left = m.Remaining;
        return text + $" · {(left.TotalHours >= 1 ? left.ToString(@"h\:mm\:ss", f) : left.ToString(@"m\:ss", f))} left";
    }

    /// <summary>Runs <paramref name="load"/>, turning argument, missing-data and corrupt-data errors into user errors.</summary>
    public static T DataErrors<T>(Func<T> load)
    {
        try
        {
            return CliErrors.UserInput(load);
        }
        catch (Exception e) when (e is DataSetNotFoundException or InvalidDataException or FileNotFoundException
                                      or ArithmeticException) // a training loss that diverged (e.g. a learning rate too high): the message says what to change
        {
            throw new UserInputException(e.Message, e);
        }
    }

    /// <summary>Writes report.md, learning-curves.png/.svg and equivariance-errors.png/.svg to
    /// <paramref name="outDirectory"/> (and runs.json unless an <see cref="ExperimentStore"/> keeps it), and
    /// returns the JSON object experiment and demo end with: runs, report, plots.</summary>
    public static JsonObject WriteReport(string outDirectory, string title, string setting, string plotTitle, IReadOnlyList<RunResult> runs,
        string command, ExperimentStore? store = null, DataSymmetryReport? dataReport = null)
    {
        Directory.CreateDirectory(outDirectory);
        var plots = new List<string>();
        plots.AddRange(ExperimentReport.PlotLearningCurves(runs, Path.Combine(outDirectory, "learning-curves.png"), plotTitle, svg: true));
        plots.AddRange(ExperimentReport.PlotEquivarianceErrors(runs, Path.Combine(outDirectory, "equivariance-errors.png"),
            $"{plotTitle}: equivariance error of the trained models", svg: true));
        var report = Path.Combine(outDirectory, "report.md");
        var markdown = ExperimentReport.Markdown(title, setting, runs, plots, command);
        if (dataReport is not null) markdown += Environment.NewLine + dataReport.ToMarkdown();
        AtomicFile.WriteAllText(report, markdown);
        var runsJson = new JsonArray(runs.Select(RunJson).ToArray());
        if (store is null) AtomicFile.WriteAllText(Path.Combine(outDirectory, "runs.json"), runsJson.ToJsonString());
        return new JsonObject
        {
            ["runs"] = runsJson,
            ["report"] = Path.GetFullPath(report),
            ["plots"] = new JsonArray(plots.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
        };
    }

    /// <summary>The task's data diagnostic for an experiment report, read from <c>data-check.json</c> in
    /// <paramref name="outDirectory"/> when an earlier invocation wrote it for the same task and the same data options
    /// (training rotation, draw, force clip), else run (and saved atomically); null when the task has no data diagnostic.</summary>
    public static DataSymmetryReport? DataCheck(ITrainingTask task, string? dataDirectory, string outDirectory, IReadOnlyDictionary<string, string> options)
    {
        // The training rotation shapes an image task's data even when left at its default.
        if (task.Info.Option("train-rotation") is { } rotationOption && !options.ContainsKey(rotationOption.Name))
            options = new Dictionary<string, string>(options) { [rotationOption.Name] = rotationOption.DefaultText };
        var path = Path.Combine(outDirectory, "data-check.json");
        if (File.Exists(path))
        {
            try
            {
                var node = JsonNode.Parse(File.ReadAllText(path));
                var saved = DataSymmetryReport.FromJson(node);
                var rotation = node?["train_rotation"]?.GetValue<string>();
                bool Same(string option) => (node?[option.Replace('-', '_')]?.GetValue<string>() ?? "") == options.GetValueOrDefault(option, "");
                if (saved.Task == task.Info.Name && rotation == options.GetValueOrDefault("train-rotation") && DataShapingOptions.All(Same)) return saved;
            }
            catch (Exception e) when (e is InvalidDataException or System.Text.Json.JsonException)
            {
                throw new UserInputException($"{path} is not a valid data-check file ({e.Message}); delete it to run the data diagnostic again.", e);
            }
        }
        DataSymmetryReport report;
        using (var data = LoadData(task, dataDirectory))
        {
            try
            {
                report = DataErrors(() => data.CheckData(options));
            }
            catch (NotSupportedException)
            {
                return null;
            }
        }
        Directory.CreateDirectory(outDirectory);
        var json = report.ToJson();
        json["train_rotation"] = options.GetValueOrDefault("train-rotation");
        foreach (var option in DataShapingOptions)
            if (options.GetValueOrDefault(option) is { Length: > 0 } value) json[option.Replace('-', '_')] = value;
        AtomicFile.WriteAllText(path, json.ToJsonString());
        return report;
    }

    /// <summary>Options besides the training rotation that change a task's data, so a saved data check of other
    /// values is not reused.</summary>
    private static readonly string[] DataShapingOptions = { "draw", "force-clip" };

    /// <summary>DESIGN.md's train fields of one run.</summary>
    public static JsonObject RunJson(RunResult r) => ExperimentStore.ToJson(r);
}
