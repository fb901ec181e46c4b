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
        sb.AppendLine("| configuration | " + string.Join(" | ", sizes.Select(s => $"n = {s}")) + " | invariance error |");
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
        foreach (var line in Findings(summary)) sb.AppendLine($"- {line}");
        if (plots.Count > 0)
        {
            sb.AppendLine();
            foreach (var p in plots) sb.AppendLine($"![learning curves]({Path.GetFileName(p)})");
        }
        return sb.ToString();
    }

    /// <summary>Sentences read off the numbers (never written by hand).</summary>
    public static IReadOnlyList<string> Findings(IReadOnlyList<(string Strategy, int Size, double Mean, double Std, double Error, int Runs)> summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var findings = new List<string>();
        var sizes = summary.Select(s => s.Size).Distinct().OrderBy(s => s).ToArray();
        if (sizes.Length == 0) return findings;
        foreach (var n in new[] { sizes[0], sizes[^1] }.Distinct())
        {
            var best = summary.Where(s => s.Size == n).MaxBy(s => s.Mean);
            var baselineName = summary[0].Strategy;
            var baseline = summary.FirstOrDefault(s => s.Size == n && s.Strategy == baselineName);
            var text = $"with {n} training examples the best is **{best.Strategy}** ({best.Mean.ToString("0.000", F)})";
            if (baseline.Strategy is not null && best.Strategy != baselineName)
                text += $", against {baseline.Mean.ToString("0.000", F)} for {baselineName}" +
                        $" ({((best.Mean - baseline.Mean) * 100).ToString("+0.0;-0.0", F)} points)";
            findings.Add(text + ".");
        }
        foreach (var strategy in summary.Select(s => s.Strategy).Distinct())
        {
            double error = summary.Where(s => s.Strategy == strategy).Average(s => s.Error);
            findings.Add($"{strategy}: mean invariance error {error.ToString("0.0e+0", F)} " +
                         (error < 1e-4 ? "(exact up to float32 rounding)." : "(the symmetry is only learned approximately)."));
        }
        return findings;
    }

    /// <summary>Plots the test metric against training-set size (log scale), one line per strategy with
    /// ± std error bars, and saves a PNG.</summary>
    public static void PlotLearningCurves(IReadOnlyList<RunResult> runs, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var summary = Summarize(runs);
        var plot = new ScottPlot.Plot();
        foreach (var strategy in summary.Select(s => s.Strategy).Distinct())
        {
            var rows = summary.Where(s => s.Strategy == strategy).OrderBy(s => s.Size).ToArray();
            var xs = rows.Select(r => Math.Log2(r.Size)).ToArray();
            var scatter = plot.Add.Scatter(xs, rows.Select(r => r.Mean).ToArray());
            scatter.LegendText = strategy;
            var bars = plot.Add.ErrorBar(xs, rows.Select(r => r.Mean).ToArray(), rows.Select(r => r.Std).ToArray());
            bars.Color = scatter.Color;
        }
        var ticks = summary.Select(s => s.Size).Distinct().OrderBy(s => s)
            .Select(s => new ScottPlot.Tick(Math.Log2(s), s.ToString(F))).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.XLabel("training examples");
        plot.YLabel(runs.Count > 0 ? $"test {runs[0].Metric}" : "test");
        plot.Title(title);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 800, 500);
    }
}
