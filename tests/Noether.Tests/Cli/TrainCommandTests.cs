using Noether.Training.Tasks;

namespace Noether.Tests.Cli;

public class TrainCommandTests
{
    private static readonly string[] TrainFields =
        { "task", "model", "strategy", "train_size", "epochs", "seed", "metric", "test", "equivariance_error", "params", "train_seconds" };

    [Fact]
    public void Train_RingPatterns_Symmetrize_IsExactlyInvariant()
    {
        var (code, stdout, _) = CliTests.Run("train", "--task", "ring-patterns", "--model", "mlp", "--strategy", "symmetrize", "--train-size", "32", "--epochs", "5", "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        foreach (var f in TrainFields) Assert.True(json.TryGetProperty(f, out _), f);
        Assert.True(json.GetProperty("equivariance_error").GetDouble() < 1e-4);
        Assert.Equal(32, json.GetProperty("train_size").GetInt32());
    }

    [Fact]
    public void Train_RotatedMnist_Cnn_WritesRunAndCheckpoint()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-train-{Guid.NewGuid():N}");
        var (code, stdout, _) = CliTests.Run("train", "--task", "rotated-mnist", "--model", "cnn", "--train-size", "200", "--epochs", "2", "--out", dir, "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        foreach (var f in TrainFields) Assert.True(json.TryGetProperty(f, out _), f);
        // The training-time metric: loss and equivariance error after every epoch.
        var history = json.GetProperty("epochs_history").EnumerateArray().ToArray();
        Assert.Equal(2, history.Length);
        Assert.All(history, h => Assert.InRange(h.GetProperty("equivariance_error").GetDouble(), 1e-9, 10));
        Assert.InRange(json.GetProperty("test").GetDouble(), 0, 1);
        Assert.True(File.Exists(Path.Combine(dir, "model.bin")));
        Assert.True(File.Exists(Path.Combine(dir, "run.json")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Train_WithOut_KeepsTheTrainerState_ResumesTheSameRun_AndRefusesAnother()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-train-{Guid.NewGuid():N}");
        try
        {
            string[] Args(string seed) => new[] { "train", "--task", "ring-patterns", "--model", "mlp", "--train-size", "64", "--epochs", "3", "--seed", seed, "--out", dir, "--json" };
            var (code, stdout, _) = CliTests.Run(Args("1"));
            Assert.Equal(0, code);
            Assert.True(File.Exists(Path.Combine(dir, "trainer", "state.json")));
            // The same command finds the finished state: the same numbers, no training again.
            var (again, stdoutAgain, _) = CliTests.Run(Args("1"));
            Assert.Equal(0, again);
            Assert.Equal(CliTests.LastJsonLine(stdout).GetProperty("test").GetDouble(), CliTests.LastJsonLine(stdoutAgain).GetProperty("test").GetDouble());
            // Another run into the same folder is refused with a one-line message, and the saved state is kept.
            var (other, _, stderr) = CliTests.Run(Args("2"));
            Assert.Equal(2, other);
            Assert.Contains("another run", stderr);
            Assert.True(File.Exists(Path.Combine(dir, "trainer", "state.json")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--task", "no-such-task", "--model", "cnn")]
    [InlineData("--task", "rotated-mnist", "--model", "no-such-model")]
    [InlineData("--task", "rotated-mnist", "--model", "cnn", "--strategy", "frame-average")]
    [InlineData("--task", "rotated-mnist", "--model", "cnn", "--epochs", "0")]
    [InlineData("--task", "rotated-mnist", "--model", "cnn", "--train-size", "9000")]
    [InlineData("--task", "rotated-mnist", "--model", "cnn", "--train-rotation", "sideways")]
    [InlineData("--task", "rotated-fashion-mnist", "--model", "cnn", "--data", "/no/such/folder")]
    [InlineData("--model", "cnn")]
    [InlineData("--task", "modified-inertia", "--model", "mlp", "--symmetry-breaking", "0,0.1")]
    [InlineData("--task", "modified-inertia", "--model", "mlp", "--symmetry-breaking", "lots")]
    [InlineData("--task", "nbody", "--model", "mlp", "--symmetry-breaking", "0.1")]
    [InlineData("--task", "nbody", "--model", "mlp", "--draw", "numpy")]
    [InlineData("--task", "nbody", "--model", "mlp", "--force-clip", "soft")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--force-clip", "norm")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--draw", "reference")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--protocol", "paper")]
    [InlineData("--task", "nbody", "--model", "mlp", "--protocol", "emlp")]
    [InlineData("--task", "nbody", "--model", "mlp", "--lr", "1e-3")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--lr", "0")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--lr", "fast")]
    [InlineData("--task", "nbody", "--model", "mlp", "--ensemble", "5")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--ensemble", "0")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--ensemble", "2.5")]
    [InlineData("--task", "o3-inertia", "--model", "mlp", "--ensemble", "101")]
    public void BadTrainInput_ExitsWithCode2(params string[] args)
    {
        var (code, _, stderr) = CliTests.Run(new[] { "train" }.Concat(args).ToArray());
        Assert.Equal(2, code);
        Assert.StartsWith("noether: ", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
    }
}

public class ExperimentCommandTests
{
    [Fact]
    public void Experiment_WithTheEmlpProtocol_TrainsEachSizeForItsOwnEpochs_ReportsIt_AndReusesTheRuns()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        string[] args = { "experiment", "--task", "o5-invariant", "--models", "mlp", "--strategies", "none", "--sizes", "18000,30000",
            "--protocol", "emlp", "--skip-data-check", "--threads", "1", "--out", dir, "--json" };
        var (code, stdout, _) = CliTests.RunWithin(300, args);
        Assert.Equal(0, code);
        var runs = CliTests.LastJsonLine(stdout).GetProperty("runs").EnumerateArray()
            .Select(r => (r.GetProperty("train_size").GetInt32(), r.GetProperty("epochs").GetInt32())).ToArray();
        Assert.Equal(new[] { (18000, 50), (30000, 30) }, runs); // min(1000, 900,000 / n)
        var report = File.ReadAllText(Path.Combine(dir, "report.md"));
        Assert.Contains("--protocol emlp", report);
        Assert.Contains("50 at n = 18000", report);
        var (again, _, stderr) = CliTests.RunWithin(300, args);
        Assert.Equal(0, again);
        Assert.Contains("2 of 2 runs already finished", stderr);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Experiment_RingPatterns_WritesRunsReportAndPlots_AndASecondInvocationReusesFinishedRuns()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        var (code, stdout, _) = CliTests.Run("experiment", "--task", "ring-patterns", "--models", "mlp", "--strategies", "none,symmetrize",
            "--sizes", "16,32", "--epochs", "5", "--out", dir, "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal(4, json.GetProperty("runs").GetArrayLength());
        var report = File.ReadAllText(json.GetProperty("report").GetString()!);
        Assert.Contains("| symmetrize |", report);
        Assert.Contains("# ring-patterns: mlp × strategies × sizes", report); // one model: curves by strategy, the title names it
        Assert.Contains("noether experiment --task ring-patterns", report);
        var plots = json.GetProperty("plots").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal(new[] { "learning-curves.png", "learning-curves.svg", "equivariance-errors.png", "equivariance-errors.svg" },
            plots.Select(Path.GetFileName));
        Assert.All(plots, p => Assert.True(new FileInfo(p).Length > 1000, p));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, "runs.csv")).Length);

        // The same grid plus one size: the 4 finished runs are reused unchanged, only the 2 new ones run.
        var (again, stdout2, stderr2) = CliTests.Run("experiment", "--task", "ring-patterns", "--models", "mlp", "--strategies", "none,symmetrize",
            "--sizes", "16,32,64", "--epochs", "5", "--out", dir, "--json");
        Assert.Equal(0, again);
        Assert.Contains("4 of 6 runs already finished", stderr2);
        var first = json.GetProperty("runs").EnumerateArray().Select(r => (r.GetProperty("train_size").GetInt32(), r.GetProperty("test").GetDouble())).ToArray();
        var second = CliTests.LastJsonLine(stdout2).GetProperty("runs").EnumerateArray()
            .Select(r => (r.GetProperty("train_size").GetInt32(), r.GetProperty("test").GetDouble())).ToArray();
        Assert.Equal(6, second.Length);
        Assert.Equal(first, second.Where(r => r.Item1 != 64));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(dir, "runs.csv")).Length);

        // A corrupt results file is a clear user error, not a crash, and is not overwritten.
        File.WriteAllText(Path.Combine(dir, "runs.json"), "[{\"task\": ");
        var (bad, _, badErr) = CliTests.Run("experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "16", "--epochs", "5", "--out", dir);
        Assert.Equal(2, bad);
        Assert.Contains("not a valid experiment file", badErr);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Experiment_ResumesARunKilledMidway_FromItsTrainerState()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        var reference = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        try
        {
            string[] Args(string output) => new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--strategies", "augment",
                "--sizes", "32", "--epochs", "6", "--out", output, "--json" };
            // What the CLI passes for this grid cell; the first attempt is killed after its third epoch.
            var options = new Noether.Training.Tasks.TaskRunOptions("mlp", "augment", 32, 6, 0, new Dictionary<string, string>());
            using (var data = Noether.Training.Tasks.TaskCatalog.Get("ring-patterns").Load())
            using (var state = Noether.Training.RunState.Claim(dir, options.RunKey("ring-patterns")))
                Assert.Throws<OperationCanceledException>(() => data.Run(options with { StateDirectory = state.Directory },
                    m => { if (m.Epoch == 2) throw new OperationCanceledException(); }));
            Assert.Single(Directory.GetDirectories(Path.Combine(dir, ".trainer")));

            var (code, stdout, _) = CliTests.Run(Args(dir));
            Assert.Equal(0, code);
            var (codeReference, stdoutReference, _) = CliTests.Run(Args(reference));
            Assert.Equal(0, codeReference);
            double Test(string output) => CliTests.LastJsonLine(output).GetProperty("runs")[0].GetProperty("test").GetDouble();
            Assert.Equal(Test(stdoutReference), Test(stdout));
            // Once the run is recorded, its state is gone.
            Assert.Empty(Directory.GetDirectories(Path.Combine(dir, ".trainer")));
        }
        finally
        {
            foreach (var d in new[] { dir, reference })
                if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }

    [Fact]
    public void Experiment_RotatedMnist_RunsEveryConfiguration_OnOneLoadOfTheData()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        // Four runs, each scored on the whole test set: near two minutes on a busy 2-core machine, so a wider limit.
        var (code, stdout, _) = CliTests.RunWithin(300, "experiment", "--task", "rotated-mnist", "--models", "cnn", "--strategies", "none,augment",
            "--sizes", "50,100", "--epochs", "1", "--out", dir, "--json", "--skip-data-check");
        Assert.Equal(0, code);
        var runs = CliTests.LastJsonLine(stdout).GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(4, runs.Length);
        Assert.Equal(new[] { 50, 50, 100, 100 }, runs.Select(r => r.GetProperty("train_size").GetInt32()));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Experiment_OnATaskWithADataDiagnostic_PutsTheVerdictAndRecommendationInTheReport_OncePerFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        string[] args = { "experiment", "--task", "nbody", "--models", "linear", "--strategies", "none", "--sizes", "100", "--epochs", "1",
            "--out", dir, "--json" };
        var (code, stdout, _) = CliTests.RunWithin(300, args);
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        var report = File.ReadAllText(json.GetProperty("report").GetString()!);
        Assert.Contains("## Data symmetry", report);
        Assert.Contains("| particle permutations | exact |", report);
        Assert.Contains("**Recommendation:**", report);
        Assert.Equal("nbody", json.GetProperty("data_check").GetProperty("task").GetString());
        var saved = Path.Combine(dir, "data-check.json");
        Assert.True(File.Exists(saved));
        // A second invocation reads the saved verdict instead of running the diagnostic again.
        File.WriteAllText(saved, File.ReadAllText(saved).Replace("\"recommendation\":\"", "\"recommendation\":\"SAVED ", StringComparison.Ordinal));
        var (again, stdout2, _) = CliTests.RunWithin(300, args);
        Assert.Equal(0, again);
        Assert.Contains("**Recommendation:** SAVED", File.ReadAllText(CliTests.LastJsonLine(stdout2).GetProperty("report").GetString()!));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Experiment_SymmetryBreakingSweep_ReportsTheMetricAgainstEpsilon_PerLevelReports_AndReusesRuns()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-exp-{Guid.NewGuid():N}");
        string[] args = { "experiment", "--task", "modified-inertia", "--models", "emlp,mlp", "--strategies", "none", "--sizes", "30",
            "--epochs", "3", "--symmetry-breaking", "0.5,0", "--out", dir, "--json" };
        var (code, stdout, _) = CliTests.Run(args);
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal(4, json.GetProperty("runs").GetArrayLength());
        var report = File.ReadAllText(json.GetProperty("report").GetString()!);
        Assert.Contains("| configuration | ε = 0 | ε = 0.5 |", report);
        Assert.Contains("--symmetry-breaking 0,0.5", report);
        Assert.Contains("at ε = 0.5 the best is", report);
        Assert.All(json.GetProperty("plots").EnumerateArray().Select(p => p.GetString()!), p => Assert.True(new FileInfo(p).Length > 1000, p));
        var levels = json.GetProperty("level_reports").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Equal(new[] { "symmetry-breaking-0", "symmetry-breaking-0.5" }, levels.Select(p => Path.GetFileName(Path.GetDirectoryName(p))));
        Assert.All(levels, p => Assert.True(File.Exists(p)));
        // The two levels are different data: the same model and seed give different test errors.
        var tests = json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("test").GetDouble()).ToArray();
        Assert.NotEqual(tests[0], tests[2]);

        var (again, _, stderr) = CliTests.Run(args);
        Assert.Equal(0, again);
        Assert.Contains("4 of 4 runs already finished", stderr);
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("--task", "o3-inertia", "--models", "mlp", "--sizes", "30", "--symmetry-breaking", "0.1")]
    [InlineData("--task", "modified-inertia", "--models", "mlp", "--sizes", "30", "--symmetry-breaking", "0,-1")]
    [InlineData("--task", "rotated-mnist", "--models", "cnn", "--sizes", "9000")]
    [InlineData("--task", "rotated-mnist", "--models", "cnn,nope", "--sizes", "100")]
    [InlineData("--task", "rotated-mnist", "--models", "cnn", "--sizes", "100,x")]
    [InlineData("--task", "rotated-mnist", "--models", "cnn")]
    public void BadExperimentInput_ExitsWithCode2(params string[] args)
    {
        var (code, _, stderr) = CliTests.Run(new[] { "experiment" }.Concat(args).ToArray());
        Assert.Equal(2, code);
        Assert.StartsWith("noether: ", stderr.Trim());
    }
}

public class CheckCommandTests
{
    [Fact]
    public void Check_C8Model_ReportsEveryLayerExact_UnderQuarterTurns()
    {
        var (code, stdout, _) = CliTests.Run("check", "--task", "rotated-mnist", "--model", "c8", "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        Assert.True(json.GetProperty("equivariance_error").GetDouble() < 1e-4);
        var layers = json.GetProperty("layers").EnumerateArray().ToArray();
        Assert.True(layers.Length >= 15);
        Assert.All(layers, l => Assert.True(l.GetProperty("equivariance_error").GetDouble() < 1e-4, l.GetProperty("name").GetString()));
    }

    [Fact]
    public void Check_TrainedCheckpoint_IsLoaded_AndACorruptOneIsAUserError()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-check-{Guid.NewGuid():N}");
        // Training, testing on 10,000 rotated images and the invariance checks run beside the parallel tests on 2 cores,
        // with oneDNN capped at SSE4.1 (see src/Noether/Runtime/README.md): 120 s was seen to run out in CI.
        var (trainCode, _, _) = CliTests.RunWithin(600, "train", "--task", "rotated-mnist", "--model", "p4cnn", "--train-size", "64", "--epochs", "1", "--out", dir, "--json");
        Assert.Equal(0, trainCode);
        var checkpoint = Path.Combine(dir, "model.bin");
        var (code, stdout, _) = CliTests.RunWithin(600, "check", "--task", "rotated-mnist", "--model", "p4cnn", "--checkpoint", checkpoint, "--json");
        Assert.Equal(0, code);
        Assert.True(CliTests.LastJsonLine(stdout).GetProperty("equivariance_error").GetDouble() < 1e-4);
        File.WriteAllBytes(checkpoint, new byte[] { 9, 9, 9 });
        var (badCode, _, stderr) = CliTests.Run("check", "--task", "rotated-mnist", "--model", "p4cnn", "--checkpoint", checkpoint);
        Assert.Equal(2, badCode);
        Assert.Contains("not a valid checkpoint", stderr);
        var (wrongModel, _, _) = CliTests.Run("check", "--task", "rotated-mnist", "--model", "c8", "--checkpoint", Path.Combine(dir, "missing.bin"));
        Assert.Equal(2, wrongModel);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Check_EnsembleCheckpoint_IsRebuiltWithItsMembers_FromTheCli()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-ensemble-{Guid.NewGuid():N}");
        var (trainCode, trainOut, _) = CliTests.RunWithin(300, "train", "--task", "o3-inertia", "--model", "emlp", "--train-size", "20", "--epochs", "2",
            "--ensemble", "2", "--out", dir, "--json");
        Assert.Equal(0, trainCode);
        Assert.Equal(2, CliTests.LastJsonLine(trainOut).GetProperty("ensemble").GetInt32());
        var checkpoint = Path.Combine(dir, "model.bin");
        var (code, stdout, _) = CliTests.RunWithin(300, "check", "--task", "o3-inertia", "--model", "emlp", "--ensemble", "2", "--checkpoint", checkpoint, "--json");
        Assert.Equal(0, code);
        Assert.True(CliTests.LastJsonLine(stdout).GetProperty("equivariance_error").GetDouble() < 1e-4);
        // Without --ensemble the run.json beside the checkpoint says 2 members.
        (code, stdout, _) = CliTests.RunWithin(300, "check", "--task", "o3-inertia", "--model", "emlp", "--checkpoint", checkpoint, "--json");
        Assert.Equal(0, code);
        Assert.True(CliTests.LastJsonLine(stdout).GetProperty("equivariance_error").GetDouble() < 1e-4);
        // With another --ensemble the checkpoint's two members do not fit: a user error, not a crash.
        var (three, _, stderr) = CliTests.Run("check", "--task", "o3-inertia", "--model", "emlp", "--ensemble", "3", "--checkpoint", checkpoint);
        Assert.Equal(2, three);
        Assert.StartsWith("noether: ", stderr.Trim());
        Directory.Delete(dir, recursive: true);
    }
}
