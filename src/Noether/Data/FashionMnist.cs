using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 70,000 grayscale 28×28 images of clothing
/// in 10 classes, read from the IDX files of the Debian package <c>dataset-fashion-mnist</c> or any
/// directory that holds them.</summary>
/// <remarks>
/// Files (plain or gzip-compressed, detected from the content): <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>,
/// each optionally with <c>.gz</c>. The Debian package ships the four <c>.gz</c> files in
/// <see cref="DefaultDirectory"/>. Nothing is ever downloaded.
/// Shapes: inputs (count, 1, 28, 28) float32 in [0, 1] (byte / 255), labels (count,) int64 in 0..9.
/// </remarks>
/// <example><code>using var train = FashionMnist.Load(FashionMnistSplit.Train);   // 60,000 images</code></example>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist/";

    /// <summary>The side of the square images, in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>The command that installs the data on Debian and Ubuntu.</summary>
    public const string InstallCommand = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>The class names, indexed by label (the data set's own naming).</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    });

    /// <summary>Loads one split.</summary>
    /// <param name="split">training (60,000) or test (10,000) images.</param>
    /// <param name="directory">the directory holding the IDX files; null for <see cref="DefaultDirectory"/>.</param>
    /// <returns>a new set the caller owns: inputs (count, 1, 28, 28) float32 in [0, 1], labels (count,) int64.</returns>
    /// <exception cref="DataSetNotFoundException">the directory or a file is missing; the message says how to install.</exception>
    /// <exception cref="InvalidDataException">a file is corrupt, the images are not 28×28, the counts of images
    /// and labels differ, or a label is outside 0..9.</exception>
    public static LabeledSet Load(FashionMnistSplit split, string? directory = null)
    {
        string dir = directory ?? DefaultDirectory;
        string prefix = split switch
        {
            FashionMnistSplit.Train => "train",
            FashionMnistSplit.Test => "t10k",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "Expected Train or Test."),
        };
        string[] names = { $"{prefix}-images-idx3-ubyte", $"{prefix}-labels-idx1-ubyte" };
        var paths = names.Select(name => Find(dir, name)).ToArray();
        if (paths.Any(p => p is null))
        {
            string where = Directory.Exists(dir) ? dir : $"{dir} (directory does not exist)";
            var missing = names.Where((_, i) => paths[i] is null).Select(n => $"{n}[.gz] in {where}").ToArray();
            throw new DataSetNotFoundException($"Fashion-MNIST ({split.ToString().ToLowerInvariant()})", missing,
                $"Install it with `{InstallCommand}` (Debian/Ubuntu; it installs to {DefaultDirectory}), " +
                "or pass the directory that holds these IDX files.");
        }

        var images = IdxFile.Read(paths[0]!);
        var labels = IdxFile.Read(paths[1]!);
        if (images.Dimensions.Count != 3 || images.Dimensions[1] != ImageSize || images.Dimensions[2] != ImageSize)
            throw new InvalidDataException(
                $"'{images.Path}': expected images of dimensions [count, {ImageSize}, {ImageSize}], got [{string.Join(", ", images.Dimensions)}].");
        if (labels.Dimensions.Count != 1)
            throw new InvalidDataException(
                $"'{labels.Path}': expected labels of dimensions [count], got [{string.Join(", ", labels.Dimensions)}].");
        int count = images.Dimensions[0];
        if (count == 0)
            throw new InvalidDataException($"'{images.Path}' holds no images: a {split.ToString().ToLowerInvariant()} set needs at least one.");
        if (labels.Dimensions[0] != count)
            throw new InvalidDataException(
                $"'{images.Path}' holds {count} images but '{labels.Path}' holds {labels.Dimensions[0]} labels: expected equal counts.");
        int bad = Array.FindIndex(labels.Data, b => b >= ClassCount);
        if (bad >= 0)
            throw new InvalidDataException(
                $"'{labels.Path}': label {labels.Data[bad]} at index {bad}: expected labels in 0..{ClassCount - 1}.");

        using var scope = NewDisposeScope();
        var inputs = tensor(images.Data, new long[] { count, 1, ImageSize, ImageSize }).to_type(ScalarType.Float32).div_(255f);
        var targets = tensor(labels.Data, new long[] { count }).to_type(ScalarType.Int64);
        return new LabeledSet(inputs, targets);
    }

    /// <summary>The plain file if present, else the <c>.gz</c> one, else null.</summary>
    private static string? Find(string directory, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
