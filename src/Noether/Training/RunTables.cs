using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Noether.Training;

/// <summary>How <see cref="RunTables.Write"/> lays runs out.</summary>
public enum RunTableLayout
{
    /// <summary>One row per task and configuration, one column per training-set size; seeds aggregated.</summary>
    Size,

    /// <summary>One row per test length (a run's <c>test_by_length</c>), one column per run.</summary>
    Length,

    /// <summary>One row per run.</summary>
    Run,
}

/// <summary>What a run table shows.</summary>
public sealed record RunTableOptions
{
    /// <summary>The layout (default: by training-set size).</summary>
    public RunTableLayout Layout { get; init; } = RunTableLayout.Size;

    /// <summary>By size: list every seed's value in a cell, then the mean (bold) and, from four seeds on, the median;
    /// otherwise a cell shows the mean ± standard deviation over seeds.</summary>
    public bool Seeds { get; init; }

    /// <summary>Significant digits of the test values (accuracies: decimals), 1 to 10.</summary>
    public int Digits { get; init; } = 3;

    /// <summary>By size: a line per task comparing every configuration with the best one at this training size.</summary>
    public int? RatiosAt { get; init; }

    /// <summary>By run: further top-level fields to show as columns (e.g. <c>oracle_log_likelihood</c>, <c>best_epoch</c>).</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    /// <summary>Names of the fields that describe how a run was configured besides model and strategy (the tasks'
    /// declared options, e.g. <c>lr</c>, <c>ensemble</c>, <c>group</c>, <c>pooling</c>); every entry of a run's
    /// <c>options</c> object counts too. Those whose value differs between the runs of a table label its rows.</summary>
    public IReadOnlyCollection<string> ConfigurationFields { get; init; } = [];
}

/// <summary>A table written by <see cref="RunTables.Write"/>: Markdown, and the same values as JSON rows.</summary>
/// <param name="Markdown">the caption, the table and, where asked for, the comparison lines.</param>
/// <param name="Rows">one object per table row.</param>
public sealed record RunTable(string Markdown, JsonArray Rows);

/// <summary>The report writer for stored runs: tables across the runs of one or several experiment folders and
/// <c>train --json</c> files, by training-set size (per seed, with mean and median), by test length, or one row per run.
/// Rows are labelled by model, strategy and every configuration field that differs between the runs.</summary>
public static class RunTables
{
    private static readonly CultureInfo F = CultureInfo.InvariantCulture;

    /// <summary>The runs whose field matches one of the values of every filter (a field's text as
    /// <see cref="StoredRun.Field"/> reads it; numbers compare by value, so <c>lr=1e-3</c> matches 0.001).</summary>
    public static IReadOnlyList<StoredRun> Where(IReadOnlyList<StoredRun> runs, IReadOnlyList<(string Field, IReadOnlyList<string> Values)> filters)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(filters);
        return runs.Where(r => filters.All(f => r.Field(f.Field) is { } value && f.Values.Any(v => Same(value, v)))).ToArray();
    }

    private static bool Same(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return true;
        return double.TryParse(a, NumberStyles.Float, F, out var x) && double.TryParse(b, NumberStyles.Float, F, out var y)
               && Math.Abs(x - y) <= 1e-12 * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    /// <summary>Writes the table of <paramref name="runs"/>.</summary>
    /// <exception cref="InvalidDataException">the runs cannot be laid out so (no runs, no <c>test_by_length</c> for the
    /// length layout, two runs of one configuration with the same size and seed, no run at <see cref="RunTableOptions.RatiosAt"/>).</exception>
    public static RunTable Write(IReadOnlyList<StoredRun> runs, RunTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Digits is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(options), options.Digits, "Digits must be 1 to 10.");
        if (runs.Count == 0) throw new InvalidDataException("No runs to tabulate (did --where leave none?).");
        return options.Layout switch
        {
            RunTableLayout.Size => BySize(runs, options),
            RunTableLayout.Length => ByLength(runs, options),
            _ => ByRun(runs, options),
        };
    }

    /// <summary>A value with <paramref name="digits"/> significant digits: fixed notation from 0.001 up (whole numbers
    /// from 10^(digits − 1) on), scientific below (1.91e-4); "NaN" for a diverged value.</summary>
    public static string Significant(double value, int digits)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "−∞";
        if (value == 0) return "0";
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        if (exponent >= digits - 1) return Math.Round(value, MidpointRounding.AwayFromZero).ToString("0", F);
        double rounded = Math.Round(value / Math.Pow(10, exponent - digits + 1), MidpointRounding.AwayFromZero) * Math.Pow(10, exponent - digits + 1);
        exponent = (int)Math.Floor(Math.Log10(Math.Abs(rounded)));
        if (exponent >= digits - 1) return Math.Round(rounded, MidpointRounding.AwayFromZero).ToString("0", F);
        if (exponent >= -3) return rounded.ToString("F" + (digits - 1 - exponent), F);
        double mantissa = rounded / Math.Pow(10, exponent);
        return $"{mantissa.ToString("F" + (digits - 1), F)}e{exponent.ToString(F)}";
    }

    private static string Value(double value, string metric, int digits) =>
        metric == "accuracy" && double.IsFinite(value) ? value.ToString("F" + digits, F) : Significant(value, digits);

    private static string Error(double value) => Significant(value, 2);

    /// <summary>Seconds: whole from 10 s up, two significant digits below.</summary>
    private static string Seconds(double value) =>
        double.IsFinite(value) && Math.Abs(value) >= 10 ? Math.Round(value).ToString("0", F) : Significant(value, 2);

    private static JsonNode? Json(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>The configuration fields among <paramref name="candidates"/> (plus every options entry) whose values
    /// differ between the runs, in ordinal order.</summary>
    private static List<string> Varying(IReadOnlyList<StoredRun> runs, IEnumerable<string> candidates)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in runs)
            if (r.Json["options"] is JsonObject o)
                foreach (var (name, _) in o) names.Add(name);
        foreach (var c in candidates)
            if (runs.Any(r => r.Json.ContainsKey(c) || r.Json.ContainsKey(c.Replace('-', '_')))) names.Add(c);
        // An option recorded both as "symmetry-breaking" and "symmetry_breaking" is one field.
        var distinct = names.GroupBy(n => n.Replace('_', '-'), StringComparer.Ordinal).Select(g => g.First());
        return distinct.Where(n => runs.Select(r => r.Field(n)).Distinct().Count() > 1).ToList();
    }

    private static string Label(StoredRun run, IEnumerable<string> keys)
    {
        var label = new StringBuilder($"{run.Result.Model} + {run.Result.Strategy}");
        foreach (var k in keys)
            if (run.Field(k) is { } value) label.Append(CultureInfo.InvariantCulture, $", {k.Replace('_', ' ')} {value}");
        return label.ToString();
    }

    private static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |";

    private static string Rule(int columns) => "|" + string.Concat(Enumerable.Repeat("---|", columns));

    private static RunTable BySize(IReadOnlyList<StoredRun> runs, RunTableOptions options)
    {
        // Rows are labelled by the fields that differ between the runs of their own task (the group differs between
        // tasks, not between their rows).
        var keysOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var taskRuns in runs.GroupBy(r => r.Result.Task))
        {
            var taskKeys = Varying(taskRuns.ToArray(), options.ConfigurationFields.Where(k => k is not ("train_size" or "seed" or "epochs")));
            taskKeys.RemoveAll(k => k is "train_size" or "seed" or "requested_size");
            // Two runs of one configuration at one size with the same seed: the configuration misses a field. Epochs
            // first (a sweep stored at two budgets); if that does not tell them apart, the caller must choose with a filter.
            if (HasDuplicates(taskRuns, taskKeys) && !taskKeys.Contains("epochs"))
            {
                taskKeys.Add("epochs");
                taskKeys.Sort(StringComparer.Ordinal);
            }
            if (HasDuplicates(taskRuns, taskKeys))
            {
                var twin = taskRuns.GroupBy(r => (Label(r, taskKeys), r.Result.TrainSize, r.Result.Seed)).First(g => g.Count() > 1).First();
                throw new InvalidDataException($"Several runs of {twin.Result.Task} / {Label(twin, taskKeys)} at n = {twin.Result.TrainSize} with seed " +
                                               $"{twin.Result.Seed} (in '{twin.Source}' and others); choose one with --where.");
            }
            keysOf[taskRuns.Key] = taskKeys;
        }
        string LabelOf(StoredRun r) => Label(r, keysOf[r.Result.Task]);
        var tasks = runs.Select(r => r.Result.Task).Distinct().ToList();
        var metrics = runs.Select(r => r.Result.Metric).Distinct().ToList();
        var sizes = runs.Select(r => r.Result.TrainSize).Distinct().Order().ToArray();
        var seeds = runs.Select(r => r.Result.Seed).Distinct().Order().ToArray();
        var groups = runs.GroupBy(r => (r.Result.Task, Label: LabelOf(r))).ToList();

        var md = new StringBuilder();
        string metricText = metrics.Count == 1 ? metrics[0] : "metric (column metric)";
        md.Append(CultureInfo.InvariantCulture, $"Test {metricText} by training-set size");
        if (options.Seeds)
            md.Append(CultureInfo.InvariantCulture, $"; each cell lists the value of every seed in seed order ({string.Join(", ", seeds)}), then **the mean**, then the median from four seeds on");
        else if (runs.GroupBy(r => (r.Result.Task, LabelOf(r), r.Result.TrainSize)).Any(g => g.Count() > 1))
            md.Append(" (mean ± standard deviation over seeds)");
        else md.Append(seeds.Length == 1 ? $" (seed {seeds[0].ToString(F)})" : " (one seed per cell)");
        md.AppendLine(". The equivariance error is the mean over the row's runs.").AppendLine();

        var header = new List<string>();
        if (tasks.Count > 1) header.Add("task");
        header.Add("configuration");
        if (metrics.Count > 1) header.Add("metric");
        header.AddRange(sizes.Select(n => $"n = {n.ToString(F)}"));
        header.Add("equivariance error");
        md.AppendLine(Row(header)).AppendLine(Rule(header.Count));

        var rows = new JsonArray();
        foreach (var group in groups)
        {
            string metric = group.First().Result.Metric;
            var cells = new List<string>();
            if (tasks.Count > 1) cells.Add(group.Key.Task);
            cells.Add(group.Key.Label);
            if (metrics.Count > 1) cells.Add(metric);
            foreach (var n in sizes)
            {
                var atSize = group.Where(r => r.Result.TrainSize == n).OrderBy(r => r.Result.Seed).ToArray();
                if (atSize.Length == 0)
                {
                    cells.Add("");
                    continue;
                }
                var values = atSize.Select(r => r.Result.Test).ToArray();
                var (mean, std, median) = Statistics(values);
                if (options.Seeds)
                    cells.Add(values.Length == 1 ? Value(mean, metric, options.Digits)
                        : string.Join(", ", values.Select(v => Value(v, metric, options.Digits))) + $" → **{Value(mean, metric, options.Digits)}**"
                          + (values.Length >= 4 ? $"; {Value(median, metric, options.Digits)}" : ""));
                else cells.Add(values.Length == 1 ? Value(mean, metric, options.Digits) : $"{Value(mean, metric, options.Digits)} ± {Significant(std, 2)}");
                rows.Add(new JsonObject
                {
                    ["task"] = group.Key.Task,
                    ["configuration"] = group.Key.Label,
                    ["metric"] = metric,
                    ["train_size"] = n,
                    ["seeds"] = new JsonArray(atSize.Select(r => (JsonNode)r.Result.Seed).ToArray()),
                    ["values"] = new JsonArray(values.Select(Json).ToArray()),
                    ["mean"] = Json(mean),
                    ["std"] = Json(std),
                    ["median"] = Json(median),
                    ["equivariance_error"] = Json(atSize.Average(r => r.Result.EquivarianceError)),
                });
            }
            cells.Add(Error(group.Average(r => r.Result.EquivarianceError)));
            md.AppendLine(Row(cells));
        }

        if (options.RatiosAt is { } at)
        {
            if (!sizes.Contains(at))
                throw new InvalidDataException($"No run has training size {at} (the sizes are {string.Join(", ", sizes)}).");
            md.AppendLine();
            foreach (var task in tasks)
            {
                var atSize = groups.Where(g => g.Key.Task == task)
                    .Select(g => (g.Key.Label, Values: g.Where(r => r.Result.TrainSize == at).Select(r => r.Result.Test).ToArray(), Metric: g.First().Result.Metric))
                    .Where(c => c.Values.Length > 0).Select(c => (c.Label, Mean: c.Values.Average(), c.Metric)).ToList();
                if (atSize.Count < 2) continue;
                md.AppendLine("- " + Comparison(task, at, atSize, options.Digits));
            }
        }
        return new RunTable(md.ToString(), rows);
    }

    /// <summary>"task, n = N: the best is X (v); Y k× higher, …" (accuracy: points below; other higher-is-better
    /// metrics: the difference).</summary>
    private static string Comparison(string task, int size, List<(string Label, double Mean, string Metric)> configurations, int digits)
    {
        string metric = configurations[0].Metric;
        bool lower = ExperimentReport.LowerIsBetter(metric);
        var ordered = (lower ? configurations.OrderBy(c => c.Mean) : configurations.OrderByDescending(c => c.Mean)).ToList();
        var best = ordered[0];
        var others = ordered.Skip(1).Select(c =>
        {
            if (lower) return $"{c.Label} {Significant(c.Mean / Math.Max(best.Mean, 1e-300), 3)}× higher";
            if (metric == "accuracy") return $"{c.Label} {((best.Mean - c.Mean) * 100).ToString("0.0", F)} points lower";
            return $"{c.Label} {Significant(best.Mean - c.Mean, 3)} lower";
        });
        return $"{task}, n = {size.ToString(F)}: the best is **{best.Label}** ({metric} {Value(best.Mean, metric, digits)}); {string.Join("; ", others)}.";
    }

    private static bool HasDuplicates(IEnumerable<StoredRun> runs, List<string> keys) =>
        runs.GroupBy(r => (Label(r, keys), r.Result.TrainSize, r.Result.Seed)).Any(g => g.Count() > 1);

    private static (double Mean, double Std, double Median) Statistics(double[] values)
    {
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        var sorted = values.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return (mean, std, median);
    }

    /// <summary>Labels that tell every run apart: model + strategy and the differing configuration fields, training
    /// size, epochs and seed, prefixed by the task when the runs cover several.</summary>
    private static string[] RunLabels(IReadOnlyList<StoredRun> runs, RunTableOptions options, bool withTask)
    {
        var keys = Varying(runs, options.ConfigurationFields.Concat(["train_size", "epochs", "seed"]));
        keys.RemoveAll(k => k == "requested_size");
        var labels = runs.Select(r => (withTask ? r.Result.Task + ": " : "") + Label(r, keys)).ToArray();
        // Runs that agree on every recorded field (the same run stored twice) are told apart by their file.
        foreach (var twins in labels.Select((l, i) => (l, i)).GroupBy(p => p.l).Where(g => g.Count() > 1))
            foreach (var (_, i) in twins) labels[i] += $" ({Path.GetFileName(runs[i].Source)})";
        return labels;
    }

    private static RunTable ByLength(IReadOnlyList<StoredRun> all, RunTableOptions options)
    {
        var runs = all.Where(r => r.Json["test_by_length"] is JsonObject).ToArray();
        if (runs.Length == 0)
            throw new InvalidDataException("None of the runs records test_by_length (the set tasks' accuracy by set length); use --by size or --by run.");
        bool severalTasks = runs.Select(r => r.Result.Task).Distinct().Count() > 1;
        var labels = RunLabels(runs, options, severalTasks);
        var byLength = runs.Select(r => ((JsonObject)r.Json["test_by_length"]!).ToDictionary(p => p.Key, p => p.Value?.GetValue<double>() ?? double.NaN)).ToArray();
        var lengths = byLength.SelectMany(d => d.Keys).Distinct()
            .OrderBy(k => double.TryParse(k, NumberStyles.Float, F, out var v) ? v : double.MaxValue).ThenBy(k => k, StringComparer.Ordinal).ToArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Test {runs[0].Result.Metric} by test length, one column per run{(all.Count > runs.Length ? $" ({all.Count - runs.Length} runs without test_by_length left out)" : "")}; the last rows are each run's test value on its own test set, its equivariance error and its training seconds.").AppendLine();
        md.AppendLine(Row(labels.Prepend("length"))).AppendLine(Rule(labels.Length + 1));
        foreach (var length in lengths)
            md.AppendLine(Row(byLength.Select((d, i) => d.TryGetValue(length, out var v) ? Value(v, runs[i].Result.Metric, options.Digits) : "").Prepend(length)));
        md.AppendLine(Row(runs.Select(r => Value(r.Result.Test, r.Result.Metric, options.Digits + 1)).Prepend("test")));
        md.AppendLine(Row(runs.Select(r => Error(r.Result.EquivarianceError)).Prepend("equivariance error")));
        md.AppendLine(Row(runs.Select(r => Seconds(r.Result.TrainSeconds)).Prepend("train seconds")));
        var rows = new JsonArray(runs.Select((r, i) => (JsonNode)new JsonObject
        {
            ["task"] = r.Result.Task,
            ["configuration"] = labels[i],
            ["metric"] = r.Result.Metric,
            ["test_by_length"] = r.Json["test_by_length"]!.DeepClone(),
            ["test"] = Json(r.Result.Test),
            ["equivariance_error"] = Json(r.Result.EquivarianceError),
            ["train_seconds"] = Json(r.Result.TrainSeconds),
        }).ToArray());
        return new RunTable(md.ToString(), rows);
    }

    private static RunTable ByRun(IReadOnlyList<StoredRun> runs, RunTableOptions options)
    {
        var keys = Varying(runs, options.ConfigurationFields);
        keys.RemoveAll(k => k is "train_size" or "epochs" or "seed" or "requested_size");
        bool severalTasks = runs.Select(r => r.Result.Task).Distinct().Count() > 1;
        bool severalSeeds = runs.Select(r => r.Result.Seed).Distinct().Count() > 1;
        bool severalMetrics = runs.Select(r => r.Result.Metric).Distinct().Count() > 1;
        var header = new List<string>();
        if (severalTasks) header.Add("task");
        header.AddRange(["model", "strategy"]);
        header.AddRange(keys.Select(k => k.Replace('_', ' ')));
        header.AddRange(["train size", "epochs"]);
        if (severalSeeds) header.Add("seed");
        if (severalMetrics) header.Add("metric");
        header.AddRange(["test", "equivariance error", "params", "train s"]);
        header.AddRange(options.Fields.Select(f => f.Replace('_', ' ')));
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"One row per run{(severalMetrics ? "" : $"; test is the {runs[0].Result.Metric}")}{(severalSeeds ? "" : $", seed {runs[0].Result.Seed}")}.").AppendLine();
        md.AppendLine(Row(header)).AppendLine(Rule(header.Count));
        var rows = new JsonArray();
        foreach (var run in runs)
        {
            var r = run.Result;
            var cells = new List<string>();
            if (severalTasks) cells.Add(r.Task);
            cells.AddRange([r.Model, r.Strategy]);
            cells.AddRange(keys.Select(k => run.Field(k) ?? ""));
            cells.AddRange([r.TrainSize.ToString(F), r.Epochs.ToString(F)]);
            if (severalSeeds) cells.Add(r.Seed.ToString(F));
            if (severalMetrics) cells.Add(r.Metric);
            cells.AddRange([Value(r.Test, r.Metric, options.Digits), Error(r.EquivarianceError), r.Params.ToString(F), Seconds(r.TrainSeconds)]);
            cells.AddRange(options.Fields.Select(f => run.Json[f] is JsonValue v && double.TryParse(StoredRun.Text(v), NumberStyles.Float, F, out var x)
                ? Significant(x, options.Digits + 1) : StoredRun.Text(run.Json[f]) ?? ""));
            md.AppendLine(Row(cells));
            var json = (JsonObject)run.Json.DeepClone();
            json["configuration"] = Label(run, keys);
            json["source"] = run.Source;
            rows.Add(json);
        }
        return new RunTable(md.ToString(), rows);
    }
}
