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

    [Fact]
    public void TamperedTruncatedForeignOrNewerCheckpoints_AreRefused_AndTheFormatBeforeStillLoads()
    {
        using var scope = NewDisposeScope();
        var dir = Path.Combine(Path.GetTempPath(), $"noether-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "model.bin");
        var model = new Mlp(64, new[] { 64 }, 8);
        Checkpoint.Save(model, path);
        var good = File.ReadAllBytes(path);

        // 1,000 bytes flipped in the weights (the end of the file): the checksum catches it before any weight is read.
        var flipped = (byte[])good.Clone();
        for (int i = flipped.Length - 1000; i < flipped.Length; i++) flipped[i] ^= 0x5A;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("SHA-256", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new Mlp(64, new[] { 64 }, 8), path)).Message);
        // One flipped byte is enough.
        var one = (byte[])good.Clone();
        one[^7] ^= 1;
        File.WriteAllBytes(path, one);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new Mlp(64, new[] { 64 }, 8), path)).Message);
        // Truncated.
        File.WriteAllBytes(path, good[..(good.Length - 10)]);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new Mlp(64, new[] { 64 }, 8), path)).Message);
        File.WriteAllBytes(path, good[..12]);
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new Mlp(64, new[] { 64 }, 8), path)).Message);
        // Written by a newer format.
        var newer = (byte[])good.Clone();
        BitConverter.GetBytes(Checkpoint.FormatVersion + 1).CopyTo(newer, 8);
        File.WriteAllBytes(path, newer);
        Assert.Contains("Update Noether", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(new Mlp(64, new[] { 64 }, 8), path)).Message);
        // Another module type.
        File.WriteAllBytes(path, good);
        using var other = new ElementwiseMlp(64, new[] { 64 }, 8);
        Assert.Contains("not of a ElementwiseMlp", Assert.Throws<InvalidDataException>(() => Checkpoint.Load(other, path)).Message);

        // A checkpoint of the format before (TorchSharp's own file, no header) still loads, with the same weights.
        var legacy = Path.Combine(dir, "legacy.bin");
        model.save(legacy);
        var loaded = new Mlp(64, new[] { 64 }, 8);
        Checkpoint.Load(loaded, legacy);
        var x = randn(3, 64);
        Assert.Equal(0.0, (model.forward(x) - loaded.forward(x)).abs().max().ToDouble());
        Directory.Delete(dir, recursive: true);
    }
}
