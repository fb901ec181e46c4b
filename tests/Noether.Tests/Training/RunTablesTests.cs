using System.Text.Json.Nodes;
using Noether.Training;

namespace Noether.Tests.Training;

/// <summary>The report writer over stored runs: reading experiment folders and train --json files, labels from the
/// fields that differ, per-seed cells with mean and median, ratios, by-length and per-run tables, filters.</summary>
public sealed class RunTablesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"noether-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly RunTableOptions Options = new() { ConfigurationFields = ["lr", "ensemble", "pooling", "group"] };

    private static RunResult Run(string model, string strategy, int size, int seed, double test, string task = "o5-invariant", int epochs = 300) =>
        new(task, model, strategy, size, epochs, seed, "mse", test, model == "emlp" ? 1e-7 : 0.5, 100, 2.5);

    /// <summary>An experiment folder (runs.json) with 3 configurations × 2 sizes × 4 seeds; the EMLP rows carry lr.</summary>
    private string Experiment(string name, int seeds = 4, int? ensemble = null)
    {
        var store = new ExperimentStore(Path.Combine(_dir, name));
        foreach (var seed in Enumerable.Range(0, seeds))
            foreach (var size in new[] { 30, 1000 })
            {
                var extra = new JsonObject { ["group"] = "O5" };
                if (ensemble is { } k) extra["ensemble"] = k;
                store.Add(Run("mlp", "none", size, seed, 1.0 * (seed + 1) / size * 100), size, new Dictionary<string, string> { ["group"] = "" }, extra);
                store.Add(Run("mlp", "augment", size, seed, 0.5 * (seed + 1) / size * 100), size, new Dictionary<string, string> { ["group"] = "" }, extra);
                var emlpExtra = (JsonObject)extra.DeepClone();
                emlpExtra["lr"] = 0.001;
                store.Add(Run("emlp", "none", size, seed, 0.01 * (seed + 1) / size * 100), size,
                    new Dictionary<string, string> { ["group"] = "", ["lr"] = "1e-3" }, emlpExtra);
            }
        return store.Directory;
    }

    [Fact]
    public void BySize_WithSeeds_ListsEverySeed_ThenMeanAndMedian_AndLabelsOnlyWhatDiffers()
    {
        var runs = StoredRun.Read([Experiment("a")]);
        Assert.Equal(24, runs.Count);
        var table = RunTables.Write(runs, Options with { Seeds = true });
        // mlp + none at n = 30: (seed+1)/30*100 = 3.33, 6.67, 10.0, 13.3 → mean 8.33, median 8.33
        Assert.Contains("| mlp + none | 3.33, 6.67, 10.0, 13.3 → **8.33**; 8.33 | 0.100, 0.200, 0.300, 0.400 → **0.250**; 0.250 | 0.50 |", table.Markdown);
        // lr is recorded only by the EMLP rows, so it labels them; the group is the same everywhere and labels nothing.
        Assert.Contains("| emlp + none, lr 0.001 |", table.Markdown);
        Assert.DoesNotContain("group", table.Markdown);
        Assert.DoesNotContain("| task |", table.Markdown);   // one task: no task column
        var row = table.Rows.OfType<JsonObject>().Single(r => r["configuration"]!.GetValue<string>() == "mlp + none" && r["train_size"]!.GetValue<int>() == 30);
        Assert.Equal([0, 1, 2, 3], row["seeds"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.Equal(25.0 / 3, row["mean"]!.GetValue<double>(), 12);
        Assert.Equal(25.0 / 3, row["median"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void BySize_WithoutSeeds_ShowsMeanAndStd_AndRatiosAtASize()
    {
        var table = RunTables.Write(StoredRun.Read([Experiment("a", seeds: 2)]), Options with { RatiosAt = 1000 });
        // mlp + none at 1000: 0.1, 0.2 → 0.150 ± 0.071
        Assert.Contains("| mlp + none | 5.00 ± 2.4 | 0.150 ± 0.071 |", table.Markdown);
        // At n = 1000 the EMLP (0.0015) is best; mlp + augment is 50× higher, mlp + none 100×.
        Assert.Contains("o5-invariant, n = 1000: the best is **emlp + none, lr 0.001** (mse 0.00150); mlp + augment 50.0× higher; mlp + none 100× higher.", table.Markdown);
        var error = Assert.Throws<InvalidDataException>(() => RunTables.Write(StoredRun.Read([Experiment("b", seeds: 1)]), Options with { RatiosAt = 500 }));
        Assert.Contains("30, 1000", error.Message);
    }

    [Fact]
    public void AcrossFolders_AFieldThatDiffers_LabelsTheRows_AndFiltersKeepWhatIsAsked()
    {
        var single = Experiment("single", seeds: 1);
        var ensembles = Experiment("ensembles", seeds: 1, ensemble: 5);
        var runs = StoredRun.Read([single, ensembles]);
        Assert.Equal(12, runs.Count);
        var table = RunTables.Write(runs, Options);
        Assert.Contains("| mlp + none, ensemble 5 |", table.Markdown);
        Assert.Contains("| mlp + none |", table.Markdown);
        // lr=1e-3 matches the stored 0.001 (numbers compare by value); several values separated by commas.
        Assert.Equal(4, RunTables.Where(runs, [("lr", ["1e-3"])]).Count);
        Assert.Equal(8, RunTables.Where(runs, [("model", ["mlp"]), ("train_size", ["30", "1000"])]).Count);
        Assert.Empty(RunTables.Where(runs, [("seed", ["7"])]));
        // The parent folder holds no runs.json: both experiments are found below it.
        Assert.Equal(12, StoredRun.Read([_dir]).Count);
    }

    [Fact]
    public void BySize_TwoRunsOfOneConfigurationSizeAndSeed_AreToldApartByEpochs_OrRefused()
    {
        var store = new ExperimentStore(Path.Combine(_dir, "epochs"));
        store.Add(Run("mlp", "none", 30, 0, 0.5, epochs: 100), 30);
        store.Add(Run("mlp", "none", 30, 0, 0.25, epochs: 300), 30);
        var table = RunTables.Write(StoredRun.Read([store.Directory]), Options);
        Assert.Contains("| mlp + none, epochs 100 | 0.500 |", table.Markdown);
        Assert.Contains("| mlp + none, epochs 300 | 0.250 |", table.Markdown);
        // The same run in two folders cannot be told apart: the error says how to choose.
        var copy = Path.Combine(_dir, "copy");
        Directory.CreateDirectory(copy);
        File.Copy(Path.Combine(store.Directory, "runs.json"), Path.Combine(copy, "runs.json"));
        var error = Assert.Throws<InvalidDataException>(() => RunTables.Write(StoredRun.Read([store.Directory, copy]), Options));
        Assert.Contains("--where", error.Message);
    }

    [Fact]
    public void TrainJsonLines_ByLength_AndByRun()
    {
        Directory.CreateDirectory(_dir);
        // What `train --json` leaves in a file: progress lines, then one JSON object.
        File.WriteAllText(Path.Combine(_dir, "deepsets.json"),
            "epoch 1/10\n{\"task\":\"digit-sum\",\"model\":\"deepsets\",\"strategy\":\"none\",\"train_size\":1000,\"epochs\":10,\"seed\":0,\"metric\":\"accuracy\"," +
            "\"test\":0.99,\"equivariance_error\":1e-8,\"params\":4929,\"train_seconds\":49.2,\"pooling\":\"sum\",\"test_by_length\":{\"5\":1,\"100\":0.98,\"10\":1}}\n");
        File.WriteAllText(Path.Combine(_dir, "lstm.json"),
            "{\"task\":\"digit-sum\",\"model\":\"lstm\",\"strategy\":\"augment\",\"train_size\":1000,\"epochs\":10,\"seed\":0,\"metric\":\"accuracy\"," +
            "\"test\":0.9927,\"equivariance_error\":7.6e-4,\"params\":19521,\"train_seconds\":194,\"test_by_length\":{\"5\":1,\"10\":0.836,\"100\":0}}\n");
        File.WriteAllText(Path.Combine(_dir, "mog.json"),
            "{\"task\":\"mog-clustering\",\"model\":\"set-transformer\",\"strategy\":\"none\",\"train_size\":4000,\"epochs\":20,\"seed\":0,\"metric\":\"log_likelihood\"," +
            "\"test\":-1.664,\"equivariance_error\":3.3e-7,\"params\":94725,\"train_seconds\":165,\"oracle_log_likelihood\":-1.447}\n");
        var runs = StoredRun.Read([_dir]);
        Assert.Equal(3, runs.Count);

        var byLength = RunTables.Write(runs, Options with { Layout = RunTableLayout.Length });
        var lines = byLength.Markdown.Split('\n');
        // Lengths in numeric order (5, 10, 100, not 10, 100, 5); the run without test_by_length is left out, and said so.
        Assert.Contains("| length | deepsets + none, pooling sum | lstm + augment |", byLength.Markdown);
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("| 10 |")) < Array.FindIndex(lines, l => l.StartsWith("| 100 |")));
        Assert.Contains("| 10 | 1.000 | 0.836 |", byLength.Markdown);
        Assert.Contains("1 runs without test_by_length left out", byLength.Markdown);
        Assert.Contains("| train seconds | 49 | 194 |", byLength.Markdown);

        var byRun = RunTables.Write(runs, Options with { Layout = RunTableLayout.Run, Fields = ["oracle_log_likelihood"] });
        Assert.Contains("| task | model | strategy | pooling | train size | epochs | metric | test | equivariance error | params | train s | oracle log likelihood |", byRun.Markdown);
        Assert.Contains("| mog-clustering | set-transformer | none |  | 4000 | 20 | log_likelihood | -1.66 | 3.3e-7 | 94725 | 165 | -1.447 |", byRun.Markdown);
        Assert.Equal(3, byRun.Rows.Count);
        Assert.Throws<InvalidDataException>(() => RunTables.Write(runs.Where(r => r.Result.Task == "mog-clustering").ToArray(), Options with { Layout = RunTableLayout.Length }));
    }

    [Fact]
    public void BadFiles_AreRefused_WithTheFileNamed()
    {
        Directory.CreateDirectory(_dir);
        Assert.Throws<FileNotFoundException>(() => StoredRun.Read([Path.Combine(_dir, "missing")]));
        Assert.Throws<InvalidDataException>(() => StoredRun.Read([_dir]));   // an empty folder holds no runs
        var broken = Path.Combine(_dir, "runs.json");
        File.WriteAllText(broken, "[{\"task\":\"x\",\"model\":\"m\"}]");
        var error = Assert.Throws<InvalidDataException>(() => StoredRun.Read([_dir]));
        Assert.Contains(broken, error.Message);
        Assert.Contains("strategy", error.Message);
        File.WriteAllText(broken, "[{\"task\":");
        Assert.Contains(broken, Assert.Throws<InvalidDataException>(() => StoredRun.Read([broken])).Message);
    }

    [Theory]
    [InlineData(0.000191234, 3, "1.91e-4")]
    [InlineData(0.0010, 3, "0.00100")]
    [InlineData(0.0326, 3, "0.0326")]
    [InlineData(9.996, 3, "10.0")]
    [InlineData(1234.5, 3, "1235")]
    [InlineData(-1.6642, 3, "-1.66")]
    [InlineData(0, 3, "0")]
    [InlineData(double.NaN, 3, "NaN")]
    [InlineData(4.45e-5, 2, "4.5e-5")]
    public void Significant_Digits(double value, int digits, string expected) =>
        Assert.Equal(expected, RunTables.Significant(value, digits));
}
