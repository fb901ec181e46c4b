using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Training.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether check --task T --model M [--checkpoint FILE]</c>: the equivariance error of a model,
/// per layer, on the task's test inputs.</summary>
public sealed class CheckCommand : Command<CheckCommand.Settings>
{
    /// <summary>Options of <c>check</c>.</summary>
    public sealed class Settings : JsonSettings, ITakesTaskOptions
    {
        /// <summary>The task.</summary>
        [CommandOption("--task <TASK>")]
        [Description("A task from `noether tasks`.")]
        public string? Task { get; init; }

        /// <summary>The model.</summary>
        [CommandOption("--model <MODEL>")]
        [Description("A model the task accepts.")]
        public string? Model { get; init; }

        /// <summary>Trained weights.</summary>
        [CommandOption("--checkpoint <FILE>")]
        [Description("Weights saved by `noether train --out DIR` (DIR/model.bin); default: the untrained model.")]
        public string? Checkpoint { get; init; }

        /// <summary>Check the data instead of a model.</summary>
        [CommandOption("--data")]
        [Description("Check which symmetries the task's data has (exact, approximate or absent) and recommend a strategy, instead of checking a model.")]
        public bool CheckData { get; init; }

        /// <summary>Data location.</summary>
        [CommandOption("--data-dir <DIR>")]
        [Description("Where the data set is, if not in its default place.")]
        public string? DataDirectory { get; init; }

        /// <summary>The strategy the checkpoint was trained with, where it changes the model.</summary>
        [CommandOption("--strategy <S>")]
        [Description("The strategy the checkpoint was trained with (symmetrize, frame-average, canonicalize … change the model; default: the one in the run.json beside the checkpoint, else none). Task options (--pooling, --group, --ensemble, --draw …) as in `noether tasks TASK`; those not given are read from that run.json.")]
        public string? Strategy { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the small models the data diagnostic trains (default 0).")]
        public int Seed { get; init; }
    }

    /// <summary>The run recorded beside <paramref name="checkpoint"/> (the run.json of `train --out`), or null.</summary>
    private static Noether.Training.StoredRun? RecordedRun(string checkpoint)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint)) ?? ".", "run.json");
        if (!File.Exists(path)) return null;
        try
        {
            return Noether.Training.StoredRun.Read(new[] { path }).Last();
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"'{path}' beside the checkpoint is not a run record ({e.Message}); move it away to check the weights alone.", e);
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        if (settings.DataDirectory is not null && !task.Info.ReadsDataFiles)
            throw new UserInputException($"Task {task.Info.Name} generates its data; --data-dir applies to tasks that read data files.");
        if (settings.CheckData)
        {
            if (settings.Model is not null) throw new UserInputException("--data checks the task's data; leave out --model (or leave out --data to check the model).");
            return CheckDataSymmetry(task, settings, TaskOptionArguments.Check(context, task.Info, Array.Empty<string>()));
        }
        if (settings.Model is null) throw new UserInputException("--model is required (or --data to check the data); see `noether tasks`.");
        // How the checkpoint was trained: `train --out DIR` writes DIR/run.json beside DIR/model.bin.
        var recorded = settings.Checkpoint is null ? null : RecordedRun(settings.Checkpoint);
        if (recorded is not null && (recorded.Result.Task != task.Info.Name || recorded.Result.Model != settings.Model))
            throw new UserInputException($"'{settings.Checkpoint}' holds a {recorded.Result.Model} trained on {recorded.Result.Task} (its run.json); " +
                                         $"check it with --task {recorded.Result.Task} --model {recorded.Result.Model}.");
        if (recorded is not null && settings.Strategy is not null && settings.Strategy != recorded.Result.Strategy)
            throw new UserInputException($"'{settings.Checkpoint}' was trained with --strategy {recorded.Result.Strategy} (its run.json), not {settings.Strategy}.");
        var strategy = settings.Strategy ?? recorded?.Result.Strategy ?? "none";
        CliRuns.RequireAccepted(task.Info, new[] { settings.Model }, new[] { strategy });
        // The options the checkpoint was trained with (e.g. --pooling, --group, --ensemble) build the same architecture:
        // those given here, else those its run.json records.
        var given = new Dictionary<string, string>(TaskOptionArguments.Check(context, task.Info, new[] { settings.Model }));
        if (recorded is not null)
            foreach (var option in task.Info.Options)
                if (!given.ContainsKey(option.Name) && (option.Models is null || option.Models.Contains(settings.Model)) && recorded.Field(option.Name) is { } value)
                    given[option.Name] = value;
        var options = new Dictionary<string, string>(CliErrors.UserInput(() => task.Info.CheckOptions(given, new[] { settings.Model })))
        {
            ["strategy"] = strategy,
        };
        ModelCheck check;
        using (var data = CliRuns.LoadData(task, settings.DataDirectory))
            check = CliRuns.DataErrors(() => data.Check(settings.Model, settings.Checkpoint, options));
        var layers = check.Layers;
        double modelError = check.EquivarianceError;

        var json = new JsonObject
        {
            ["task"] = task.Info.Name,
            ["model"] = settings.Model,
            ["strategy"] = strategy,
            ["checkpoint"] = settings.Checkpoint is null ? null : Path.GetFullPath(settings.Checkpoint),
            ["equivariance_error"] = modelError,
            ["action"] = check.Action,
            ["type_check"] = check.TypeCheck is null ? null : new JsonObject
            {
                ["passed"] = check.TypeCheck.Passed,
                ["first_problem"] = check.TypeCheck.FirstProblem is null ? null : new JsonObject
                {
                    ["layer"] = check.TypeCheck.FirstProblem.Name,
                    ["kind"] = check.TypeCheck.FirstProblem.Kind,
                    ["problem"] = check.TypeCheck.FirstProblem.Verdict,
                },
            },
            ["lie_derivative"] = check.LieDerivatives is null ? null
                : new JsonObject(check.LieDerivatives.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name,
                ["kind"] = l.Kind,
                ["equivariance_error"] = l.EquivarianceError,
                ["max_error"] = l.MaxError,
            }).ToArray()),
        };
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        var table = new Table().AddColumns("layer", "kind", "equivariance error (mean)", "max");
        foreach (var l in layers)
            table.AddRow(Markup.Escape(l.Name), l.Kind, Format(l.EquivarianceError), Format(l.MaxError));
        AnsiConsole.Write(table);
        if (layers.Any(l => l.EquivarianceError is null)) AnsiConsole.MarkupLine("[grey]—: the layer declares no field types (a plain layer)[/]");
        AnsiConsole.MarkupLine($"whole model ({Markup.Escape(check.Action)}): equivariance error {Format(modelError)}");
        if (check.TypeCheck is not null) AnsiConsole.MarkupLine(Markup.Escape(check.TypeCheck.ToString()));
        if (check.LieDerivatives is not null)
            foreach (var (flow, value) in check.LieDerivatives)
                AnsiConsole.MarkupLine($"Lie derivative under {Markup.Escape(flow)}: {Format(value)}");
        return 0;
    }

    private static int CheckDataSymmetry(ITrainingTask task, Settings settings, IReadOnlyDictionary<string, string> options)
    {
        Noether.Training.DataSymmetryReport report;
        using (var data = CliRuns.LoadData(task, settings.DataDirectory))
        {
            try
            {
                report = CliRuns.DataErrors(() => data.CheckData(options, settings.Seed));
            }
            catch (NotSupportedException e)
            {
                throw new UserInputException($"Task {task.Info.Name} has no data-symmetry diagnostic yet: {e.Message}", e);
            }
        }
        var json = report.ToJson();
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        var table = new Table().AddColumns("symmetry", "verdict", "score", "group", "notes");
        foreach (var s in report.Symmetries)
            table.AddRow(Markup.Escape(s.Name), s.Verdict, s.Score.ToString("0.000", CultureInfo.InvariantCulture), Markup.Escape(s.Group ?? ""), Markup.Escape(s.Notes));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"recommendation: {Markup.Escape(report.Recommendation)}");
        return 0;
    }

    private static string Format(double? value) => value is double v ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : "—";
}
