using Noether.Cli;
using Noether.Training;
using Noether.Training.Tasks;

namespace Noether.Tests.Cli;

/// <summary>An experiment folder keeps its data check in data-check.json; it is reused only for the same data.</summary>
public class DataCheckCacheTests
{
    private sealed class CountingTask : ITrainingTask
    {
        public int Checks;

        public TaskInfo Info { get; } = new("counting", "A task that counts its data checks.", "none", "mse", "generated",
            new[] { "mlp" }, new[] { "none" });

        public ITaskData Load(string? dataDirectory = null) => new Data(this);

        private sealed class Data(CountingTask task) : ITaskData
        {
            public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null) => throw new NotSupportedException();

            public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null) =>
                throw new NotSupportedException();

            public DataSymmetryReport CheckData(IReadOnlyDictionary<string, string>? options = null, int seed = 0)
            {
                task.Checks++;
                var clip = options?.GetValueOrDefault("force-clip") ?? "";
                return new DataSymmetryReport("counting",
                    new[] { new SymmetryVerdict("rotations", clip == "norm" ? "exact" : "approximate", 1, "", "SO3") }, "none");
            }

            public void Dispose() { }
        }
    }

    [Fact]
    public void SavedDataCheck_IsReusedForTheSameDataOptions_AndRedoneForAnotherDrawOrForceClip()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-datacheck-{Guid.NewGuid():N}");
        try
        {
            var task = new CountingTask();
            Dictionary<string, string> Options(params (string, string)[] extra)
            {
                var options = new Dictionary<string, string> { ["train-rotation"] = "random" };
                foreach (var (k, v) in extra) options[k] = v;
                return options;
            }
            Assert.Equal("approximate", CliRuns.DataCheck(task, null, dir, Options())!.Symmetries[0].Verdict);
            CliRuns.DataCheck(task, null, dir, Options());
            Assert.Equal(1, task.Checks); // reused
            Assert.Equal("exact", CliRuns.DataCheck(task, null, dir, Options(("force-clip", "norm")))!.Symmetries[0].Verdict);
            Assert.Equal(2, task.Checks); // another force clip: redone
            CliRuns.DataCheck(task, null, dir, Options(("force-clip", "norm")));
            Assert.Equal(2, task.Checks);
            CliRuns.DataCheck(task, null, dir, Options(("force-clip", "norm"), ("draw", "reference")));
            Assert.Equal(3, task.Checks); // another draw: redone
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
