using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Runtime;
using Noether.Training;
using Noether.Training.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether train</c>: train one model on one task with one strategy, and report test metric,
/// equivariance error, parameters and time (DESIGN.md contract).</summary>
public sealed class TrainCommand : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>train</c>.</summary>
    public sealed class Settings : TaskSettings
    {

        /// <summary>The model.</summary>
        [CommandOption("--model <MODEL>")]
        [Description("A model the task accepts (see `noether tasks`).")]
        public string? Model { get; init; }

        /// <summary>The strategy.</summary>
        [CommandOption("--strategy <STRATEGY>")]
        [Description("none, augment or symmetrize (as the task accepts). Default none.")]
        public string Strategy { get; init; } = "none";

        /// <summary>Training examples.</summary>
        [CommandOption("--train-size <N>")]
        [Description("Training examples (default: the size of the task's recorded result; see `noether tasks TASK`).")]
        public int? TrainSize { get; init; }



        /// <summary>Seed.</summary>
        [CommandOption("--seed <S>")]
        [Description("Seed of every random choice (default 0).")]
        public int Seed { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for run.json and the trained weights (model.bin).")]
        public string? Out { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        if (settings.Model is null) throw new UserInputException($"--model is required; task {task.Info.Name} has {string.Join(", ", task.Info.Models)}.");
        CliRuns.RequireAccepted(task.Info, new[] { settings.Model }, new[] { settings.Strategy });
        settings.ValidateShared(task.Info);
        if (settings.TrainSize is < 1 or > TaskInfo.MaxTrainSize)
            throw new UserInputException($"--train-size must be between 1 and {TaskInfo.MaxTrainSize:N0} (got {settings.TrainSize:N0}).");
        if (settings.Out is not null) CliRuns.RequireOutputFolder(settings.Out, "--out");
        var taskOptions = TaskOptionArguments.Check(context, task.Info, new[] { settings.Model });

        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var name = task.Info.Name;
        var options = new TaskRunOptions(settings.Model, settings.Strategy, settings.TrainSize, settings.Epochs, settings.Seed, taskOptions,
            // With --out, the trainer keeps the run's state there after every epoch: the same command resumes an interrupted run.
            StateDirectory: settings.Out is null ? null : Path.Combine(settings.Out, "trainer"));
        RunResult result;
        var extra = new JsonObject();
        using (var data = CliRuns.LoadData(task, settings.Data))
        {
            TaskRun run = null!;
            var epochs = task.Info.Epochs(options);
            err.Progress().AutoClear(true).Start(progress =>
            {
                var bar = progress.AddTask($"{name} · {settings.Model} · {settings.Strategy}", maxValue: epochs);
                run = CliRuns.Run(data, options, m =>
                {
                    bar.MaxValue = m.Epochs;
                    bar.Value = m.Epoch + 1;
                    bar.Description = $"{name} · {settings.Model} · {CliRuns.Progress(m)}";
                });
            });
            using (run)
            {
                result = run.Result;
                foreach (var (key, value) in run.Extra) extra[key] = value?.DeepClone();
                if (settings.Out is not null && run.Model is not null)
                {
                    var weights = Path.Combine(settings.Out, "model.bin");
                    Checkpoint.Save(run.Model, weights);
                    extra["checkpoint"] = Path.GetFullPath(weights);
                }
            }
        }

        var json = CliRuns.RunJson(result);
        foreach (var (key, value) in extra) json[key] = value?.DeepClone();
        if (settings.Out is not null)
        {
            Directory.CreateDirectory(settings.Out);
            File.WriteAllText(Path.Combine(settings.Out, "run.json"), json.ToJsonString());
        }
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        var table = new Table().HideHeaders().AddColumns("", "");
        foreach (var (key, value) in json) table.AddRow(Markup.Escape(key), Markup.Escape(value?.ToString() ?? ""));
        AnsiConsole.Write(table);
        return 0;
    }
}
