namespace Noether.Tests.Cli;

/// <summary><c>check --checkpoint</c> of a run saved by <c>train --out</c>: the strategy and options come from the
/// run.json beside the weights, so a symmetrized model is rebuilt as it was trained and checked whole.</summary>
public sealed class CheckCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"noether-check-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("digit-sum", "deepsets", "64")]
    [InlineData("graph-triangles", "gin", "32")]
    [InlineData("ring-patterns", "mlp", "32")]
    [InlineData("wilson-loops", "lcnn", "16")]
    public void ASymmetrizedCheckpoint_IsCheckedAsTrained(string task, string model, string size)
    {
        var (code, _, stderr) = CliTests.RunWithin(300, "train", "--task", task, "--model", model, "--strategy", "symmetrize", "--train-size", size,
            "--epochs", "1", "--out", _dir, "--json");
        Assert.True(code == 0, stderr);
        var checkpoint = Path.Combine(_dir, "model.bin");
        Assert.True(File.Exists(checkpoint));
        (code, var stdout, stderr) = CliTests.RunWithin(300, "check", "--task", task, "--model", model, "--checkpoint", checkpoint, "--json");
        Assert.True(code == 0, stderr);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal("symmetrize", json.GetProperty("strategy").GetString());
        Assert.True(json.GetProperty("equivariance_error").GetDouble() < 1e-4);

        // Another strategy, or another model, than the run.json records is refused with the recorded one named.
        (code, _, stderr) = CliTests.Run("check", "--task", task, "--model", model, "--strategy", "none", "--checkpoint", checkpoint);
        Assert.Equal(2, code);
        Assert.Contains("symmetrize", stderr);
    }
}
