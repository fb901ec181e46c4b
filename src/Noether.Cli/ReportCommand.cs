using System.ComponentModel;
using System.Text.Json.Nodes;
using Noether.Training;
using Noether.Training.Tasks;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether report PATH...</c>: tables across stored runs — experiment folders (<c>runs.json</c>) and
/// <c>train --json</c> files — by training-set size (every seed, mean, median), by test length, or one row per run.</summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    /// <summary>Options of <c>report</c>.</summary>
    public sealed class Settings : JsonSettings
    {
        /// <summary>Folders and files of runs.</summary>
        [CommandArgument(0, "<PATH>")]
        [Description("Experiment folders (their runs.json), train --json files, or folders holding either (searched recursively).")]
        public string[] Paths { get; init; } = [];

        /// <summary>The layout.</summary>
        [CommandOption("--by <LAYOUT>")]
        [Description("size (rows: configurations, columns: training sizes; the default), length (accuracy by test length of set tasks) or run (one row per run).")]
        public string By { get; init; } = "size";

        /// <summary>List every seed's value.</summary>
        [CommandOption("--seeds")]
        [Description("By size: list every seed's value in each cell, then the mean and (from four seeds) the median.")]
        public bool Seeds { get; init; }

        /// <summary>Significant digits.</summary>
        [CommandOption("--digits <N>")]
        [Description("Significant digits of test values (decimals for accuracies), 1 to 10 (default 3).")]
        public int Digits { get; init; } = 3;

        /// <summary>A training size at which to compare every configuration with the best.</summary>
        [CommandOption("--ratios-at <N>")]
        [Description("By size: per task, how far each configuration is from the best at this training size.")]
        public int? RatiosAt { get; init; }

        /// <summary>Filters, FIELD=V1,V2.</summary>
        [CommandOption("--where <FIELD=VALUES>")]
        [Description("Keep runs whose field (train_size, seed, epochs, model, an option such as lr) has one of the comma-separated values; repeatable.")]
        public string[] Where { get; init; } = [];

        /// <summary>Extra columns of the run layout.</summary>
        [CommandOption("--fields <NAMES>")]
        [Description("By run: further fields of the run JSON to show as columns, comma-separated (e.g. oracle_log_likelihood,best_epoch).")]
        public string? Fields { get; init; }

        /// <summary>A Markdown file to write the table to.</summary>
        [CommandOption("--out <FILE>")]
        [Description("Also write the table to this Markdown file (atomically).")]
        public string? Out { get; init; }

        /// <inheritdoc />
        public override Spectre.Console.ValidationResult Validate()
        {
            if (Paths.Length == 0) return Spectre.Console.ValidationResult.Error("Give at least one folder or file of runs.");
            if (By is not ("size" or "length" or "run"))
                return Spectre.Console.ValidationResult.Error($"--by must be size, length or run, not '{By}'.");
            if (Digits is < 1 or > 10) return Spectre.Console.ValidationResult.Error($"--digits must be 1 to 10, not {Digits}.");
            if (RatiosAt is <= 0) return Spectre.Console.ValidationResult.Error($"--ratios-at must be a positive training size, not {RatiosAt}.");
            foreach (var w in Where)
                if (w.IndexOf('=', StringComparison.Ordinal) is <= 0 || w.EndsWith('='))
                    return Spectre.Console.ValidationResult.Error($"--where takes FIELD=VALUE[,VALUE...], e.g. seed=0 or lr=1e-3,3e-3; not '{w}'.");
            if ((Seeds || RatiosAt is not null) && By != "size")
                return Spectre.Console.ValidationResult.Error("--seeds and --ratios-at go with --by size.");
            if (Fields is not null && By != "run") return Spectre.Console.ValidationResult.Error("--fields goes with --by run.");
            return Spectre.Console.ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredRun> runs;
        try
        {
            runs = StoredRun.Read(settings.Paths);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new UserInputException(e.Message, e);
        }
        var filters = settings.Where.Select(w => (Field: w[..w.IndexOf('=', StringComparison.Ordinal)].Trim(),
            Values: (IReadOnlyList<string>)w[(w.IndexOf('=', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))).ToArray();
        var kept = RunTables.Where(runs, filters);
        if (kept.Count == 0)
            throw new UserInputException($"None of the {runs.Count} runs matches {string.Join(" and ", settings.Where.Select(w => $"'{w}'"))}.");
        var options = new RunTableOptions
        {
            Layout = settings.By switch { "length" => RunTableLayout.Length, "run" => RunTableLayout.Run, _ => RunTableLayout.Size },
            Seeds = settings.Seeds,
            Digits = settings.Digits,
            RatiosAt = settings.RatiosAt,
            Fields = settings.Fields?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [],
            ConfigurationFields = TaskCatalog.All.SelectMany(t => t.Options).Select(o => o.Name).Distinct().ToArray(),
        };
        RunTable table;
        try
        {
            table = RunTables.Write(kept, options);
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException(e.Message, e);
        }
        if (settings.Out is not null) AtomicFile.WriteAllText(settings.Out, table.Markdown);
        if (settings.Json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["runs"] = kept.Count,
                ["sources"] = new JsonArray(kept.Select(r => r.Source).Distinct().Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                ["table"] = table.Markdown,
                ["rows"] = table.Rows,
                ["out"] = settings.Out is null ? null : Path.GetFullPath(settings.Out),
            });
            return 0;
        }
        Console.Out.Write(table.Markdown);
        return 0;
    }
}
