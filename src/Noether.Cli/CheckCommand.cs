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
    public sealed class Settings : JsonSettings
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

        /// <summary>Training rotation for image tasks.</summary>
        [CommandOption("--train-rotation <MODE>")]
        [Description("Image tasks, with --data: the training images as the task gives them, random (default) or none (upright).")]
        public string TrainRotation { get; init; } = "random";

        /// <summary>DeepSets pooling for set tasks.</summary>
        [CommandOption("--pooling <P>")]
        [Description("Set tasks, model deepsets: the pooling the checkpoint was trained with (sum, mean or max; default sum).")]
        public string Pooling { get; init; } = "sum";

        /// <summary>Matrix-group tasks: the model's group.</summary>
        [CommandOption("--group <G>")]
        [Description("Matrix-group tasks: the group the emlp/rpp model was built for (default: the task's).")]
        public string? Group { get; init; }

        /// <summary>Matrix-group tasks: members of the ensemble the checkpoint holds.</summary>
        [CommandOption("--ensemble <K>")]
        [Description("Matrix-group tasks: the --ensemble the checkpoint was trained with (K members; default 1).")]
        public string? Ensemble { get; init; }

        /// <summary>The strategy the checkpoint was trained with, where it changes the model.</summary>
        [CommandOption("--strategy <S>")]
        [Description("nbody: the strategy the checkpoint was trained with when it wraps the model (frame-average or canonicalize; default none).")]
        public string Strategy { get; init; } = "none";

        /// <summary>nbody: the data draw whose test systems are checked.</summary>
        [CommandOption("--draw <D>")]
        [Description("nbody: the test systems to check on: seeded (default) or reference (the EGNN paper's own systems).")]
        public string? Draw { get; init; }

        /// <summary>nbody: the force limit of the simulated systems.</summary>
        [CommandOption("--force-clip <MODE>")]
        [Description("nbody: the simulator's force limit: component (default, the EGNN protocol), norm (E(3) exact) or none.")]
        public string? ForceClip { get; init; }

        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of the small models the data diagnostic trains (default 0).")]
        public int Seed { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        TaskSettings.CheckTaskOption(task.Info, "draw", settings.Draw);
        TaskSettings.CheckDraw(settings.Draw);
        TaskSettings.CheckTaskOption(task.Info, "force-clip", settings.ForceClip);
        TaskSettings.CheckForceClip(settings.ForceClip);
        TaskSettings.CheckTaskOption(task.Info, "ensemble", settings.Ensemble);
        TaskSettings.CheckEnsemble(settings.Ensemble);
        if (settings.CheckData) return CheckDataSymmetry(task, settings);
        if (settings.Model is null) throw new UserInputException("--model is required (or --data to check the data); see `noether tasks`.");
        CliRuns.RequireAccepted(task.Info, new[] { settings.Model }, Array.Empty<string>());
        ModelCheck check;
        using (var data = CliRuns.LoadData(task, settings.DataDirectory))
            check = CliRuns.DataErrors(() => data.Check(settings.Model, settings.Checkpoint, new Dictionary<string, string>
            {
                ["train-rotation"] = settings.TrainRotation,
                ["pooling"] = settings.Pooling,
                ["group"] = settings.Group ?? "",
                ["strategy"] = settings.Strategy,
                ["draw"] = settings.Draw ?? "",
                ["force-clip"] = settings.ForceClip ?? "",
                ["ensemble"] = settings.Ensemble ?? "",
            }));
        var layers = check.Layers;
        double modelError = check.EquivarianceError;

        var json = new JsonObject
        {
            ["task"] = task.Info.Name,
            ["model"] = settings.Model,
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

    private static int CheckDataSymmetry(ITrainingTask task, Settings settings)
    {
        if (settings.TrainRotation is not ("random" or "none"))
            throw new UserInputException($"--train-rotation must be random or none (got '{settings.TrainRotation}').");
        var options = new Dictionary<string, string> { ["train-rotation"] = settings.TrainRotation };
        if (settings.Draw is not null) options["draw"] = settings.Draw;
        if (settings.ForceClip is not null) options["force-clip"] = settings.ForceClip;
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
