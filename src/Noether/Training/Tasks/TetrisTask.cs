using System.Diagnostics;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Nn.Points;
using Noether.Representations;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary><c>tetris</c>: classify the 8 3D tetrominoes (a mirror pair among them) after random rotations, having
/// seen each shape once in one orientation; models <c>tensor-field</c> (O(3)-equivariant, with a pseudoscalar output
/// for the mirror pair) and <c>mlp</c>, strategies none and augment (random rotations, never reflections).</summary>
public sealed class TetrisTask : ITrainingTask
{
    private static readonly string[] ModelNames = { "tensor-field", "mlp" };

    /// <inheritdoc />
    public TaskInfo Info { get; } = new("tetris",
        "8 tetrominoes of 4 voxels (two are mirror images); train on one orientation per shape, test on 800 random rotations.",
        "O(3): labels invariant under rotations; a reflection swaps the two chiral shapes", "accuracy", "generated from a seed",
        ModelNames, new[] { Strategy.None, Strategy.Augment, Strategy.Symmetrize }.Select(s => s.Name).ToArray()) { DefaultTrainSize = 8, DefaultEpochs = 100 };

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new TetrisData(Info);

    /// <summary>How O(3) acts on the logits: rotations leave them, reflections swap the chiral pair (classes 0 and 1).</summary>
    private static FunctionAction LogitsAction { get; } = new(Group.O3,
        (g, y) => ((OrthogonalElement)g).Determinant < 0 ? y.index_select(1, torch.tensor(new long[] { 1, 0, 2, 3, 4, 5, 6, 7 }, device: y.device)) : y.clone(),
        "logits (reflections swap the chiral pair)");

    /// <summary>Logits from positions (B, 4, 3). The tensor-field network outputs per-atom "7x0e+1x0o", summed over atoms
    /// into invariants s_0…s_6 and a pseudoscalar p; logits = (s_0 + p, s_0 − p, s_1, …, s_6), so a reflection (p → −p)
    /// swaps exactly the two chiral classes.</summary>
    internal sealed class TetrisClassifier : Module<Tensor, Tensor>
    {
        private readonly TensorFieldNetwork? _tfn;
        private readonly Mlp? _mlp;

        public TetrisClassifier(string kind) : base(nameof(TetrisClassifier))
        {
            if (kind == "tensor-field")
                _tfn = new TensorFieldNetwork(1, Irreps.Parse("8x0e+8x0o+4x1o+4x1e+2x2e+2x2o"), Irreps.Parse("7x0e+1x0o"), layers: 3,
                    cutoff: 3.5, averageNeighbours: 3);
            else if (kind == "mlp") _mlp = new Mlp(12, new[] { 64, 64 }, TetrisShapes.Classes);
            else throw new ArgumentException($"Task tetris has no model '{kind}'; models: {string.Join(", ", ModelNames)}.", nameof(kind));
            RegisterComponents();
        }

        public override Tensor forward(Tensor positions)
        {
            using var scope = torch.NewDisposeScope();
            Tensor logits;
            if (_tfn is not null)
            {
                var pooled = _tfn.Forward(positions, torch.ones(positions.shape[0], positions.shape[1], 1, dtype: positions.dtype, device: positions.device)).sum(1);
                var s0 = pooled.narrow(1, 0, 1);
                var p = pooled.narrow(1, 7, 1);
                logits = torch.cat(new[] { s0 + p, s0 - p, pooled.narrow(1, 1, 6) }, 1);
            }
            else
            {
                var centred = positions - positions.mean(new long[] { 1 }, keepdim: true);
                logits = _mlp!.forward(centred.reshape(positions.shape[0], -1));
            }
            return logits.MoveToOuterDisposeScope();
        }
    }

    private sealed class TetrisData : ITaskData
    {
        private readonly TaskInfo info;
        private readonly Tensor _train, _trainLabels, _test, _testLabels;

        public TetrisData(TaskInfo info)
        {
            this.info = info;
            (_train, _trainLabels) = TetrisShapes.Canonical();
            (_test, _testLabels) = TetrisShapes.Rotated(100, seed: 12345);
        }

        /// <summary>SO(3) on the shapes, one rotation each; the labels stay.</summary>
        private static readonly Augmentation<(Tensor Input, Tensor Target)> Augmentation =
            Augmentations.Orthogonal3D(reflections: false, vectorColumns: [0], targetIsVector: false);

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            info.Require(options);
            if (options.TrainSize is { } s && s != 8)
                throw new ArgumentException($"Task tetris trains on the 8 shapes once each; --train-size must be 8 (got {s}).", nameof(options));
            // Small models: one libtorch thread is as fast as two here and leaves the other core free.
            TorchRuntime.PreferThreads(1);
            TorchRuntime.Seed(options.Seed);
            // symmetrize: the classifier averaged over 8 Haar-random O(3) elements per call (logits of the chiral pair swap under reflections).
            var model = Model(options);
            // One epoch = one step of Adam (10⁻²) on the 8 shapes (augmented: each under its own random rotation, never a
            // reflection, which would turn a chiral shape into its mirror partner of another class).
            var trainer = new Trainer(options.Trainer("tetris", info.Epochs(options), batchSize: null, 1e-2));
            var outcome = trainer.Fit(model, 8, index => (Input: _train.index_select(0, index), Target: _trainLabels.index_select(0, index)),
                (batch, _) => functional.cross_entropy(model.forward(batch.Input), batch.Target), Augmentation, new TrainingHooks { OnEpoch = onEpoch });
            double accuracy;
            using (torch.no_grad())
            using (var scope = torch.NewDisposeScope())
                accuracy = model.forward(_test).argmax(1).eq(_testLabels).to_type(ScalarType.Float64).mean().ToDoubleChecked();
            var check = Equivariance(model, options.Seed);
            var result = new RunResult("tetris", options.Model, options.Strategy.Name, 8, outcome.History.Count, options.Seed, "accuracy", accuracy,
                check.MeanRelativeError, outcome.Parameters, outcome.TrainSeconds);
            var extra = new JsonObject { ["test_size"] = _testLabels.shape[0] };
            return new TaskRun(result, extra, model);
        }

        /// <summary>The check uses 64 test shapes; O(3) acts on the logits as <see cref="LogitsAction"/>.</summary>
        private EquivarianceReport Equivariance(Module<Tensor, Tensor> model, int seed)
        {
            using var scope = torch.NewDisposeScope();
            var inputs = _test.index_select(0, torch.arange(0, _test.shape[0], _test.shape[0] / 64));
            return EquivarianceCheck.Run(model.forward, new IrrepsAction(1, Irreps.Empty), LogitsAction, inputs, samples: 8, seed: seed);
        }

        /// <summary>The model of a run: the classifier, averaged over 8 Haar-random O(3) elements per call under symmetrize
        /// (logits of the chiral pair swap under reflections).</summary>
        private static Module<Tensor, Tensor> Model(TaskRunOptions options) => options.Strategy == Strategy.Symmetrize
            ? new ActionAveraging(new TetrisClassifier(options.Model), new IrrepsAction(1, Irreps.Empty), samples: 8, seed: options.Seed, output: LogitsAction)
            : new TetrisClassifier(options.Model);

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            var run = TaskRunOptions.ForCheck(model, options);
            info.Require(run);
            using var classifier = Model(run);
            if (checkpoint is not null) Checkpoint.Load(classifier, checkpoint);
            classifier.eval();
            var report = Equivariance(classifier, 0);
            using var scope = torch.NewDisposeScope();
            var translation = PointTraining.TranslationError(classifier.forward, _test.narrow(0, 0, 64), outputMoves: false, seed: 0);
            return new ModelCheck(Math.Max(report.MeanRelativeError, translation), new[]
            {
                new LayerError($"{model} (O(3))", classifier.GetType().Name, report.MeanRelativeError, report.MaxRelativeError),
                new LayerError($"{model} (translations)", classifier.GetType().Name, translation, translation),
            }, "random O(3) elements on the voxel positions; logits invariant except that reflections swap the chiral pair");
        }

        public void Dispose()
        {
            foreach (var t in new[] { _train, _trainLabels, _test, _testLabels }) t.Dispose();
        }
    }
}
