using System.Diagnostics;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Equivariance;
using Noether.Representations;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary><c>nbody</c>: predict the positions of 5 charged particles 1,000 steps ahead (EGNN paper protocol), with
/// EGNN, a plain GNN, an MLP or linear extrapolation, trained plainly or with random O(3) augmentation.</summary>
/// <remarks>Training follows the EGNN paper: Adam, learning rate 5e-4, weight decay 1e-12, batch 100, MSE loss, the
/// test MSE reported at the epoch of lowest validation MSE. Data: <see cref="NBodySimulation"/> (3,000 / 2,000 / 2,000).</remarks>
public sealed class NBodyTask : ITrainingTask
{
    /// <inheritdoc />
    public TaskInfo Info { get; } = new("nbody",
        "Charged 5-particle system (EGNN protocol): from positions, velocities and charges at frame 30 predict positions at frame 40.",
        "E(3) (rotations, reflections, translations) and particle permutations", "mse", "generated from seeds (3,000 / 2,000 / 2,000 systems)",
        NBodyPredictor.Models, Strategies)
    {
        Options = new TaskOption[] { DrawOption, ForceClipOption },
        DefaultTrainSize = 3000, DefaultEpochs = 60,
        // The budgets of the recorded runs (nbody.md): EGNN 300 epochs, linear extrapolation 600.
        ModelDefaults = new Dictionary<string, ModelDefaults> { ["egnn"] = new(300), ["linear"] = new(600) },
    };

    /// <summary><c>--draw</c>: seeded (default) or reference (the EGNN paper's own systems).</summary>
    public static TaskOption<string> DrawOption { get; } = TaskOption.Choice("draw",
        "the data: seeded (splits from seeds 1/2/3) or reference (the EGNN paper's own systems, regenerated from its numpy seed 43)",
        "seeded", new[] { "seeded", "reference" });

    /// <summary><c>--force-clip</c>: component (default), norm or none.</summary>
    public static TaskOption<string> ForceClipOption { get; } = TaskOption.Choice("force-clip",
        "how the simulator limits forces in close encounters: component (each component at ±100, the EGNN protocol, which breaks E(3) there), norm (the force's length at 100: E(3) exact) or none",
        "component", new[] { "component", "norm", "none" });

    /// <summary>none, augment (random O(3) elements on inputs and targets), frame-average (the model averaged over the
    /// 8 PCA frames of the positions), canonicalize (the model run in the canonical PCA frame) and canonicalize-learned
    /// (the model run in a frame predicted by a small EGNN trained with it).</summary>
    private static readonly string[] Strategies = new[] { Strategy.None, Strategy.Augment, Strategy.Symmetrize, Strategy.FrameAverage,
        Strategy.Canonicalize, Strategy.CanonicalizeLearned }.Select(s => s.Name).ToArray();

    private static PointFrameMode FrameMode(Strategy strategy) =>
        strategy == Strategy.FrameAverage ? PointFrameMode.FrameAverage
        : strategy == Strategy.Canonicalize ? PointFrameMode.Canonicalize
        : strategy == Strategy.CanonicalizeLearned ? PointFrameMode.LearnedCanonicalize
        : PointFrameMode.None;

    /// <summary>The model of a run: the predictor, averaged over 8 Haar-random O(3) elements per call under
    /// <c>symmetrize</c> (positions and velocities rotate, charges stay; the predicted positions rotate back).</summary>
    private static Module<Tensor, Tensor> Build(string model, Strategy strategy, int seed)
    {
        var predictor = new NBodyPredictor(model, frames: FrameMode(strategy));
        return strategy == Strategy.Symmetrize
            ? new ActionAveraging(predictor, new IrrepsAction(2, Irreps.Parse("0e")), samples: 8, seed: seed, output: new IrrepsAction(1, Irreps.Empty))
            : predictor;
    }

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new NBodyData(Info);

    /// <summary>The data draws of <c>--draw</c>: <c>seeded</c> (default; splits from seeds 1 / 2 / 3 of
    /// <see cref="NBodySimulation.Generate"/>) and <c>reference</c> (the EGNN paper's own systems, regenerated from its
    /// numpy stream by <see cref="NBodySimulation.GenerateReference"/>: the first 3,000 of its training split, its
    /// validation and test splits).</summary>
    public static IReadOnlyList<string> Draws { get; } = new[] { "seeded", "reference" };

    /// <summary>The force limits of <c>--force-clip</c>: <c>component</c> (default; each component clipped at ±100, the
    /// EGNN protocol, which breaks E(3) in close encounters), <c>norm</c> (the force's length clipped at 100: E(3) exact)
    /// and <c>none</c>.</summary>
    public static IReadOnlyList<string> ForceClips => ForceClipNames.Keys.ToArray();

    private static readonly Dictionary<string, ForceClip> ForceClipNames = new()
    {
        ["component"] = ForceClip.Component,
        ["norm"] = ForceClip.Norm,
        ["none"] = ForceClip.None,
    };

    /// <summary>Reads the <c>force-clip</c> option (component when absent or empty).</summary>
    public static ForceClip ParseForceClip(string? text) =>
        string.IsNullOrEmpty(text) ? ForceClip.Component
        : ForceClipNames.TryGetValue(text, out var clip) ? clip
        : throw new ArgumentException($"--force-clip must be one of {string.Join(", ", ForceClips)} (got '{text}').");

    private sealed class NBodyData(TaskInfo info) : ITaskData
    {
        private readonly Dictionary<(string, ForceClip), Splits> _draws = new();
        private Tensor SeededTestStates => Draw("seeded", ForceClip.Component).TestStates;

        private sealed record Splits(Tensor TrainStates, Tensor TrainTargets, Tensor ValidStates, Tensor ValidTargets, Tensor TestStates, Tensor TestTargets)
        {
            public void Dispose()
            {
                foreach (var t in new[] { TrainStates, TrainTargets, ValidStates, ValidTargets, TestStates, TestTargets }) t.Dispose();
            }
        }

        private Splits Draw(string draw, ForceClip clip)
        {
            if (_draws.TryGetValue((draw, clip), out var splits)) return splits;
            using var scope = torch.NewDisposeScope();
            var sets = draw switch
            {
                "seeded" => (NBodySimulation.Generate(3000, seed: 1, clip: clip), NBodySimulation.Generate(2000, seed: 2, clip: clip),
                    NBodySimulation.Generate(2000, seed: 3, clip: clip)),
                "reference" => (NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Train, 3000, clip: clip),
                    NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Validation, 2000, clip: clip),
                    NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Test, 2000, clip: clip)),
                _ => throw new ArgumentException($"Task nbody has no data draw '{draw}'; draws: {string.Join(", ", Draws)}."),
            };
            var (train, valid, test) = (Pack(sets.Item1), Pack(sets.Item2), Pack(sets.Item3));
            splits = new Splits(train.Item1, train.Item2, valid.Item1, valid.Item2, test.Item1, test.Item2);
            _draws[(draw, clip)] = splits;
            return splits;
        }

        private static (Tensor, Tensor) Pack(NBodySet set)
        {
            using (set)
                return (torch.cat(new[] { set.Positions, set.Velocities, set.Charges }, 2).DetachFromDisposeScope(), set.Targets.clone().DetachFromDisposeScope());
        }

        /// <summary>O(3) on a batch of states (positions and velocities rotate, charges stay) and target displacements.</summary>
        private static readonly Augmentation<(Tensor Input, Tensor Target)> Augmentation =
            Augmentations.Orthogonal3D(reflections: true, vectorColumns: [0, 3], targetIsVector: true);

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            info.Require(options);
            var draw = info.Value(DrawOption, options);
            var clip = ParseForceClip(info.Value(ForceClipOption, options));
            var (trainStates, trainTargets, validStates, validTargets, testStates, testTargets) = Draw(draw, clip);
            var size = info.TrainSize(options);
            if (size < 1 || size > 3000) throw new ArgumentException($"--train-size must be in 1..3000 for nbody (got {size}).", nameof(options));
            // Small models: one libtorch thread is within 10% of two here (egnn: 0.29–0.30 against 0.27–0.28 s per epoch) and leaves
            // the other core free; --threads overrides.
            TorchRuntime.PreferThreads(1);
            TorchRuntime.Seed(options.Seed);
            var model = Build(options.Model, options.Strategy, options.Seed);
            // The EGNN protocol: Adam at 5e-4 with weight decay 1e-12, batches of 100, MSE; the weights of the epoch of
            // lowest validation MSE are kept and tested.
            var trainer = new Trainer(options.Trainer("nbody", info.Epochs(options), 100, 5e-4) with { Optimizer = Optimizers.FusedAdam(weightDecay: 1e-12), SelectBest = true });
            var outcome = trainer.Fit(model, size, index => (Input: trainStates.index_select(0, index), Target: trainTargets.index_select(0, index)),
                (batch, _) => torch.nn.functional.mse_loss(model.forward(batch.Input), batch.Target), Augmentation,
                new TrainingHooks { Validate = _ => Mse(model, validStates, validTargets), OnEpoch = onEpoch });
            var bestTest = Mse(model, testStates, testTargets);
            var error = Equivariance(model, seed: options.Seed, testStates).O3;
            var result = new RunResult("nbody", options.Model, options.Strategy.Name, size, outcome.History.Count, options.Seed, "mse", bestTest, error,
                outcome.Parameters, outcome.TrainSeconds);
            var extra = new JsonObject
            {
                ["best_epoch"] = outcome.BestEpoch + 1,
                ["validation_mse"] = outcome.BestValidation,
                ["seconds_per_epoch"] = outcome.TrainSeconds / outcome.History.Count,
                ["draw"] = draw,
            };
            if (TaskInfo.Given(ForceClipOption, options)) extra["force_clip"] = info.Value(ForceClipOption, options);
            return new TaskRun(result, extra, model);
        }

        private static double Mse(Module<Tensor, Tensor> model, Tensor states, Tensor targets)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.eval();
            return torch.nn.functional.mse_loss(model.forward(states), targets).ToDoubleChecked();
        }

        private (double O3, double O3Max, double Translation) Equivariance(Module<Tensor, Tensor> model, int seed, Tensor? testStates = null)
        {
            using var scope = torch.NewDisposeScope();
            var inputs = (testStates ?? SeededTestStates).narrow(0, 0, 200);
            var report = EquivarianceCheck.Run(model.forward, new IrrepsAction(2, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), inputs, samples: 8, seed: seed);
            var translation = PointTraining.TranslationError(model.forward, inputs, outputMoves: true, seed);
            return (report.MeanRelativeError, report.MaxRelativeError, translation);
        }

        /// <summary>The test states of the draw named by the <c>draw</c> option (seeded when absent or empty), simulated
        /// with the <c>force-clip</c> option's limit.</summary>
        private Tensor TestStatesOf(IReadOnlyDictionary<string, string>? options) =>
            Draw(options?.GetValueOrDefault("draw") is { Length: > 0 } draw ? draw : "seeded", ParseForceClipOption(options?.GetValueOrDefault("force-clip"))).TestStates;

        private static ForceClip ParseForceClipOption(string? text)
        {
            try { return ParseForceClip(text); }
            catch (ArgumentException e) { throw new ArgumentException(e.Message, "options", e); }
        }

        /// <summary>The data diagnostic on 500 test systems of the draw (<see cref="NBodyDataSymmetry"/>).</summary>
        public DataSymmetryReport CheckData(IReadOnlyDictionary<string, string>? options = null, int seed = 0)
        {
            using var scope = torch.NewDisposeScope();
            var states = TestStatesOf(options).narrow(0, 0, 500);
            return NBodyDataSymmetry.Run(states.narrow(2, 0, 3), states.narrow(2, 3, 3), states.narrow(2, 6, 1), seed,
                clip: ParseForceClipOption(options?.GetValueOrDefault("force-clip")));
        }

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            if (!NBodyPredictor.Models.Contains(model))
                throw new ArgumentException($"Task nbody has no model '{model}'; models: {string.Join(", ", NBodyPredictor.Models)}.", nameof(model));
            var strategy = options?.GetValueOrDefault("strategy") is { Length: > 0 } named ? named : "none";
            if (!Strategies.Contains(strategy))
                throw new ArgumentException($"Task nbody has no strategy '{strategy}'; strategies: {string.Join(", ", Strategies)}.", nameof(options));
            using var predictor = Build(model, strategy, seed: 0);
            if (checkpoint is not null) Checkpoint.Load(predictor, checkpoint);
            predictor.eval();
            var (o3, o3Max, translation) = Equivariance(predictor, seed: 0, TestStatesOf(options));
            return new ModelCheck(Math.Max(o3, translation), new[]
            {
                new LayerError($"{model} (O(3): rotations and reflections)", nameof(NBodyPredictor), o3, o3Max),
                new LayerError($"{model} (translations)", nameof(NBodyPredictor), translation, translation),
            }, "random O(3) elements acting on positions, velocities and predictions, and a random translation of positions");
        }

        public void Dispose()
        {
            foreach (var splits in _draws.Values) splits.Dispose();
            _draws.Clear();
        }
    }
}
