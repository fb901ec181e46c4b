using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Equivariance;
using Noether.Nn.Generic;
using Noether.Training;
using Spectre.Console;
using Spectre.Console.Cli;
using static TorchSharp.torch;

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

        /// <summary>Data location.</summary>
        [CommandOption("--data <DIR>")]
        [Description("Where the data set is, if not in its default place.")]
        public string? Data { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        if (settings.Model is null) throw new UserInputException("--model is required; see `noether tasks`.");
        CliRuns.RequireAccepted(task, new[] { settings.Model }, Array.Empty<string>());
        double modelError;
        IReadOnlyList<LayerError> layers;
        using var scope = NewDisposeScope();
        if (task.Name == "ring-patterns")
        {
            var ring = new RingPatterns();
            using var model = new Mlp(ring.Sites, new[] { 64, 64 }, ring.Classes);
            Load(model, settings.Checkpoint);
            using var test = ring.Sample(256, seed: 1_000_000);
            model.eval();
            modelError = EquivarianceCheck.Invariance(x => nn.functional.softmax(model.forward(x), 1), new RepresentationAction(ring.InputRepresentation),
                test.Inputs, samples: ring.Group.Order!.Value).MeanRelativeError;
            layers = new[] { new LayerError("mlp", nameof(Mlp), null, null) };
        }
        else
        {
            var (train, test) = CliRuns.LoadImages(new ImageRunOptions(task.Name, settings.Model, TrainSize: 1, DataDirectory: settings.Data));
            train.Dispose();
            using (test)
            {
                using var model = ImageModels.Create(settings.Model, 10, seed: 0);
                Load(model, settings.Checkpoint);
                (modelError, layers) = ModelDiagnostics.Check(model, test.Inputs.narrow(0, 0, 32));
            }
        }

        var json = new JsonObject
        {
            ["task"] = task.Name,
            ["model"] = settings.Model,
            ["checkpoint"] = settings.Checkpoint is null ? null : Path.GetFullPath(settings.Checkpoint),
            ["equivariance_error"] = modelError,
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
        AnsiConsole.MarkupLine($"whole model ({task.Symmetry}, rotations by multiples of 90° or the task's group): invariance error {Format(modelError)}");
        return 0;
    }

    private static void Load(TorchSharp.torch.nn.Module model, string? checkpoint)
    {
        if (checkpoint is null) return;
        try
        {
            Checkpoint.Load(model, checkpoint);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new UserInputException(e.Message, e);
        }
    }

    private static string Format(double? value) => value is double v ? v.ToString("0.0e+0", CultureInfo.InvariantCulture) : "—";
}
