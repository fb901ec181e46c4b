using System.Globalization;
using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>Which symmetries a set of labelled images has: for each candidate (quarter turns C4, the half turn
/// C2, horizontal and vertical flips — all exact moves of the pixel grid), two small experiments decide
/// whether the <b>inputs</b> and the <b>labels</b> keep it.</summary>
/// <remarks>
/// <para><b>Inputs</b>: a discriminator (a small CNN) learns to tell task training images from transformed
/// ones (each transformed by a random non-identity element), on held-out images; accuracy near 0.5 means the
/// transformation maps the data distribution onto itself, near 1 that it does not (then the symmetry is
/// <c>absent</c>: rotated clothes do not occur among upright ones).</para>
/// <para><b>Labels</b>: on upright images, a small CNN trained with random elements of the candidate group as
/// augmentation is compared with one trained without: the accuracy ratio says how much forcing the symmetry
/// costs, and the class pairs whose confusion grows the most under augmentation are the labels the
/// transformation changes (6 ↔ 9 under the half turn of MNIST digits).</para>
/// <para>Verdict: absent when the discriminator accuracy d exceeds 0.75; exact when d &lt; 0.6, the augmented
/// classifier keeps ≥ 98.5% of the plain one's accuracy and no class pair merges (confusion up by ≥ 0.1);
/// approximate otherwise. Score: (1 − 2·|d − 0.5|) × the accuracy ratio (for absent ones, the first factor).
/// The recommendation follows the best-scoring symmetry that is present.</para>
/// </remarks>
public static class ImageDataSymmetry
{
    private const int Epochs = 4;

    /// <summary>A candidate: its name, the group in <c>noether groups</c> form, and its non-identity elements as functions.</summary>
    private sealed record Candidate(string Name, string Group, string Description, Func<Tensor, Tensor>[] Elements);

    private static readonly Candidate[] Candidates =
    {
        new("rotation-90", "C4", "rotations by multiples of 90°",
            new Func<Tensor, Tensor>[] { x => x.rot90(1, (2, 3)), x => x.rot90(2, (2, 3)), x => x.rot90(3, (2, 3)) }),
        new("rotation-180", "C2", "the rotation by 180°", new Func<Tensor, Tensor>[] { x => x.rot90(2, (2, 3)) }),
        new("flip-horizontal", "D1", "the mirror image left ↔ right", new Func<Tensor, Tensor>[] { x => x.flip(3) }),
        new("flip-vertical", "D1", "the mirror image top ↔ bottom", new Func<Tensor, Tensor>[] { x => x.flip(2) }),
    };

    /// <summary>Runs the diagnostic.</summary>
    /// <param name="task">the task name (for the report).</param>
    /// <param name="taskTrain">training images as the task gives them (rotated or upright): the discriminator's data.</param>
    /// <param name="upright">upright labelled images: the label experiments' data (split 2:1 into train and test).</param>
    /// <param name="classNames">a name per label.</param>
    /// <param name="seed">seed of the subsets, the models and the augmentation.</param>
    /// <param name="equivariantModels">what the recommendation names for a symmetry group, e.g. C4 → p4cnn.</param>
    /// <param name="labelTrain">upright images the label classifiers train on (at most).</param>
    /// <param name="discriminatorImages">task images the discriminator uses (at most; 3/4 train, 1/4 test).</param>
    public static DataSymmetryReport Run(string task, LabeledSet taskTrain, LabeledSet upright, IReadOnlyList<string> classNames, int seed,
        IReadOnlyDictionary<string, string> equivariantModels, int labelTrain = 2500, int discriminatorImages = 2000)
    {
        ArgumentNullException.ThrowIfNull(taskTrain);
        ArgumentNullException.ThrowIfNull(upright);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(equivariantModels);
        if (taskTrain.Count < 200 || upright.Count < 300)
            throw new ArgumentException($"The data diagnostic needs ≥ 200 task images and ≥ 300 upright ones; got {taskTrain.Count} and {upright.Count}.");
        int classes = classNames.Count;
        using var scope = NewDisposeScope();
        var rng = new Generator((ulong)seed);
        // Label experiments: upright images, 2/3 to train, 1/3 to test.
        var order = randperm(upright.Count, generator: rng);
        int nTrain = Math.Min(labelTrain, upright.Count * 2 / 3), nTest = Math.Min(labelTrain / 2, upright.Count - nTrain);
        var trainX = upright.Inputs.index_select(0, order.narrow(0, 0, nTrain));
        var trainY = upright.Labels.index_select(0, order.narrow(0, 0, nTrain));
        var testX = upright.Inputs.index_select(0, order.narrow(0, nTrain, nTest));
        var testY = upright.Labels.index_select(0, order.narrow(0, nTrain, nTest));
        var (plainAccuracy, plainConfusion) = TrainAndTest(trainX, trainY, testX, testY, classes, null, seed);
        // Discriminator data: task images, half of them transformed.
        var pick = randperm(taskTrain.Count, generator: rng).narrow(0, 0, Math.Min(discriminatorImages, taskTrain.Count));
        var images = taskTrain.Inputs.index_select(0, pick);

        var verdicts = new List<SymmetryVerdict>();
        foreach (var candidate in Candidates)
        {
            double d = DiscriminatorAccuracy(images, candidate, seed);
            var (augAccuracy, augConfusion) = TrainAndTest(trainX, trainY, testX, testY, classes, candidate, seed);
            double ratio = Math.Min(1, augAccuracy / Math.Max(plainAccuracy, 1e-9));
            var merged = MergedPairs(plainConfusion, augConfusion, classNames);
            double inputScore = Math.Max(0, 1 - 2 * Math.Abs(d - 0.5));
            string verdict = d > 0.75 ? "absent" : ratio >= 0.985 && merged.Count == 0 && d < 0.6 ? "exact" : "approximate";
            double score = verdict == "absent" ? inputScore : inputScore * ratio;
            var notes = $"{candidate.Description}: a discriminator tells transformed from original task images with accuracy {F(d)} " +
                        $"(0.5 = indistinguishable); a classifier trained with it as augmentation keeps {F(ratio)} of the plain accuracy " +
                        $"({F(augAccuracy)} vs {F(plainAccuracy)})" +
                        (merged.Count > 0 ? $"; labels it changes: {string.Join(", ", merged)}" : "") + ".";
            verdicts.Add(new SymmetryVerdict(candidate.Name, verdict, Math.Round(score, 4), notes, candidate.Group, Math.Round(d, 4)));
        }
        return new DataSymmetryReport(task, verdicts, Recommend(task, verdicts, equivariantModels));
    }

    private static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Recommend(string task, IReadOnlyList<SymmetryVerdict> verdicts, IReadOnlyDictionary<string, string> models)
    {
        var present = verdicts.Where(v => v.Verdict != "absent").OrderByDescending(v => v.Score).ToArray();
        if (present.Length == 0)
            return $"No candidate symmetry is present (each transformation changes the data): train a plain model, " +
                   $"`noether train --task {task} --model cnn --strategy none`.";
        var best = present[0];
        string Changed(SymmetryVerdict v) => v.Notes.Split("labels it changes: ").ElementAtOrDefault(1)?.TrimEnd('.') ?? "";
        // A rotation whose transformed task inputs cannot be told from the task's own is in the task's data: its inputs
        // already come in every orientation under one label, so the labels cannot depend on orientation and an invariant
        // model loses nothing, whatever the label experiments on upright images say.
        var inTask = present.Where(v => v.Name.StartsWith("rotation", StringComparison.Ordinal) && v.Discriminator is < 0.6)
            .OrderBy(v => v.Name == "rotation-90" ? 0 : 1).FirstOrDefault(); // the larger group first
        if (inTask is not null && !best.Name.StartsWith("rotation", StringComparison.Ordinal))
        {
            string group = inTask.Group ?? "C4";
            string model = models.TryGetValue(group, out var m) ? m : "an equivariant model";
            string changed = Changed(inTask);
            return $"Rotation ({inTask.Name}) is already in the task's inputs: a discriminator cannot tell rotated task images from the " +
                   $"task's own (accuracy {inTask.Discriminator!.Value.ToString("0.00", CultureInfo.InvariantCulture)}), so the labels cannot " +
                   $"depend on orientation: build it in — `noether train --task {task} --model {model}` (group {group})." +
                   (changed.Length > 0 ? $" On upright images rotation merges {changed}; the task's rotations already do." : "") +
                   $" {best.Name} ({best.Verdict}) scores higher on upright images and can be added as augmentation.";
        }
        if (best.Name.StartsWith("rotation", StringComparison.Ordinal))
        {
            var flip = present.FirstOrDefault(v => v.Name == "flip-horizontal" && v.Verdict == "exact");
            string group = flip is not null && models.ContainsKey("D4") ? "D4" : "C4";
            string model = models.TryGetValue(group, out var m) ? m : "an equivariant model";
            var rotations = present.Where(v => v.Name.StartsWith("rotation", StringComparison.Ordinal)).ToArray();
            var changed = rotations.Select(Changed).Where(c => c.Length > 0).ToArray();
            string caveat = rotations.All(v => v.Verdict == "exact") ? ""
                : $" The symmetry is approximate{(changed.Length > 0 ? $" — labels that rotation changes: {string.Join("; ", changed)}" : "")}: " +
                  "an invariant model cannot tell those classes apart by orientation; if they matter, compare with `--strategy augment` on a plain model.";
            return $"Rotation ({best.Name}, {best.Verdict}, score {best.Score.ToString("0.00", CultureInfo.InvariantCulture)}) is the strongest symmetry of the data: " +
                   $"build it in — `noether train --task {task} --model {model}` (group {group}).{caveat}";
        }
        return $"Mirror symmetry ({best.Name}, {best.Verdict}) is the strongest symmetry present, not rotation: a rotation-equivariant model " +
               $"would force a symmetry the data lacks; train `noether train --task {task} --model cnn` and augment with flips (group {best.Group}).";
    }

    private static List<string> MergedPairs(double[,] plain, double[,] augmented, IReadOnlyList<string> names)
    {
        int k = names.Count;
        var pairs = new List<(double Gain, string Text)>();
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++)
            {
                // Confusion rate both ways: P(predict b | a) + P(predict a | b), increase under augmentation.
                double gain = (augmented[a, b] + augmented[b, a]) - (plain[a, b] + plain[b, a]);
                if (gain >= 0.1) pairs.Add((gain, $"{names[a]} ↔ {names[b]} (confusion +{F(gain)})"));
            }
        return pairs.OrderByDescending(p => p.Gain).Select(p => p.Text).ToList();
    }

    private static double DiscriminatorAccuracy(Tensor images, Candidate candidate, int seed)
    {
        using var scope = NewDisposeScope();
        var rng = new Generator((ulong)(seed + 17));
        long n = images.shape[0];
        var flags = randint(2, new long[] { n }, generator: rng);
        var which = randint(candidate.Elements.Length, new long[] { n }, generator: rng);
        var moved = images.clone();
        for (int e = 0; e < candidate.Elements.Length; e++)
        {
            var mask = (flags == 1) & (which == e);
            var index = mask.nonzero().flatten();
            if (index.numel() > 0) moved.index_copy_(0, index, candidate.Elements[e](images.index_select(0, index)));
        }
        long nTrain = n * 3 / 4;
        var (accuracy, _) = TrainAndTest(moved.narrow(0, 0, nTrain), flags.narrow(0, 0, nTrain), moved.narrow(0, nTrain, n - nTrain),
            flags.narrow(0, nTrain, n - nTrain), 2, null, seed + 1);
        return accuracy;
    }

    private static (double Accuracy, double[,] Confusion) TrainAndTest(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, int classes,
        Candidate? augmentation, int seed)
    {
        Runtime.TorchRuntime.Seed(seed);
        using var model = Sequential(
            ("conv0", Conv2d(1, 16, 5)), ("relu0", ReLU()), ("pool0", MaxPool2d(2)),
            ("conv1", Conv2d(16, 32, 5)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("flatten", Flatten()), ("linear", Linear(32 * 4 * 4, classes)));
        // Adam at 2·10⁻³, batches of 64, a few epochs.
        // With a candidate: each image goes through the identity or one of the candidate's elements, uniformly.
        new Trainer(new TrainerOptions(Epochs, 64, 2e-3, seed + 5) { Strategy = augmentation is null ? Strategy.None : Strategy.Augment })
            .Fit(model, (int)trainX.shape[0], index => (X: trainX.index_select(0, index), Y: trainY.index_select(0, index)),
                (batch, _) => functional.cross_entropy(model.forward(batch.X), batch.Y),
                augmentation is null ? null : Symmetrize.Augmentations.OneOf(augmentation.Name, augmentation.Elements));
        model.eval();
        using var noGrad = no_grad();
        using var predictionScope = NewDisposeScope();
        var predicted = model.forward(testX).argmax(1).data<long>().ToArray();
        var truth = testY.to_type(ScalarType.Int64).data<long>().ToArray();
        var counts = new double[classes, classes];
        var totals = new double[classes];
        for (int i = 0; i < truth.Length; i++)
        {
            counts[truth[i], predicted[i]]++;
            totals[truth[i]]++;
        }
        for (int a = 0; a < classes; a++)
            for (int b = 0; b < classes; b++)
                counts[a, b] /= Math.Max(1, totals[a]);
        double accuracy = truth.Where((t, i) => t == predicted[i]).Count() / (double)truth.Length;
        return (accuracy, counts);
    }
}
