using System.Text.Json;
using Noether.Training;

namespace Noether.Tests.Cli;

/// <summary><c>noether report</c>: the tables of stored runs from the command line, its JSON, and its errors.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"noether-report-cli-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string Folder()
    {
        var store = new ExperimentStore(Path.Combine(_dir, "o5"));
        foreach (var seed in new[] { 0, 1 })
            foreach (var (model, test) in new[] { ("mlp", 0.03), ("emlp", 0.0002) })
                store.Add(new RunResult("o5-invariant", model, "none", 1000, 300, seed, "mse", test * (1 + seed), model == "emlp" ? 1e-7 : 0.7, 100, 3), 1000,
                    model == "emlp" ? new Dictionary<string, string> { ["lr"] = "1e-3" } : null);
        return store.Directory;
    }

    [Fact]
    public void Report_PrintsTheTable_WritesIt_AndEndsWithJson()
    {
        var folder = Folder();
        var (code, stdout, stderr) = CliTests.Run("report", folder, "--seeds", "--ratios-at", "1000");
        Assert.True(code == 0, stderr);
        Assert.Contains("| mlp + none | 0.0300, 0.0600 → **0.0450** | 0.70 |", stdout);
        Assert.Contains("| emlp + none, lr 1e-3 | 2.00e-4, 4.00e-4 → **3.00e-4** | 1.0e-7 |", stdout);
        Assert.Contains("the best is **emlp + none, lr 1e-3**", stdout);

        var file = Path.Combine(_dir, "table.md");
        (code, stdout, stderr) = CliTests.Run("report", folder, "--by", "run", "--where", "seed=1", "--out", file, "--json");
        Assert.True(code == 0, stderr);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal(2, json.GetProperty("runs").GetInt32());
        Assert.Equal(2, json.GetProperty("rows").GetArrayLength());
        Assert.All(json.GetProperty("rows").EnumerateArray(), r => Assert.Equal(1, r.GetProperty("seed").GetInt32()));
        Assert.Equal(File.ReadAllText(file), json.GetProperty("table").GetString());
    }

    [Theory]
    [InlineData("--by", "colour")]
    [InlineData("--digits", "0")]
    [InlineData("--where", "seed")]
    [InlineData("--where", "seed=7")]
    [InlineData("--ratios-at", "500")]
    [InlineData("--by", "length")]
    [InlineData("--by", "run", "--seeds")]
    public void Report_BadOptions_ExitWithCode2AndOneLine(params string[] options)
    {
        var (code, stdout, stderr) = CliTests.Run(["report", Folder(), .. options]);
        Assert.Equal(2, code);
        Assert.StartsWith("noether: ", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public void Report_AMissingFolder_IsAUserError()
    {
        var (code, _, stderr) = CliTests.Run("report", Path.Combine(_dir, "nowhere"));
        Assert.Equal(2, code);
        Assert.Contains("nowhere", stderr);
    }
}
