using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

/// <summary>Loads the installed Fashion-MNIST (Debian package dataset-fashion-mnist) once for its test class.</summary>
public sealed class FashionMnistFixture : IDisposable
{
    public LabeledSet Train { get; } = FashionMnist.Load(FashionMnistSplit.Train);
    public LabeledSet Test { get; } = FashionMnist.Load(FashionMnistSplit.Test);

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

public sealed class FashionMnistTests(FashionMnistFixture data) : IClassFixture<FashionMnistFixture>
{
    [Fact]
    public void Load_HasTheStandardSizesShapesAndRange()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        foreach (var set in new[] { data.Train, data.Test })
        {
            Assert.Equal(new long[] { set.Count, 1, 28, 28 }, set.Inputs.shape);
            Assert.Equal(ScalarType.Float32, set.Inputs.dtype);
            Assert.Equal(ScalarType.Int64, set.Labels.dtype);
            Assert.Equal(0.0, set.Inputs.min().ToDouble());
            Assert.Equal(1.0, set.Inputs.max().ToDouble());
        }
    }

    [Fact]
    public void Labels_AreBalanced_6000PerClassInTrain_1000InTest()
    {
        // Fashion-MNIST is balanced by construction (Xiao et al. 2017, Table 1).
        using var scope = NewDisposeScope();
        Assert.Equal(Enumerable.Repeat(6000L, 10), data.Train.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(Enumerable.Repeat(1000L, 10), data.Test.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(10, FashionMnist.ClassNames.Count);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
    }

    [Fact]
    public void Load_MissingDirectory_SaysHowToInstall()
    {
        string directory = Path.Combine(Path.GetTempPath(), "noether-no-such-directory-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<DataSetNotFoundException>(() => FashionMnist.Load(FashionMnistSplit.Test, directory));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains(directory, e.Message);
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains("directory does not exist", e.Message);
        Assert.Equal(2, e.LookedFor.Count);
    }

    [Fact]
    public void Load_ReadsPlainFilesFromAnyDirectory_AndNamesTheMissingOne()
    {
        var dir = Directory.CreateTempSubdirectory("noether-fashion-");
        try
        {
            var pixels = Enumerable.Range(0, 3 * 28 * 28).Select(i => (byte)(i % 256)).ToArray();
            File.WriteAllBytes(Path.Combine(dir.FullName, "t10k-images-idx3-ubyte"), IdxFileTests.Idx(0x08, new[] { 3, 28, 28 }, pixels));
            var e = Assert.Throws<DataSetNotFoundException>(() => FashionMnist.Load(FashionMnistSplit.Test, dir.FullName));
            Assert.Equal(new[] { $"t10k-labels-idx1-ubyte[.gz] in {dir.FullName}" }, e.LookedFor);

            File.WriteAllBytes(Path.Combine(dir.FullName, "t10k-labels-idx1-ubyte.gz"),
                IdxFileTests.Gzip(IdxFileTests.Idx(0x08, new[] { 3 }, new byte[] { 7, 0, 9 })));
            using var set = FashionMnist.Load(FashionMnistSplit.Test, dir.FullName);
            Assert.Equal(new long[] { 7, 0, 9 }, set.Labels.data<long>().ToArray());
            Assert.Equal(255 / 255f, set.Inputs[0, 0, 9, 3].ToSingle()); // byte 28·9 + 3 = 255
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_RejectsDisagreeingCountsAndOutOfRangeLabels()
    {
        var dir = Directory.CreateTempSubdirectory("noether-fashion-");
        try
        {
            string images = Path.Combine(dir.FullName, "train-images-idx3-ubyte");
            string labels = Path.Combine(dir.FullName, "train-labels-idx1-ubyte");
            File.WriteAllBytes(images, IdxFileTests.Idx(0x08, new[] { 2, 28, 28 }, new byte[2 * 28 * 28]));
            File.WriteAllBytes(labels, IdxFileTests.Idx(0x08, new[] { 3 }, new byte[] { 1, 2, 3 }));
            var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(FashionMnistSplit.Train, dir.FullName));
            Assert.Contains("2 images", e.Message);
            Assert.Contains("3 labels", e.Message);

            File.WriteAllBytes(labels, IdxFileTests.Idx(0x08, new[] { 2 }, new byte[] { 1, 10 }));
            e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(FashionMnistSplit.Train, dir.FullName));
            Assert.Contains("label 10 at index 1", e.Message);

            // An empty set is refused when it is read, not after a run has trained on the other one.
            File.WriteAllBytes(images, IdxFileTests.Idx(0x08, new[] { 0, 28, 28 }, Array.Empty<byte>()));
            File.WriteAllBytes(labels, IdxFileTests.Idx(0x08, new[] { 0 }, Array.Empty<byte>()));
            e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(FashionMnistSplit.Train, dir.FullName));
            Assert.Contains("holds no images", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Rotation_KeepsTheIntensityInsideTheMask_WithinAFewPercent()
    {
        // Bilinear rotation conserves the total intensity only approximately (it blurs, and the output
        // mask trims what spills over the disc's rim). Measured on 2,000 images: mean 0.7 %, max 2.8 %.
        // Bounds: every image within 5 %, mean within 1.5 %.
        using var scope = NewDisposeScope();
        var images = data.Test.Inputs.narrow(0, 0, 500);
        var mask = ImageRotation.CircularMask(28, 28);
        var rotated = ImageRotation.Rotate(images, tensor(RotatedImageSet.Angles(500, seed: 3)), circularMask: true);
        var before = (images * mask).sum(new long[] { 1, 2, 3 });
        var relative = (rotated.sum(new long[] { 1, 2, 3 }) - before).abs() / before;
        Assert.True(relative.max().ToDouble() < 0.05, $"max relative change {relative.max().ToDouble()}");
        Assert.True(relative.mean().ToDouble() < 0.015, $"mean relative change {relative.mean().ToDouble()}");
    }

    [Fact]
    public void RotatedSet_IsDeterministicPerSeed_AndKeepsLabels()
    {
        using var scope = NewDisposeScope();
        using var subset = RotatedImageSet.Take(data.Train, 300, seed: 1);
        using var a = RotatedImageSet.Rotate(subset, seed: 7);
        using var b = RotatedImageSet.Rotate(subset, seed: 7);
        using var c = RotatedImageSet.Rotate(subset, seed: 8);
        Assert.Equal(0.0, (a.Inputs - b.Inputs).abs().max().ToDouble());
        Assert.True((a.Inputs - c.Inputs).abs().max().ToDouble() > 0.1);
        Assert.True(a.Labels.eq(subset.Labels).all().item<bool>());
        Assert.InRange(a.Inputs.min().ToDouble(), 0.0, 0.0);
        Assert.InRange(a.Inputs.max().ToDouble(), 0.5, 1.0 + 1e-6);
    }
}
