using Noether.Data;
using Noether.Equivariance;
using Noether.Nn.Common;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Training.Tasks;

/// <summary><c>ring-patterns</c>: the demo's C8-invariant classification of signals on a ring, with an MLP
/// trained plainly, with augmentation or symmetrized (group-averaged).</summary>
public sealed class RingPatternsTask : ITrainingTask
{
    /// <inheritdoc />
    public TaskInfo Info { get; } = new("ring-patterns",
        "4 classes of noisy signals on a ring of 8 sites, each rotated by a random multiple of 45°.",
        "C8 (cyclic shifts of the ring)", "accuracy", "generated from a seed",
        new[] { "mlp" }, new[] { "none", "augment", "symmetrize" }) { DefaultTrainSize = 256, DefaultEpochs = 10 };

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new RingData(Info);

    private sealed class RingData(TaskInfo info) : ITaskData
    {
        private readonly RingPatterns ring = new();
        private readonly LabeledSet test = new RingPatterns().Sample(2000, seed: 1_000_000);



        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            info.Require(options);
            int size = info.TrainSize(options);
            if (size < 1) throw new ArgumentException($"--train-size must be ≥ 1 (got {size}).", nameof(options));
            // The model is tiny: one libtorch thread is faster than several.
            TorchRuntime.PreferThreads(1);
            using var train = ring.Sample(size, seed: 1000 * options.Seed + size);
            using var probe = test.Inputs.narrow(0, 0, 256);
            var (result, model) = StrategyComparison.RunOne(ring, options.Strategy.Name, train, test, probe, new[] { 64, 64 }, info.Epochs(options), options.Seed,
                onEpoch: onEpoch, stateDirectory: options.StateDirectory, runKey: options.RunKey("ring-patterns"));
            return new TaskRun(result, model: model);
        }

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            if (model != "mlp") throw new ArgumentException($"Task ring-patterns has no model '{model}'; models: mlp.", nameof(model));
            using var scope = NewDisposeScope();
            var run = TaskRunOptions.ForCheck(model, options);
            info.Require(run);
            var plain = new Mlp(ring.Sites, new[] { 64, 64 }, ring.Classes);
            // symmetrize trains the MLP averaged over C8 (exact): the checkpoint holds the wrapped model.
            using var mlp = run.Strategy == Strategy.Symmetrize ? (nn.Module<Tensor, Tensor>)new Symmetrize.GroupAveraging(plain, ring.InputRepresentation) : plain;
            if (checkpoint is not null) Checkpoint.Load(mlp, checkpoint);
            mlp.eval();
            using var inputs = test.Inputs.narrow(0, 0, 256);
            var report = EquivarianceCheck.Invariance(x => nn.functional.softmax(mlp.forward(x), 1), new RepresentationAction(ring.InputRepresentation),
                inputs, samples: ring.Group.Order!.Value);
            return new ModelCheck(report.MeanRelativeError,
                new[] { new LayerError("mlp", mlp.GetType().Name, report.MeanRelativeError, report.MaxRelativeError) },
                "cyclic shifts of the ring (C8), class probabilities invariant");
        }

        public void Dispose() => test.Dispose();
    }
}
