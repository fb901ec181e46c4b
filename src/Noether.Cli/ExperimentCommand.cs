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

        /// <summary>Skip the data diagnostic.</summary>
        [CommandOption("--skip-data-check")]
        [Description("Leave the data-symmetry verdict out of the report (by default tasks with a data diagnostic run it once per --out folder).")]
        public bool SkipDataCheck { get; init; }


    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var task = CliRuns.RequireTask(settings.Task);
        var models = Split(settings.Models ?? throw new UserInputException("--models is required, e.g. --models cnn,c8."), "--models", "cnn,c8");
        var strategies = Split(settings.Strategies, "--strategies", "none,augment");
        CliRuns.RequireAccepted(task.Info, models, strategies);
        var sizes = Split(settings.Sizes ?? throw new UserInputException("--sizes is required, e.g. --sizes 500,1000."), "--sizes", "500,1000").Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= TaskInfo.MaxTrainSize ? n
                : throw new UserInputException($"--sizes: '{s}' is not a training size between 1 and {TaskInfo.MaxTrainSize:N0}.")).ToArray();
        if (settings.Seeds is < 1 or > MaxSeeds) throw new UserInputException($"--seeds must be between 1 and {MaxSeeds} (got {settings.Seeds}).");
        CliRuns.RequireOutputFolder(settings.Out, "--out");
        settings.ValidateShared(task.Info);

        var name = task.Info.Name;
        var optionSets = TaskOptionArguments.Sweep(context, task.Info, models);
        // A sweep over the symmetry-breaking level gets its own report (metric against ε).
        var levels = optionSets.Select(o => o.GetValueOrDefault("symmetry-breaking")).OfType<string>().Distinct().ToArray();
        var optionsByLevel = optionSets.Select(o => (Level: o.GetValueOrDefault("symmetry-breaking"), Options: o)).ToArray();
        // Finished runs are kept in out/runs.json (rewritten atomically after each run): a second invocation,
        // or one after an interruption, reuses them and runs only what is missing.
        var store = CliRuns.DataErrors(() => new ExperimentStore(settings.Out));
        var grid = (from level in optionsByLevel
                    from size in sizes
                    from seed in Enumerable.Range(0, settings.Seeds)
                    from model in models
                    from strategy in strategies
                    select (level.Options, size, seed, model, strategy)).ToArray();
        // The epochs of a run: --epochs, or the model's default, or what an option fixes (--protocol emlp: from the size).
        int EpochsOf(string model, int size, IReadOnlyDictionary<string, string> options) => task.Info.Epochs(model, settings.Epochs, size, options);
        var todo = grid.Where(c => store.Find(name, c.model, c.strategy, c.size, EpochsOf(c.model, c.size, c.Options), c.seed, c.Options) is null).ToArray();
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
                    foreach (var (options, size, seed, model, strategy) in todo)
                    {
                        var level = options.TryGetValue("symmetry-breaking", out var e) ? $", ε = {e}" : "";
                        bar.Description = $"{name}: {model} + {strategy}, n = {size}, seed {seed}{level}";
                        var runOptions = new TaskRunOptions(model, strategy, size, settings.Epochs, seed, options);
                        // The run's trainer state lives in out/.trainer/<run> until the run is recorded, so a killed grid
                        // resumes mid-run; a run another process is training at the same moment keeps no state here.
                        using (var state = RunState.Claim(settings.Out, runOptions.RunKey(name)))
                        {
                            using (var run = CliRuns.Run(data, runOptions with { StateDirectory = state.Directory },
                                       m => bar.Description = $"{name}: {model} + {strategy}, n = {size}, seed {seed}{level} · {CliRuns.Progress(m)}"))
                                store.Add(run.Result, size, options, run.Extra);
                            state.Complete();
                        }
                        bar.Increment(1);
                    }
                });
        }

        var given = TaskOptionArguments.Read(context).ToDictionary(kv => kv.Key, kv => string.Join(',', optionSets.Select(o => o[kv.Key]).Distinct()));
        var command = $"noether experiment --task {task.Info.Name} --models {string.Join(',', models)} --strategies {string.Join(',', strategies)} " +
                      $"--sizes {string.Join(',', sizes)} --seeds {settings.Seeds}" + (settings.Epochs is int e ? $" --epochs {e}" : "") +
                      TaskOptionArguments.Format(given);
        var first = optionSets[0];
        var protocol = first.GetValueOrDefault("protocol");
        var budget = protocol is "emlp"
            ? $"the {protocol} protocol's epochs ({string.Join(", ", sizes.Select(n => $"{EpochsOf(models[0], n, first)} at n = {n}"))}, cosine learning-rate decay)"
            : settings.Epochs is int epochs ? $"{epochs} epochs per run (an equal budget for every model)"
            : $"each model's default budget ({string.Join(", ", models.Select(m => $"{m}: {EpochsOf(m, sizes[0], first)} epochs"))})";
        if (first.GetValueOrDefault("lr") is { } rate) budget += $", Adam learning rate {rate}";
        if (first.GetValueOrDefault("ensemble") is { } members) budget += $", each model an ensemble of {members} networks from different initialisations (mean prediction)";
        var setting = $"Task `{task.Info.Name}`: {task.Info.Description} Symmetry: {task.Info.Symmetry}. {budget}, " +
                      $"{settings.Seeds} seed(s) per configuration. The equivariance error is measured on the trained models on test inputs, under the task's symmetry.";
        // The report covers this invocation's grid (other runs stored in the folder are kept, not reported).
        List<RunResult> RunsOf(IReadOnlyDictionary<string, string> options) =>
            grid.Where(c => ReferenceEquals(c.Options, options))
                .Select(c => store.Find(name, c.model, c.strategy, c.size, EpochsOf(c.model, c.size, c.Options), c.seed, c.Options)!).ToList();
        // The data's symmetry verdict and recommendation (once per folder: data-check.json); at the task's own level.
        var dataReport = settings.SkipDataCheck || levels.Length > 0 ? null
            : CliRuns.DataCheck(task, settings.Data, settings.Out, optionsByLevel[0].Options);
        JsonObject output;
        if (optionsByLevel.Length == 1)
        {
            var suffix = levels.Length == 1 ? $" (symmetry breaking ε = {levels[0]}: {task.Info.SymmetryBreaking})" : "";
            // With one model the curves are labelled by strategy alone, so the titles name the model.
            var (title, plotTitle) = models.Count == 1
                ? ($"{task.Info.Name}: {models[0]} × strategies × sizes", $"{task.Info.Name}, {models[0]}")
                : ($"{task.Info.Name}: models × strategies × sizes", task.Info.Name);
            output = CliRuns.WriteReport(settings.Out, title, setting + suffix, plotTitle,
                RunsOf(optionsByLevel[0].Options), command, store, dataReport);
            if (dataReport is not null) output["data_check"] = dataReport.ToJson();
        }
        else
        {
            // A sweep over ε: each level's own report in a subfolder, and the sweep's report (table and plot of the
            // metric against ε) at the top.
            var perLevel = new List<(double Level, IReadOnlyList<RunResult> Runs)>();
            var levelReports = new List<string>();
            foreach (var (level, options) in optionsByLevel)
            {
                var runs = RunsOf(options);
                var folder = Path.Combine(settings.Out, $"symmetry-breaking-{level}");
                var sub = CliRuns.WriteReport(folder, $"{task.Info.Name} at symmetry breaking ε = {level}", setting, $"{task.Info.Name}, ε = {level}",
                    runs, command, store);
                levelReports.Add(sub["report"]!.GetValue<string>());
                perLevel.Add((double.Parse(level!, CultureInfo.InvariantCulture), runs));
            }
            var plots = ExperimentReport.PlotSymmetryBreaking(perLevel, Path.Combine(settings.Out, "symmetry-breaking.png"),
                $"{task.Info.Name}: test metric against symmetry breaking", svg: true).ToList();
            var report = Path.Combine(settings.Out, "report.md");
            AtomicFile.WriteAllText(report, ExperimentReport.SymmetryBreakingMarkdown($"{task.Info.Name}: symmetry-breaking sweep",
                $"{setting} Symmetry breaking: {task.Info.SymmetryBreaking}.", perLevel, plots, levelReports, command));
            output = new JsonObject
            {
                ["runs"] = new JsonArray(perLevel.SelectMany(l => l.Runs).Select(CliRuns.RunJson).ToArray()),
                ["report"] = Path.GetFullPath(report),
                ["plots"] = new JsonArray(plots.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
                ["level_reports"] = new JsonArray(levelReports.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray()),
            };
        }
        if (settings.Json)
        {
            JsonOutput.Write(output);
            return 0;
        }
        AnsiConsole.Write(new Markup(Markup.Escape(File.ReadAllText(output["report"]!.GetValue<string>()))));
        AnsiConsole.WriteLine();
        return 0;
    }

    /// <summary>The most seeds per configuration (seeds 0…K−1).</summary>
    public const int MaxSeeds = 1000;

    private static List<string> Split(string list, string option, string example)
    {
        var items = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return items.Count > 0 ? items : throw new UserInputException($"{option} needs at least one value, e.g. {option} {example}.");
    }
}
