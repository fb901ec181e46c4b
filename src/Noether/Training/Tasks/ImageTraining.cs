using Noether.Symmetrize;
using Noether.Data;
using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>Options of one image-classification run (<c>noether train</c> on a rotated image task).</summary>
/// <param name="Task"><c>rotated-fashion-mnist</c> or <c>rotated-mnist</c>.</param>
/// <param name="Model">an <see cref="ImageModels"/> name.</param>
/// <param name="Strategy"><c>none</c>, <c>augment</c> (a random rotation of every training image at every step) or
/// <c>symmetrize</c> (the model averaged over the quarter turns of its input, in training and at test).</param>
/// <param name="TrainSize">training images (null: all).</param>
/// <param name="Epochs">epochs (≥ 1).</param>
/// <param name="Seed">seed of the subset, the rotations, the weights and the shuffling.</param>
/// <param name="RandomTrainRotation">whether the training images are rotated (each by its own seeded angle).</param>
/// <param name="DataDirectory">where the data set is, or null for its default place.</param>
/// <param name="BatchSize">mini-batch size.</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="StateDirectory">where the trainer keeps the run's state so it can resume (<see cref="TrainerOptions.StateDirectory"/>), or null.</param>
public sealed record ImageRunOptions(string Task, string Model, string Strategy = "none", int? TrainSize = null, int Epochs = 10,
    int Seed = 0, bool RandomTrainRotation = true, string? DataDirectory = null, int BatchSize = 64, double LearningRate = 2e-3,
    string? StateDirectory = null);

/// <summary>Trains and evaluates an image classifier on a rotated image task: test accuracy on the
/// uniformly rotated test set and the invariance error of the trained model.</summary>
/// <remarks>
/// The invariance error is <see cref="EquivarianceCheck"/>'s mean relative error of the predicted class
/// probabilities under the rotations by multiples of 90° (which move pixels exactly), on 256 test images;
/// <c>EquivarianceError45</c> is the same under the odd multiples of 45° (interpolated, so never exactly 0).
/// </remarks>
public static class ImageTraining
{
    /// <summary>The test set's rotations use this seed, so every run is tested on the same images.</summary>
    public const int TestRotationSeed = 20231;

    /// <summary>The outcome of one run.</summary>
    /// <param name="Result">the DESIGN.md train fields.</param>
    /// <param name="EquivarianceError45">invariance error under the odd multiples of 45°.</param>
    /// <param name="Model">the trained model (owned by the caller).</param>
    /// <param name="History">per epoch: loss and the 90° invariance error on 32 test images (the training-time metric).</param>
    public sealed record Outcome(RunResult Result, double EquivarianceError45, Module<Tensor, Tensor> Model, IReadOnlyList<EpochMetrics> History);

    /// <summary>Loads the task's data: (train, test), train subset and rotation applied.</summary>
    public static (LabeledSet Train, LabeledSet Test) Load(ImageRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (fullTrain, test) = LoadSource(options.Task, options.DataDirectory);
        using (fullTrain)
        {
            try
            {
                return (PrepareTrain(fullTrain, options), test);
            }
            catch
            {
                test.Dispose();
                throw;
            }
        }
    }

    /// <summary>The task's whole training set (upright) and its test set rotated uniformly with
    /// <see cref="TestRotationSeed"/> — the same for every run, so a sweep loads and rotates it once.</summary>
    public static (LabeledSet FullTrain, LabeledSet Test) LoadSource(string task, string? dataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        LabeledSet fullTrain, fullTest;
        switch (task)
        {
            case "rotated-fashion-mnist":
                fullTrain = FashionMnist.Load(FashionMnistSplit.Train, dataDirectory);
                fullTest = FashionMnist.Load(FashionMnistSplit.Test, dataDirectory);
                break;
            case "rotated-mnist":
                using (var all = Mnist.Load(dataDirectory))
                    (fullTrain, fullTest) = Mnist.Split(all, 2000, seed: 0);
                break;
            default:
                throw new ArgumentException($"'{task}' is not an image task; image tasks: rotated-fashion-mnist, rotated-mnist.", nameof(task));
        }
        using (fullTest)
            return (fullTrain, RotatedImageSet.Rotate(fullTest, seed: TestRotationSeed, circularMask: true, rotate: true));
    }

    /// <summary>The training set of one run: a seeded subset of <paramref name="fullTrain"/>, each image
    /// rotated by its own seeded angle (or only masked, with <c>RandomTrainRotation</c> off).</summary>
    public static LabeledSet PrepareTrain(LabeledSet fullTrain, ImageRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(fullTrain);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TrainSize is int n && (n < 1 || n > fullTrain.Count))
            throw new ArgumentException($"--train-size must be between 1 and {fullTrain.Count} for {options.Task}; got {n}.", nameof(options));
        using var subset = RotatedImageSet.Take(fullTrain, options.TrainSize ?? fullTrain.Count, options.Seed);
        return RotatedImageSet.Rotate(subset, seed: options.Seed + 1, circularMask: true, rotate: options.RandomTrainRotation);
    }

    /// <summary>Runs training and evaluation.</summary>
    /// <param name="options">what to run.</param>
    /// <param name="train">the training set (from <see cref="Load"/>).</param>
    /// <param name="test">the test set.</param>
    /// <param name="onEpoch">called after each epoch with the loss and the invariance error under quarter turns on 32 test images.</param>
    public static Outcome Run(ImageRunOptions options, LabeledSet train, LabeledSet test, Action<EpochMetrics>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (options.Strategy is not ("none" or "augment" or "symmetrize"))
            throw new ArgumentException($"Strategy '{options.Strategy}' is not available for image tasks; use none, augment or symmetrize.", nameof(options));
        var classes = 10;
        var model = ImageModels.Create(options.Model, classes, options.Seed);
        if (options.Strategy == "symmetrize") model = Symmetrized(model);
        using var monitorProbe = test.Inputs.narrow(0, 0, Math.Min(32, test.Count));
        var quarterSpace = GSpace2D.Rotations(4);
        var trainer = new Trainer(new TrainerOptions(options.Epochs, options.BatchSize, options.LearningRate, options.Seed)
        {
            StateDirectory = options.StateDirectory,
            RunKey = $"{options.Task}|{options.Model}|{options.Strategy}|{train.Count}|{options.Seed}|{options.RandomTrainRotation}",
            Strategy = options.Strategy,
        });
        var outcome = trainer.Fit(model, train.Count, index => (Images: train.Inputs.index_select(0, index), Labels: train.Labels.index_select(0, index)),
            (batch, _) => functional.cross_entropy(model.forward(batch.Images), batch.Labels), Augmentations.ImageRotations, new TrainingHooks
        {
            // The training-time metric: the quarter-turn invariance error on a fixed probe.
            EquivarianceError = _ => EquivarianceCheck.Invariance(x => functional.softmax(model.forward(x), 1), new FieldAction(quarterSpace.Trivial(1)),
                monitorProbe, samples: 4).MeanRelativeError,
            OnEpoch = onEpoch,
        });
        double accuracy = Metrics.Accuracy(model, test, batchSize: 256);
        var probe = test.Inputs.narrow(0, 0, Math.Min(256, test.Count));
        var space = GSpace2D.Rotations(8);
        var action = new FieldAction(space.Trivial(1));
        var c8 = (CyclicGroup)space.Group;
        double Error(IEnumerable<int> steps) => EquivarianceCheck.Run(x => functional.softmax(model.forward(x), 1), action,
            new TrivialAction(space.Group), probe, steps.Select(k => (GroupElement)c8.Rotation(k)).ToArray()).MeanRelativeError;
        double lattice = Error(new[] { 0, 2, 4, 6 });
        double diagonal = Error(new[] { 1, 3, 5, 7 });
        var result = new RunResult(options.Task, options.Model, options.Strategy, train.Count, options.Epochs, options.Seed, "accuracy",
            accuracy, lattice, outcome.Parameters, outcome.TrainSeconds);
        return new Outcome(result, diagonal, model, outcome.History);
    }

    /// <summary>The model averaged over the four quarter turns of its input (C4, exact pixel moves): its
    /// logits are exactly invariant to rotations by multiples of 90°, at four times the cost.</summary>
    public static Module<Tensor, Tensor> Symmetrized(Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var space = GSpace2D.Rotations(4);
        return new Symmetrize.ActionAveraging(model, new FieldAction(space.Trivial(1)), space.Group.Elements);
    }
}
