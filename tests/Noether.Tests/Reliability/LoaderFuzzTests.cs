using System.IO.Compression;
using System.Text;
using Noether.Data;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Reliability;

/// <summary>The loaders of files a user keeps (IDX images, the mnist package's JSON, experiment runs.json, run files for
/// <c>report</c>, checkpoints), fed mutated copies of valid files: each gives a value or an
/// <see cref="InvalidDataException"/> naming the file, within the harness's time and memory limits.</summary>
public sealed class LoaderFuzzTests
{
    private static byte[] Idx(int count, int rows, int cols, bool gzip)
    {
        using var raw = new MemoryStream();
        raw.Write(new byte[] { 0, 0, 0x08, 3 });
        foreach (int d in new[] { count, rows, cols })
            raw.Write(new[] { (byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d });
        for (int i = 0; i < count * rows * cols; i++) raw.WriteByte((byte)(i * 37));
        if (!gzip) return raw.ToArray();
        using var packed = new MemoryStream();
        using (var z = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw.ToArray());
        return packed.ToArray();
    }

    [Fact]
    public void IdxFiles_GiveImagesOrAnInvalidDataException()
    {
        var valid = new[] { Idx(3, 4, 4, gzip: false), Idx(2, 5, 3, gzip: true), new byte[] { 0, 0, 8, 1, 0, 0, 0, 2, 7, 9 } };
        var report = Fuzz.Run("IdxFile (bytes)", Fuzz.Bytes(valid), b => IdxFile.Parse(b, "fuzz.idx"), Fuzz.Show, typeof(InvalidDataException));
        Assert.True(report.Values > 0 && report.Exceptions.ContainsKey(nameof(InvalidDataException)), report.Summary());
    }

    [Fact]
    public void MnistDigitFiles_GiveImagesOrAnInvalidDataException()
    {
        string Digits(int images, string extra = "") =>
            "{" + extra + "\"data\":[" + string.Join(",", Enumerable.Range(0, images * 784).Select(i => (i % 7 == 0 ? "0.5" : "0"))) + "]}";
        var valid = new[] { Digits(1), Digits(2, "\"name\":\"x\",") , "/* c */" + Digits(1) }.Select(Encoding.UTF8.GetBytes).ToArray();
        var report = Fuzz.Run("mnist digit JSON", Fuzz.Bytes(valid), b => Mnist.ReadDigitJson(b, "7.json", new List<float>()), Fuzz.Show,
            typeof(InvalidDataException));
        Assert.True(report.Values > 0, report.Summary());
    }

    private static string RunsJson()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"noether-fuzz-{Guid.NewGuid():N}");
        try
        {
            var store = new ExperimentStore(folder);
            store.Add(new RunResult("ring-patterns", "mlp", "none", 16, 2, 0, "accuracy", 0.5, 0.01, 100, 1.5), 16,
                new Dictionary<string, string> { ["lr"] = "0.01" });
            store.Add(new RunResult("ring-patterns", "cnn", "augment", 32, 2, 1, "accuracy", 0.75, double.NaN, 200, 2.5), 32);
            return File.ReadAllText(Path.Combine(folder, "runs.json"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ExperimentFiles_GiveRunsOrAnInvalidDataException()
    {
        var valid = new[] { Encoding.UTF8.GetBytes(RunsJson()), "[]"u8.ToArray() };
        var folder = Path.Combine(Path.GetTempPath(), $"noether-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, "runs.json");
            var report = Fuzz.Run("runs.json (ExperimentStore)", Fuzz.Bytes(valid), b =>
                {
                    File.WriteAllBytes(file, b);
                    _ = new ExperimentStore(folder);
                }, Fuzz.Show, typeof(InvalidDataException));
            Assert.True(report.Values > 0 && report.Exceptions.ContainsKey(nameof(InvalidDataException)), report.Summary());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RunFilesForReports_GiveRunsOrAnInvalidDataException()
    {
        const string line = "{\"task\":\"ring-patterns\",\"model\":\"mlp\",\"strategy\":\"none\",\"train_size\":16,\"epochs\":2,\"seed\":0,\"metric\":\"accuracy\",\"test\":0.5,\"params\":10,\"train_seconds\":1.0}";
        var valid = new[] { RunsJson(), "epoch 1\n" + line + "\n", line }.Select(Encoding.UTF8.GetBytes).ToArray();
        var report = Fuzz.Run("run files (StoredRun)", Fuzz.Bytes(valid), b => StoredRun.ReadText(Encoding.UTF8.GetString(b), "runs.json"), Fuzz.Show,
            typeof(InvalidDataException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void Checkpoints_LoadOrGiveAnInvalidDataException_AndAFailedLoadLeavesTheProcessUsable()
    {
        using var model = FuzzModels.SmallMlp();
        var path = Path.Combine(Path.GetTempPath(), $"noether-fuzz-{Guid.NewGuid():N}.bin");
        try
        {
            Checkpoint.Save(model, path);
            var current = File.ReadAllBytes(path);
            using var legacy = new MemoryStream();
            model.save(legacy);
            var valid = new[] { current, legacy.ToArray() };
            var report = Fuzz.Run("Checkpoint.Load", Fuzz.Bytes(valid), b =>
                {
                    using var scope = NewDisposeScope();
                    Checkpoint.Load(model, b, "model.bin");
                }, Fuzz.Show, typeof(InvalidDataException));
            Assert.True(report.Values > 0 && report.Exceptions.ContainsKey(nameof(InvalidDataException)), report.Summary());
            // After thousands of refused files the model still loads a good one and computes.
            Checkpoint.Load(model, current, "model.bin");
            using var scope = NewDisposeScope();
            Assert.Equal(new long[] { 2, 3 }, model.forward(ones(2, 4)).shape);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

file static class FuzzModels
{
    /// <summary>A small seeded model whose checkpoints are fuzzed.</summary>
    public static nn.Module<Tensor, Tensor> SmallMlp() =>
        Noether.Runtime.TorchRuntime.WithSeed(3, () => (nn.Module<Tensor, Tensor>)nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3)));
}
