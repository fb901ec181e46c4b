using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Training;
using Noether.Training.Tasks;
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
        [Description("Folder for report.md, runs.json/.csv and the plots (default out/experiment). Runs already in its runs.json are reused.")]
        public string Out { get; init; } = Path.Combine("out", "experiment");


    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        var models = Split(settings.Models ?? throw new UserInputException("--models is required, e.g. --models cnn,c8."));
        var strategies = Split(settings.Strategies);
        CliRuns.RequireAccepted(task.Info, models, strategies);
        var sizes = Split(settings.Sizes ?? throw new UserInputException("--sizes is required, e.g. --sizes 500,1000.")).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new UserInputException($"--sizes: '{s}' is not a positive integer.")).ToArray();
        if (settings.Seeds < 1) throw new UserInputException($"--seeds must be ≥ 1 (got {settings.Seeds}).");
        settings.ValidateShared();

        var name = task.Info.Name;
        var taskOptions = settings.TaskOptions();
        // Finished runs are kept in out/runs.json (rewritten atomically after each run): a second invocation,
        // or one after an interruption, reuses them and runs only what is missing.
        var store = CliRuns.DataErrors(() => new ExperimentStore(settings.Out));
        var grid = (from size in sizes
                    from seed in Enumerable.Range(0, settings.Seeds)
                    from model in models
                    from strategy in strategies
                    select (size, seed, model, strategy)).ToArray();
        var todo = grid.Where(c => store.Find(name, c.model, c.strategy, c.size, settings.Epochs, c.seed, taskOptions) is null).ToArray();
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (todo.Length < grid.Length)
            err.MarkupLine($"[grey]{grid.Length - todo.Length} of {grid.Length} runs already finished in {Markup.Escape(store.JsonPath)}; running the other {todo.Length}.[/]");
        if (todo.Length > 0)
        {
            // The data is loaded (and an image task's test set rotated) once for the whole sweep.
            using var data = CliRuns.LoadData(task, settings.Data);
            err.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    var bar = progress.AddTask($"{name}: {todo.Length} runs", maxValue: todo.Length);
                    foreach (var (size, seed, model, strategy) in todo)
                    {
                        bar.Description = $"{name}: {model} + {strategy}, n = {size}, seed {seed}";
                        using (var run = CliRuns.Run(data, new TaskRunOptions(model, strategy, size, settings.Epochs, seed, taskOptions)))
                            store.Add(run.Result, size, taskOptions, run.Extra);
                        bar.Increment(1);
                    }
                });
        }
        // The report covers this invocation's grid (other runs stored in the folder are kept, not reported).
        var runs = grid.Select(c => store.Find(name, c.model, c.strategy, c.size, settings.Epochs, c.seed, taskOptions)!).ToList();

        var command = $"noether experiment --task {task.Info.Name} --models {string.Join(',', models)} --strategies {string.Join(',', strategies)} " +
                      $"--sizes {string.Join(',', sizes)} --seeds {settings.Seeds} --epochs {settings.Epochs}" +
                      (task.Info.Name.StartsWith("rotated", StringComparison.Ordinal) ? $" --train-rotation {settings.TrainRotation}" : "");
        var setting = $"Task `{task.Info.Name}`: {task.Info.Description} Symmetry: {task.Info.Symmetry}. {settings.Epochs} epochs per run (an equal budget for every model), " +
                      $"{settings.Seeds} seed(s) per configuration. The equivariance error is measured on the trained models on test inputs, under the task's symmetry.";
        var output = CliRuns.WriteReport(settings.Out, $"{task.Info.Name}: models × strategies × sizes", setting, task.Info.Name, runs, command, store);
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
