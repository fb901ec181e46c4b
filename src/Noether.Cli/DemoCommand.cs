using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Runtime;
using Noether.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether demo</c>: the main job on built-in data — what each symmetry strategy buys.</summary>
/// <remarks>
/// Task: classify signals on a ring of 8 sites into 4 classes; every example is a prototype rotated by
/// a random multiple of 45° plus noise, so the label is invariant under C8. The same MLP is trained
/// plain (none), with random rotations of each batch (augment), and averaged over C8 (symmetrize,
/// exactly invariant), at several training-set sizes and seeds; the command reports test accuracy,
/// the measured invariance error of each trained model, a Markdown report and a learning-curve plot.
/// </remarks>
public sealed class DemoCommand : Command<DemoCommand.Settings>
{
    /// <summary>Options of <c>demo</c>.</summary>
    public sealed class Settings : JsonSettings
    {
        /// <summary>Where the report and plots go.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Folder for report.md, runs.json and learning-curves.png (default: out/demo).")]
        public string Out { get; init; } = Path.Combine("out", "demo");

        /// <summary>Runs per setting.</summary>
        [CommandOption("--seeds <K>")]
        [Description("Runs per (strategy, size), seeds 0..K-1 (default 3).")]
        public int Seeds { get; init; } = 3;
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Seeds < 1) throw new UserInputException($"--seeds must be ≥ 1 (got {settings.Seeds}).");
        // The demo's models are tiny: libtorch's intra-op threads cost more than they save (measured:
        // 400 steps 172 ms on 1 thread vs 1165 ms on 2 under load).
        TorchRuntime.Threads = 1;
        var task = new RingPatterns(sites: 8, classes: 4, noise: 0.5, reflections: false, taskSeed: 0);
        var options = new StrategyComparisonOptions(StrategyComparisonOptions.KnownStrategies, new[] { 8, 16, 32, 64, 128, 256 }, settings.Seeds);
        int total = options.Strategies.Count * options.Sizes.Count * options.Seeds;
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IReadOnlyList<RunResult> runs = Array.Empty<RunResult>();
        err.Progress().AutoClear(true).Start(progress =>
        {
            var bar = progress.AddTask("training (strategies × sizes × seeds)", maxValue: total);
            runs = StrategyComparison.Run(task, options, _ => bar.Increment(1));
        });

        var setting = "Task `ring-patterns`: 4 classes of signals on a ring of 8 sites, each example a prototype rotated by a " +
                      "uniform multiple of 45° plus Gaussian noise (σ = 0.5), so labels are invariant under C8. Model: MLP 8→64→64→4, " +
                      $"Adam (lr 3e-3, batch 32, {options.Steps} steps), test set of {options.TestSize}. Strategies: none; augment " +
                      "(a random C8 rotation per example per step); symmetrize (the MLP averaged over all 8 rotations).";
        var output = CliRuns.WriteReport(settings.Out, "Noether demo: what symmetry buys", setting, "ring patterns, C8-invariant labels", runs,
            $"noether demo --seeds {settings.Seeds}");
        if (settings.Json)
        {
            JsonOutput.Write(output);
            return 0;
        }
        var table = new Table().AddColumns("strategy", "train size", "test accuracy", "± std", "invariance error");
        foreach (var s in ExperimentReport.Summarize(runs))
            table.AddRow(s.Strategy, s.Size.ToString(CultureInfo.InvariantCulture), s.Mean.ToString("0.000", CultureInfo.InvariantCulture),
                s.Std.ToString("0.000", CultureInfo.InvariantCulture), s.Error.ToString("0.0e+0", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        foreach (var line in ExperimentReport.Findings(ExperimentReport.Summarize(runs))) AnsiConsole.MarkupLine(Markup.Escape(line.Replace("**", "")));
        AnsiConsole.MarkupLine($"report: {Markup.Escape(output["report"]!.GetValue<string>())}");
        AnsiConsole.MarkupLine($"plot:   {Markup.Escape(output["plots"]![0]!.GetValue<string>())}");
        return 0;
    }
}
