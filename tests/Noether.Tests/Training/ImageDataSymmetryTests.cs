using Noether.Data;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

public class ImageDataSymmetryTests
{
    private static readonly Dictionary<string, string> Models = new() { ["C4"] = "p4cnn", ["D4"] = "d8" };

    private static LabeledSet Labelled(Tensor images, Tensor labels) => new(images, labels);

    /// <summary>900 noisy images with a bright horizontal stripe near the top; the label is the stripe's brightness.</summary>
    private static (Tensor Images, Tensor Labels) Stripes(Generator g)
    {
        var images = rand(new long[] { 900, 1, 28, 28 }, generator: g) * 0.3;
        var labels = randint(2, new long[] { 900 }, generator: g);
        images[.., .., 3..7, ..] += (0.5 + 0.5 * labels.to_type(ScalarType.Float32)).view(-1, 1, 1, 1);
        return (images, labels);
    }

    [Fact]
    public void ImagesSymmetricUnderD4_WithInvariantLabels_AreExactForEveryCandidate()
    {
        // Every image is averaged over the 8 elements of D4, so each candidate maps it to itself; the label
        // (dim or bright) does not change either: all four symmetries must come out exact.
        using var scope = NewDisposeScope();
        var g = new Generator(1);
        var x = rand(new long[] { 900, 1, 28, 28 }, generator: g);
        var all = new[] { x, x.rot90(1, (2, 3)), x.rot90(2, (2, 3)), x.rot90(3, (2, 3)) };
        var symmetric = stack(all.Concat(all.Select(v => v.flip(3))).ToArray()).mean(new long[] { 0 });
        var labels = randint(2, new long[] { 900 }, generator: g);
        var images = symmetric * (0.2 + 0.8 * labels.to_type(ScalarType.Float32)).view(-1, 1, 1, 1);
        using var set = Labelled(images, labels);
        var report = ImageDataSymmetry.Run("synthetic", set, set, new[] { "dim", "bright" }, seed: 0, Models, labelTrain: 600, discriminatorImages: 800);
        Assert.All(report.Symmetries, s => Assert.True(s.Verdict == "exact", $"{s.Name}: {s.Verdict} — {s.Notes}"));
        Assert.Contains("--model d8", report.Recommendation);
    }

    [Fact]
    public void ImagesWithAStripeAtTheTop_HaveMirrorSymmetry_ButNoRotation()
    {
        // A bright horizontal stripe near the top: a quarter or half turn, or a top-bottom flip, moves it where it
        // never is (absent); the left-right mirror keeps the picture's distribution and labels.
        using var scope = NewDisposeScope();
        var (images, labels) = Stripes(new Generator(2));
        using var set = Labelled(images, labels);
        var report = ImageDataSymmetry.Run("stripes", set, set, new[] { "faint", "strong" }, seed: 0, Models, labelTrain: 600, discriminatorImages: 800);
        var verdicts = report.Symmetries.ToDictionary(s => s.Name, s => s.Verdict);
        Assert.Equal("absent", verdicts["rotation-90"]);
        Assert.Equal("absent", verdicts["rotation-180"]);
        Assert.Equal("absent", verdicts["flip-vertical"]);
        Assert.NotEqual("absent", verdicts["flip-horizontal"]);
        Assert.Contains("Mirror symmetry", report.Recommendation);
        Assert.Equal("D1", report.Symmetries.First(s => s.Name == "flip-horizontal").Group);
    }

    [Fact]
    public void RotationAlreadyInTheTasksInputs_IsRecommended_EvenWhereUprightLabelsPreferAFlip()
    {
        // The stripe images again as the upright, labelled data (rotation absent there), but the task's own inputs are
        // the same images turned by random quarter turns: a rotated task image cannot be told from the task's own, so
        // its labels cannot depend on orientation, and the recommendation builds the rotation in (C4 → p4cnn).
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var (images, labels) = Stripes(g);
        var turns = randint(4, new long[] { 900 }, generator: g).data<long>().ToArray();
        var rotated = cat(Enumerable.Range(0, 900).Select(i => images.narrow(0, i, 1).rot90(turns[i], (2, 3))).ToArray(), 0);
        using var upright = Labelled(images, labels);
        using var task = Labelled(rotated, labels);
        var report = ImageDataSymmetry.Run("turned-stripes", task, upright, new[] { "faint", "strong" }, seed: 0, Models, labelTrain: 600, discriminatorImages: 800);
        var rotation = report.Symmetries.First(s => s.Name == "rotation-90");
        Assert.True(rotation.Discriminator < 0.6, rotation.ToString());
        Assert.Contains("--model p4cnn", report.Recommendation);
        Assert.Contains("already in the task's inputs", report.Recommendation);
        // The discriminator accuracy travels through the saved JSON.
        Assert.Equal(rotation.Discriminator, DataSymmetryReport.FromJson(report.ToJson()).Symmetries.First(s => s.Name == "rotation-90").Discriminator);
    }
}
