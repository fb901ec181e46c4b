using Noether.Nn.Common;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void SaveThenLoad_RestoresTheWeights()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"noether-ckpt-{Guid.NewGuid():N}", "model.bin");
        var a = new Mlp(4, new[] { 8 }, 2);
        Checkpoint.Save(a, path);
        var b = new Mlp(4, new[] { 8 }, 2);
        Checkpoint.Load(b, path);
        var x = randn(3, 4);
        Assert.Equal(0.0, (a.forward(x) - b.forward(x)).abs().max().ToDouble());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temporary file left behind
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void CorruptOrMissingCheckpoint_GivesAClearError()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"noether-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.bin");
        var model = new Mlp(4, new[] { 8 }, 2);
        Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(model, path));
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, path));
        Assert.Contains("not a valid checkpoint", e.Message);
        Checkpoint.Save(new Mlp(4, new[] { 16 }, 2), path); // another architecture
        Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, path));
        Directory.Delete(dir, recursive: true);
    }
}
