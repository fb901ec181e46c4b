using System.Globalization;
using System.Text;

namespace Noether.Training;

/// <summary>Summaries of a set of runs: a Markdown report and learning-curve plots (ScottPlot).</summary>
public static class ExperimentReport
{
    private static readonly CultureInfo F = CultureInfo.InvariantCulture;

    /// <summary>The label of a run's configuration: its strategy, or "model + strategy" when the runs
    /// compare several models.</summary>
    public static Func<RunResult, string> Labeller(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        bool severalModels = runs.Select(r => r.Model).Distinct().Count() > 1;
        return r => severalModels ? $"{r.Model} + {r.Strategy}" : r.Strategy;
    }

    /// <summary>Mean and standard deviation of the test metric and the mean equivariance error per
    /// (configuration, size), configurations in order of first appearance (the first is the baseline).</summary>
    public static IReadOnlyList<(string Strategy, int Size, double Mean, double Std, double Error, int Runs)> Summarize(IReadOnlyList<RunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var label = Labeller(runs);
        var order = runs.Select(label).Distinct().ToList();
        return runs.GroupBy(r => (Strategy: label(r), r.TrainSize))
            .Select(g =>
            {
                var values = g.Select(r => r.Test).ToArray();
                double mean = values.Average();
                double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                return (g.Key.Strategy, g.Key.TrainSize, mean, std, g.Average(r => r.EquivarianceError), values.Length);
            })
            .OrderBy(s => order.IndexOf(s.Item1)).ThenBy(s => s.TrainSize)
            .ToArray();
    }

    /// <summary>A Markdown report: the setting, a table per strategy and size, and what it shows.</summary>
    public static string Markdown(string title, string setting, IReadOnlyList<RunResult> runs, IReadOnlyList<string> plots, string command)
    {
        var summary = Summarize(runs);
        var metric = runs.Count > 0 ? runs[0].Metric : "metric";
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}").AppendLine();
        sb.AppendLine(setting).AppendLine();
        sb.AppendLine($"Command: `{command}`").AppendLine();
        var sizes = summary.Select(s => s.Size).Distinct().OrderBy(s => s).ToArray();
        sb.AppendLine($"Test {metric} (mean ± std over seeds) by training-set size:").AppendLine();
        sb.AppendLine("| configuration | " + string.Join(" | ", sizes.Select(s => $"n = {s}")) + " | equivariance error |");
        sb.AppendLine("|---|" + string.Concat(sizes.Select(_ => "---|")) + "---|");
        foreach (var strategy in summary.Select(s => s.Strategy).Distinct())
        {
            var rows = summary.Where(s => s.Strategy == strategy).ToDictionary(s => s.Size);
            sb.Append($"| {strategy} | ");
            sb.Append(string.Join(" | ", sizes.Select(n => rows.TryGetValue(n, out var r) ? $"{r.Mean.ToString("0.000", F)} ± {r.Std.ToString("0.000", F)}" : "")));
            sb.AppendLine($" | {rows.Values.Average(r => r.Error).ToString("0.0e+0", F)} |");
        }
        sb.AppendLine();
        sb.AppendLine("What it shows:").AppendLine();
        foreach (var line in Findings(summary, metric)) sb.AppendLine($"- {line}");
        if (plots.Count > 0)
        {
            sb.AppendLine();
            foreach (var p in plots.Where(p => p.EndsWith(".png", StringComparison.OrdinalIgnoreCase)))
                sb.AppendLine($"![{Path.GetFileNameWithoutExtension(p).Replace('-', ' ')}]({Path.GetFileName(p)})").AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>True for metrics where lower is better (MSE, MAE, errors, losses); false for accuracy and likelihoods.</summary>
    public static bool LowerIsBetter(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var m = metric.ToLowerInvariant();
        return m.Contains("mse", StringComparison.Ordinal) || m.Contains("mae", StringComparison.Ordinal) || m.Contains("error", StringComparison.Ordinal)
               || m.Contains("loss", StringComparison.Ordinal) || m.Contains("rmse", StringComparison.Ordinal);
    }

    /// <summary>Sentences read off the numbers (never written by hand).</summary>
    /// <param name="summary">from <see cref="Summarize"/>.</param>
    /// <param name="metric">the runs' metric; decides whether the best is the largest or the smallest value.</param>
    public static IReadOnlyList<string> Findings(IReadOnlyList<(string Strategy, int Size, double Mean, double Std, double Error, int Runs)> summary,
        string metric = "accuracy")
    {
        ArgumentNullException.ThrowIfNull(summary);
        var findings = new List<string>();
        var sizes = summary.Select(s => s.Size).Distinct().OrderBy(s => s).ToArray();
        if (sizes.Length == 0) return findings;
        foreach (var n in new[] { sizes[0], sizes[^1] }.Distinct())
        {
            bool lower = LowerIsBetter(metric);
            var atSize = summary.Where(s => s.Size == n).ToArray();
            var best = lower ? atSize.MinBy(s => s.Mean) : atSize.MaxBy(s => s.Mean);
            var baselineName = summary[0].Strategy;
            var baseline = summary.FirstOrDefault(s => s.Size == n && s.Strategy == baselineName);
            var text = $"with {n} training examples the best is **{best.Strategy}** ({metric} {Number(best.Mean)})";
            if (baseline.Strategy is not null && best.Strategy != baselineName)
                text += $", against {Number(baseline.Mean)} for {baselineName}" + (lower
                    ? $" ({(baseline.Mean / Math.Max(best.Mean, 1e-300)).ToString("0.0", F)}× lower)"
                    : metric == "accuracy" ? $" ({((best.Mean - baseline.Mean) * 100).ToString("+0.0;-0.0", F)} points)" : "");
            findings.Add(text + ".");
        }
        foreach (var strategy in summary.Select(s => s.Strategy).Distinct())
        {
            double error = summary.Where(s => s.Strategy == strategy).Average(s => s.Error);
            findings.Add($"{strategy}: mean equivariance error {error.ToString("0.0e+0", F)} " +
                         (error < 1e-4 ? "(exact up to float32 rounding)." : "(the symmetry is only learned approximately)."));
        }
        return findings;
    }

    private static string Number(double v) =>
        Math.Abs(v) >= 0.01 || v == 0 ? v.ToString("0.000", F) : v.ToString("0.00e+0", F);

    /// <summary>Plots learning curves — the test metric against training-set size, one line per configuration
    /// with ± std error bars over seeds — on log-log axes (for accuracy, the test error 1 − accuracy is
    /// plotted, so that both axes can be logarithmic; a metric with non-positive values keeps a linear y axis),
    /// and saves it as PNG, and as SVG beside it when <paramref name="svg"/> is set.</summary>
    /// <returns>the files written.</returns>
    public static IReadOnlyList<string> PlotLearningCurves(IReadOnlyList<RunResult> runs, string path, string title, bool svg = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var summary = Summarize(runs);
        string metric = runs.Count > 0 ? runs[0].Metric : "metric";
        bool accuracy = metric == "accuracy";
        Func<double, double> value = accuracy ? v => 1 - v : v => v;
        bool logY = summary.Count > 0 && summary.All(s => value(s.Mean) > 0);
        var plot = new ScottPlot.Plot();
        foreach (var strategy in summary.Select(s => s.Strategy).Distinct())
        {
            var rows = summary.Where(s => s.Strategy == strategy).OrderBy(s => s.Size).ToArray();
            var xs = rows.Select(r => Math.Log10(r.Size)).ToArray();
            var means = rows.Select(r => value(r.Mean)).ToArray();
            var ys = logY ? means.Select(Math.Log10).ToArray() : means;
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = strategy;
            // On a log axis the ± std bar becomes log(m ± s) − log(m); the symmetric width below is its upper half.
            var errors = rows.Select((r, i) => logY ? Math.Log10(means[i] + r.Std) - Math.Log10(means[i]) : r.Std).ToArray();
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = scatter.Color;
        }
        var ticks = summary.Select(s => s.Size).Distinct().OrderBy(s => s)
            .Select(s => new ScottPlot.Tick(Math.Log10(s), s.ToString(F))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        if (logY) plot.Axes.Left.TickGenerator = LogTicks(summary.Select(s => value(s.Mean)));
        plot.XLabel("training examples (log scale)");
        plot.YLabel((accuracy ? "test error (1 − accuracy)" : $"test {metric}") + (logY ? " (log scale)" : ""));
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        return Save(plot, path, svg);
    }

    /// <summary>A bar chart of the mean equivariance error of each configuration (log scale), PNG and
    /// optionally SVG: which strategies are exactly symmetric and which only approximately.</summary>
    /// <returns>the files written.</returns>
    public static IReadOnlyList<string> PlotEquivarianceErrors(IReadOnlyList<RunResult> runs, string path, string title, bool svg = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var label = Labeller(runs);
        var configurations = runs.Select(label).Distinct().ToArray();
        var plot = new ScottPlot.Plot();
        const double floor = 1e-12;   // exact zero errors are drawn at the floor of the log axis
        var values = configurations.Select(c => Math.Max(floor, runs.Where(r => label(r) == c).Average(r => r.EquivarianceError))).ToArray();
        double bottom = Math.Floor(Math.Log10(values.Min())) - 1;
        var bars = configurations.Select((c, i) => new ScottPlot.Bar
        {
            Position = i,
            ValueBase = bottom,
            Value = Math.Log10(values[i]),
            FillColor = ScottPlot.Palette.Default.GetColor(i),
            Label = values[i].ToString("0.0e+0", F),
        }).ToArray();
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            configurations.Select((c, i) => new ScottPlot.Tick(i, c)).ToArray());
        plot.Axes.Left.TickGenerator = LogTicks(values.Append(Math.Pow(10, bottom)));
        plot.Axes.SetLimitsY(bottom, Math.Max(0, Math.Ceiling(Math.Log10(values.Max())) + 0.5));
        plot.YLabel("mean equivariance error (log scale)");
        plot.Title(title);
        return Save(plot, path, svg);
    }

    /// <summary>Mean and std of the test metric per (configuration, symmetry-breaking level) at the largest training
    /// size of each level, configurations in order of first appearance.</summary>
    public static IReadOnlyList<(string Configuration, double Level, double Mean, double Std, double Error)> SummarizeBreaking(
        IReadOnlyList<(double Level, IReadOnlyList<RunResult> Runs)> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var all = levels.SelectMany(l => l.Runs).ToArray();
        var label = Labeller(all);
        var order = all.Select(label).Distinct().ToList();
        var rows = new List<(string, double, double, double, double)>();
        foreach (var (level, runs) in levels)
        {
            if (runs.Count == 0) continue;
            int size = runs.Max(r => r.TrainSize);
            foreach (var group in runs.Where(r => r.TrainSize == size).GroupBy(label))
            {
                var values = group.Select(r => r.Test).ToArray();
                double mean = values.Average();
                double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                rows.Add((group.Key, level, mean, std, group.Average(r => r.EquivarianceError)));
            }
        }
        return rows.OrderBy(r => order.IndexOf(r.Item1)).ThenBy(r => r.Item2).ToArray();
    }

    /// <summary>The report of a symmetry-breaking sweep: the test metric of each configuration at each level ε (largest
    /// training size), who is best at each level and by how much, the plot, and links to each level's own report.</summary>
    public static string SymmetryBreakingMarkdown(string title, string setting, IReadOnlyList<(double Level, IReadOnlyList<RunResult> Runs)> levels,
        IReadOnlyList<string> plots, IReadOnlyList<string> levelReports, string command)
    {
        var summary = SummarizeBreaking(levels);
        var all = levels.SelectMany(l => l.Runs).ToArray();
        string metric = all.Length > 0 ? all[0].Metric : "metric";
        bool lower = LowerIsBetter(metric);
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}").AppendLine();
        sb.AppendLine(setting).AppendLine();
        sb.AppendLine($"Command: `{command}`").AppendLine();
        var levelValues = summary.Select(s => s.Level).Distinct().OrderBy(l => l).ToArray();
        sb.AppendLine($"Test {metric} (mean ± std over seeds) at the largest training size, by symmetry-breaking level ε:").AppendLine();
        sb.AppendLine("| configuration | " + string.Join(" | ", levelValues.Select(l => $"ε = {l.ToString("0.###", F)}")) + " | equivariance error |");
        sb.AppendLine("|---|" + string.Concat(levelValues.Select(_ => "---|")) + "---|");
        foreach (var configuration in summary.Select(s => s.Configuration).Distinct())
        {
            var rows = summary.Where(s => s.Configuration == configuration).ToDictionary(s => s.Level);
            sb.Append($"| {configuration} | ");
            sb.Append(string.Join(" | ", levelValues.Select(l => rows.TryGetValue(l, out var r) ? $"{Number(r.Mean)} ± {Number(r.Std)}" : "")));
            sb.AppendLine($" | {rows.Values.Average(r => r.Error).ToString("0.0e+0", F)} |");
        }
        sb.AppendLine();
        sb.AppendLine("What it shows:").AppendLine();
        foreach (var level in levelValues)
        {
            var atLevel = summary.Where(s => s.Level == level).OrderBy(s => lower ? s.Mean : -s.Mean).ToArray();
            if (atLevel.Length == 0) continue;
            var text = $"at ε = {level.ToString("0.###", F)} the best is **{atLevel[0].Configuration}** ({metric} {Number(atLevel[0].Mean)})";
            if (atLevel.Length > 1)
                text += $", then {atLevel[1].Configuration} ({Number(atLevel[1].Mean)}" +
                        (lower ? $", {(atLevel[1].Mean / Math.Max(atLevel[0].Mean, 1e-300)).ToString("0.00", F)}× higher)" : ")");
            sb.AppendLine($"- {text}.");
        }
        sb.AppendLine();
        foreach (var p in plots.Where(p => p.EndsWith(".png", StringComparison.OrdinalIgnoreCase)))
            sb.AppendLine($"![{Path.GetFileNameWithoutExtension(p).Replace('-', ' ')}]({Path.GetFileName(p)})").AppendLine();
        if (levelReports.Count > 0)
        {
            sb.AppendLine("Each level's own report (learning curves, equivariance errors): " +
                          string.Join(", ", levelReports.Select(r => $"[{Path.GetFileName(Path.GetDirectoryName(r))}]({Path.GetFileName(Path.GetDirectoryName(r))}/{Path.GetFileName(r)})")) + ".");
        }
        return sb.ToString();
    }

    /// <summary>Plots the test metric against the symmetry-breaking level (levels evenly spaced and labelled, since
    /// ε = 0 has no logarithm), one line per configuration with ± std error bars; log y axis for positive metrics.</summary>
    /// <returns>the files written.</returns>
    public static IReadOnlyList<string> PlotSymmetryBreaking(IReadOnlyList<(double Level, IReadOnlyList<RunResult> Runs)> levels, string path,
        string title, bool svg = false)
    {
        var summary = SummarizeBreaking(levels);
        var all = levels.SelectMany(l => l.Runs).ToArray();
        string metric = all.Length > 0 ? all[0].Metric : "metric";
        bool accuracy = metric == "accuracy";
        Func<double, double> value = accuracy ? v => 1 - v : v => v;
        bool logY = summary.Count > 0 && summary.All(s => value(s.Mean) > 0);
        var levelValues = summary.Select(s => s.Level).Distinct().OrderBy(l => l).ToList();
        var plot = new ScottPlot.Plot();
        foreach (var configuration in summary.Select(s => s.Configuration).Distinct())
        {
            var rows = summary.Where(s => s.Configuration == configuration).OrderBy(s => s.Level).ToArray();
            var xs = rows.Select(r => (double)levelValues.IndexOf(r.Level)).ToArray();
            var means = rows.Select(r => value(r.Mean)).ToArray();
            var ys = logY ? means.Select(Math.Log10).ToArray() : means;
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = configuration;
            var errors = rows.Select((r, i) => logY ? Math.Log10(means[i] + r.Std) - Math.Log10(means[i]) : r.Std).ToArray();
            plot.Add.ErrorBar(xs, ys, errors).Color = scatter.Color;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            levelValues.Select((l, i) => new ScottPlot.Tick(i, l.ToString("0.###", F))).ToArray());
        if (logY) plot.Axes.Left.TickGenerator = LogTicks(summary.Select(s => value(s.Mean)));
        plot.XLabel("symmetry-breaking level ε");
        plot.YLabel((accuracy ? "test error (1 − accuracy)" : $"test {metric}") + (logY ? " (log scale)" : ""));
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return Save(plot, path, svg);
    }

    private static ScottPlot.TickGenerators.NumericManual LogTicks(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).ToArray();
        int low = (int)Math.Floor(Math.Log10(positive.Min())), high = (int)Math.Ceiling(Math.Log10(positive.Max()));
        var ticks = new List<ScottPlot.Tick>();
        for (int e = low; e <= high; e++)
        {
            ticks.Add(new ScottPlot.Tick(e, Math.Pow(10, e).ToString(e is >= -3 and <= 3 ? "0.###" : "0e+0", F)));
            if (high - low <= 2)
                foreach (var m in new[] { 2, 5 })
                    if (e < high) ticks.Add(new ScottPlot.Tick(e + Math.Log10(m), (m * Math.Pow(10, e)).ToString(e is >= -3 and <= 3 ? "0.###" : "0e+0", F)));
        }
        return new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
    }

    private static IReadOnlyList<string> Save(ScottPlot.Plot plot, string path, bool svg)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var files = new List<string>();
        // Written beside the target and renamed, so an interrupted run never leaves a broken image.
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Guid.NewGuid():N}.png");
        plot.SavePng(temp, 800, 500);
        File.Move(temp, full, overwrite: true);
        files.Add(full);
        if (svg)
        {
            var svgPath = Path.ChangeExtension(full, ".svg");
            AtomicFile.WriteAllText(svgPath, plot.GetSvgXml(800, 500));
            files.Add(svgPath);
        }
        return files;
    }
}
