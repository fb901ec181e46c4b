using System.Diagnostics;
using System.Text.Json;

namespace Noether.Tests.Cli;

/// <summary>Runs the real `noether` command (Noether.Cli.dll, copied next to the tests) as a process.</summary>
public class CliTests
{
    internal static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunWithin(120, args);

    /// <summary>Runs the CLI, failing after <paramref name="seconds"/> (the demo trains on three tasks, longer than the rest).</summary>
    internal static (int ExitCode, string Stdout, string Stderr) RunWithin(int seconds, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Noether.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(seconds * 1000)) { process.Kill(true); throw new TimeoutException($"noether {string.Join(" ", args)} did not finish"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    internal static JsonElement LastJsonLine(string stdout) =>
        JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    [Fact]
    public void Info_Json_HasVersionsAndThreads()
    {
        var (code, stdout, _) = Run("info", "--json");
        Assert.Equal(0, code);
        var json = LastJsonLine(stdout);
        Assert.Equal("0.107.0", json.GetProperty("torchsharp").GetString());
        Assert.Equal("2.10.0", json.GetProperty("libtorch").GetString());
        Assert.True(json.GetProperty("threads").GetInt32() >= 1);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("noether").GetString()));
    }

    [Theory]
    [InlineData("D4", new[] { 1, 1, 1, 1, 2 })]
    [InlineData("octahedral", new[] { 1, 1, 2, 3, 3 })]
    [InlineData("icosahedral", new[] { 1, 3, 3, 4, 5 })]
    [InlineData("S4", new[] { 1, 1, 2, 3, 3 })]
    [InlineData("C5", new[] { 1, 2, 2 })]
    public void Groups_Json_ListsIrrepDimensions_AndCharacterTable(string name, int[] dims)
    {
        var (code, stdout, _) = Run("groups", name, "--json");
        Assert.Equal(0, code);
        var json = LastJsonLine(stdout);
        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.Equal(dims, json.GetProperty("irreps").EnumerateArray().Select(i => i.GetProperty("dim").GetInt32()));
        var table = json.GetProperty("character_table");
        Assert.Equal(dims.Length, table.GetProperty("rows").GetArrayLength());
        // Class sizes add up to the order (over ℝ the table is square only when every irrep is of real type; C5's is 3×5).
        Assert.Equal(json.GetProperty("order").GetInt32(), table.GetProperty("classes").EnumerateArray().Sum(c => c.GetProperty("size").GetInt32()));
        // First column is the identity: the characters there are the dimensions.
        Assert.Equal(dims, table.GetProperty("rows").EnumerateArray().Select(r => (int)r.GetProperty("values")[0].GetDouble()));
    }

    [Fact]
    public void Groups_Json_ForAContinuousGroup_HasNullOrderAndBandLimitedIrreps()
    {
        var (code, stdout, _) = Run("groups", "O3", "--json", "--band-limit", "2");
        Assert.Equal(0, code);
        var json = LastJsonLine(stdout);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("order").ValueKind);
        Assert.Equal(new[] { "0e", "0o", "1e", "1o", "2e", "2o" }, json.GetProperty("irreps").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.False(json.TryGetProperty("character_table", out _));
    }

    [Theory]
    [InlineData("groups", "Q8")]
    [InlineData("groups", "C0")]
    [InlineData("groups", "D-2")]
    [InlineData("groups", "D4", "--irrep", "7")]
    [InlineData("groups", "SO3", "--irrep", "D-1")]
    [InlineData("groups", "D4", "--no-such-option")]
    [InlineData("no-such-command")]
    [InlineData("check", "--task", "digit-sum", "--data")]
    [InlineData("check", "--task", "rotated-mnist", "--data", "--train-rotation", "sideways")]
    [InlineData("check", "--task", "o3-inertia", "--data", "--draw", "reference")]
    [InlineData("check", "--task", "nbody", "--data", "--draw", "sideways")]
    [InlineData("check", "--task", "nbody", "--data", "--force-clip", "soft")]
    [InlineData("check", "--task", "o3-inertia", "--data", "--force-clip", "norm")]
    [InlineData("check", "--task", "o3-inertia", "--model", "emlp", "--ensemble", "0")]
    [InlineData("check", "--task", "nbody", "--model", "egnn", "--ensemble", "2")]
    public void BadInput_ExitsWithCode2_AndAOneLineMessage(params string[] args)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout.Trim());
        var lines = stderr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("noether: ", lines[0]);
    }

    [Fact]
    public void Groups_Irrep_ShowsMatricesAtTheGenerators()
    {
        var (code, stdout, _) = Run("groups", "D4", "--irrep", "E1", "--json");
        Assert.Equal(0, code);
        var json = LastJsonLine(stdout);
        Assert.Equal(2, json.GetProperty("dim").GetInt32());
        Assert.Equal(2, json.GetProperty("generators").GetArrayLength());
    }

    [Fact]
    public void Demo_Json_HasRunsWithTheTrainFields_AReportAndAPlot()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-demo-{Guid.NewGuid():N}");
        var (code, stdout, _) = RunWithin(900, "demo", "--seeds", "1", "--out", dir, "--json");
        Assert.Equal(0, code);
        var json = LastJsonLine(stdout);
        var runs = json.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(18, runs.Count(r => r.GetProperty("task").GetString() == "ring-patterns")); // 3 strategies × 6 sizes × 1 seed
        Assert.Equal(6, runs.Count(r => r.GetProperty("task").GetString() == "digit-sum"));     // 3 configurations × 2 sizes
        // DeepSets is exactly permutation invariant; the LSTM is not.
        Assert.All(runs.Where(r => r.GetProperty("model").GetString() == "deepsets"), r => Assert.True(r.GetProperty("equivariance_error").GetDouble() < 1e-5));
        Assert.All(runs.Where(r => r.GetProperty("model").GetString() == "lstm"), r => Assert.True(r.GetProperty("equivariance_error").GetDouble() > 1e-4));
        foreach (var field in new[] { "task", "model", "strategy", "train_size", "epochs", "seed", "metric", "test", "equivariance_error", "params", "train_seconds" })
            Assert.All(runs, r => Assert.True(r.TryGetProperty(field, out _), field));
        Assert.All(runs.Where(r => r.GetProperty("strategy").GetString() == "symmetrize"), r => Assert.True(r.GetProperty("equivariance_error").GetDouble() < 1e-4));
        Assert.True(File.Exists(json.GetProperty("report").GetString()));
        Assert.All(json.GetProperty("plots").EnumerateArray(), p => Assert.True(File.Exists(p.GetString()), p.GetString()));
        Assert.Contains("## digit-sum", File.ReadAllText(json.GetProperty("report").GetString()!));
        Directory.Delete(dir, recursive: true);
    }
}
