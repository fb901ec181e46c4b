using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Runtime;
using Noether.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether experiment</c>: models × strategies × training-set sizes × seeds on one task →
/// runs, a Markdown report and a learning-curve plot.</summary>
public sealed class ExperimentCommand : Command<ExperimentCommand.Settings>
{
    /// <summary>Options of <c>experiment</c>.</summary>
    public sealed class Settings : TaskSettings
    {

        /// <summary>Models.</summary>
        [CommandOption("--models <A,B>")]
        [Description("Comma-separated models the task accepts.")]
        public string? Models { get; init; }

        /// <summary>Strategies.</summary>
        [CommandOption("--strategies <S1,S2>")]
        [Description("Comma-separated strategies (default none).")]
        public string Strategies { get; init; } = "none";

        /// <summary>Sizes.</summary>
        [CommandOption("--sizes <N1,N2>")]
        [Description("Comma-separated training-set sizes.")]
        public string? Sizes { get; init; }

        /// <summary>Seeds.</summary>
        [CommandOption("--seeds <K>")]
        [Description("Runs per configuration, seeds 0..K-1 (default 1).")]
        public int Seeds { get; init; } = 1;


        /// <summary>Output.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for report.md, runs.json and learning-curves.png (default out/experiment).")]
        public string Out { get; init; } = Path.Combine("out", "experiment");


    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        var models = Split(settings.Models ?? throw new UserInputException("--models is required, e.g. --models cnn,c8."));
        var strategies = Split(settings.Strategies);
        CliRuns.RequireAccepted(task, models, strategies);
        var sizes = Split(settings.Sizes ?? throw new UserInputException("--sizes is required, e.g. --sizes 500,1000.")).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UserInputException($"--sizes: '{s}' is not a positive integer.")).ToArray();
        if (settings.Seeds < 1) throw new UserInputException($"--seeds must be ≥ 1 (got {settings.Seeds}).");
        settings.ValidateShared();

        var runs = new List<RunResult>();
        // Image tasks: load the data and rotate the test set once for the whole sweep.
        var source = task.Name == "ring-patterns" ? ((LabeledSet, LabeledSet)?)null : CliRuns.LoadImageSource(task.Name, settings.Data);
        int total = sizes.Length * settings.Seeds * models.Count * strategies.Count;
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.Progress().AutoClear(true).Start(progress =>
        {
            var bar = progress.AddTask($"{task.Name}: {total} runs", maxValue: total);
            foreach (var size in sizes)
                foreach (var seed in Enumerable.Range(0, settings.Seeds))
                {
                    if (task.Name == "ring-patterns")
                    {
                        foreach (var strategy in strategies)
                        {
                            runs.Add(CliRuns.RunRing(strategy, size, settings.Epochs, seed));
                            bar.Increment(1);
                        }
                        continue;
                    }
                    foreach (var model in models)
                        foreach (var strategy in strategies)
                        {
                            var options = new ImageRunOptions(task.Name, model, strategy, size, settings.Epochs, seed, settings.TrainRotation == "random", settings.Data);
                            using (var train = CliRuns.PrepareTrain(source!.Value.Item1, options))
                            {
                                var test = source.Value.Item2;
                                bar.Description = $"{task.Name}: {model} + {strategy}, n = {size}, seed {seed}";
                                var outcome = ImageTraining.Run(options, train, test);
                                outcome.Model.Dispose();
                                runs.Add(outcome.Result);
                            }
                            bar.Increment(1);
                        }
                }
        });

        if (source is { } loaded)
        {
            loaded.Item1.Dispose();
            loaded.Item2.Dispose();
        }
        var command = $"noether experiment --task {task.Name} --models {string.Join(',', models)} --strategies {string.Join(',', strategies)} " +
                      $"--sizes {string.Join(',', sizes)} --seeds {settings.Seeds} --epochs {settings.Epochs}" +
                      (task.Name.StartsWith("rotated", StringComparison.Ordinal) ? $" --train-rotation {settings.TrainRotation}" : "");
        var setting = $"Task `{task.Name}`: {task.Description} Symmetry: {task.Symmetry}. {settings.Epochs} epochs per run (an equal budget for every model), " +
                      $"{settings.Seeds} seed(s) per configuration. The invariance error is measured on the trained models over rotations by multiples of 90°.";
        var output = CliRuns.WriteReport(settings.Out, $"{task.Name}: models × strategies × sizes", setting, task.Name, runs, command);
        if (settings.Json)
        {
            JsonOutput.Write(output);
            return 0;
        }
        AnsiConsole.Write(new Markup(Markup.Escape(File.ReadAllText(output["report"]!.GetValue<string>()))));
        AnsiConsole.WriteLine();
        return 0;
    }

    private static List<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
