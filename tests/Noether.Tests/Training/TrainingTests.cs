using Noether.Data;
using Noether.Nn.Common;
using Noether.Runtime;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

[Collection("NoParallel")] // sets the global seed
public class TrainingTests
{
    [Fact]
    public void StrategyComparison_SymmetrizedModelsAreExactlyInvariant_AndBeatThePlainModelWithFewExamples()
    {
        var task = new RingPatterns();
        var runs = StrategyComparison.Run(task, new StrategyComparisonOptions(new[] { "none", "symmetrize" }, new[] { 16 }, Seeds: 1, TestSize: 500, Steps: 150));
        var none = runs.Single(r => r.Strategy == "none");
        var symmetrized = runs.Single(r => r.Strategy == "symmetrize");
        Assert.True(symmetrized.EquivarianceError < 1e-4, $"{symmetrized.EquivarianceError}");
        Assert.True(none.EquivarianceError > 0.01, $"{none.EquivarianceError}");
        Assert.True(symmetrized.Test > none.Test, $"{symmetrized.Test} vs {none.Test}");
        Assert.Equal(none.Params, symmetrized.Params);
        Assert.Throws<ArgumentException>(() => new StrategyComparisonOptions(new[] { "bogus" }, new[] { 8 }).Validate());
    }

    [Fact]
    public void Report_SummarizesRuns_AndPlotsAPng()
    {
        var runs = new[]
        {
            new RunResult("t", "m", "none", 8, 1, 0, "accuracy", 0.5, 0.3, 10, 0.1),
            new RunResult("t", "m", "none", 8, 1, 1, "accuracy", 0.7, 0.5, 10, 0.1),
            new RunResult("t", "m", "symmetrize", 8, 1, 0, "accuracy", 0.9, 1e-8, 10, 0.1),
        };
        var summary = ExperimentReport.Summarize(runs);
        var none = summary.Single(s => s.Strategy == "none");
        Assert.Equal(0.6, none.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), none.Std, 12);
        Assert.Equal(0.4, none.Error, 12);
        Assert.Contains(ExperimentReport.Findings(summary), f => f.Contains("**symmetrize** (accuracy 0.900)") && f.Contains("0.600"));
        // For a lower-is-better metric the best is the smallest value.
        var mse = ExperimentReport.Summarize(runs.Select(r => r with { Metric = "mse" }).ToArray());
        Assert.Contains(ExperimentReport.Findings(mse, "mse"), f => f.Contains("**none** (mse 0.600)"));
        var path = Path.Combine(Path.GetTempPath(), $"noether-plot-{Guid.NewGuid():N}.png");
        ExperimentReport.PlotLearningCurves(runs, path, "test");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G');
        File.Delete(path);
    }
}
