using System.Diagnostics;
using System.Text.Json.Nodes;
using Noether.Symmetrize;
using Noether.Data;
using Noether.Equivariance;
using Noether.Nn.Common;
using Noether.Nn.Points;
using Noether.Representations;
using Noether.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary><c>lj-cluster</c>: learn energies and forces of Lennard-Jones clusters of 13–38 atoms; metric force MAE.
/// <c>tensor-field</c> predicts per-atom energies (forces by autograd, exactly equivariant and conservative);
/// <c>mlp</c> predicts forces directly from the padded coordinates. Strategies: <c>augment</c> (a random O(3) element per
/// cluster on positions and forces) and <c>symmetrize</c> (the model averaged over 8 Haar-random O(3) elements per call:
/// the energy before differentiating, the rotated-back forces of the MLP).</summary>
public sealed class LennardJonesTask : ITrainingTask
{
    private static readonly string[] ModelNames = { "tensor-field", "mlp" };

    /// <inheritdoc />
    public TaskInfo Info { get; } = new("lj-cluster",
        "Lennard-Jones clusters of 13–38 atoms from Langevin dynamics at T = 0.1–0.3: predict forces (and energies).",
        "E(3): energy invariant, forces equivariant (and atom permutations)", "force_mae", "generated from seeds (1,000 train / 200 test configurations)",
        ModelNames, new[] { "none", "augment", "symmetrize" })
    {
        DefaultTrainSize = 1000, DefaultEpochs = 50,
        // The recorded runs (points.md): energy-derived forces converge in 2 epochs; the MLP trains for 50.
        ModelDefaults = new Dictionary<string, ModelDefaults> { ["tensor-field"] = new(2) },
    };

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new LennardJonesData(Info);

    /// <summary>Forces (B, N, 3) from positions (B, N, 3) and mask (B, N), packed as (B, N, 4) = (x, mask) so the
    /// equivariance checker can act on the positions alone.</summary>
    internal sealed class ForceModel : Module<Tensor, Tensor>
    {
        private readonly TensorFieldNetwork? _tfn;
        private readonly Mlp? _mlp;
        private readonly Parameter _shift;
        private readonly Parameter _scale;

        private readonly int _samples;
        private readonly Random? _random;

        /// <summary>The model <paramref name="kind"/>; with <paramref name="samples"/> &gt; 0 averaged over that many Haar-random
        /// O(3) elements per call, drawn from a generator seeded with <paramref name="seed"/> (symmetrize): the energy
        /// E̅(x) = mean_k E(R_k x), forces −∇E̅; or, for direct forces, F̅(x) = mean_k R_kᵀ F(R_k x).</summary>
        public ForceModel(string kind, int samples = 0, int seed = 0) : base(nameof(ForceModel))
        {
            if (samples > 0) (_samples, _random) = (SampledAverage.Check(samples, nameof(samples)), new Random(seed));
            if (kind == "tensor-field")
                _tfn = new TensorFieldNetwork(1, Irreps.Parse("16x0e+8x1o"), Irreps.Parse("1x0e"), layers: 2, cutoff: 2.5, shDegree: 1, averageNeighbours: 12);
            else if (kind == "mlp") _mlp = new Mlp(LennardJonesClusters.MaxAtoms * 3, new[] { 256, 256 }, LennardJonesClusters.MaxAtoms * 3);
            else throw new ArgumentException($"Task lj-cluster has no model '{kind}'; models: {string.Join(", ", ModelNames)}.", nameof(kind));
            // Per-atom energy shift and force scale, set from the training data and trained further.
            _shift = new Parameter(torch.zeros(1).DetachFromDisposeScope(), requires_grad: false);
            _scale = new Parameter(torch.ones(1).DetachFromDisposeScope(), requires_grad: false);
            RegisterComponents();
        }

        public bool PredictsEnergy => _tfn is not null;

        /// <summary>The force scale of the training data (the loss is measured in its units).</summary>
        public double ForceScale { get; private set; } = 1;

        public void SetStatistics(double shift, double scale)
        {
            ForceScale = scale;
            using var noGrad = torch.no_grad();
            _shift.fill_(shift);
            _scale.fill_(scale);
        }

        /// <summary>(energy (B) or null, forces (B, N, 3)).</summary>
        public (Tensor? Energy, Tensor Forces) Predict(Tensor positions, Tensor mask, bool createGraph)
        {
            using var scope = torch.NewDisposeScope();
            long b = positions.shape[0];
            // Symmetrize: K Haar-random elements for this call; copy k of the batch sees R_k x.
            var rotations = _random is null ? null : Augmentations.RandomOrthogonal(_samples, _random, reflections: true).to(positions.dtype, positions.device);
            int copies = rotations is null ? 1 : _samples;
            Tensor Spread(Tensor x) => rotations is null ? x
                : torch.einsum("kij,bnj->kbni", rotations, x).reshape(copies * b, x.shape[1], 3);
            var masks = copies == 1 ? mask : mask.repeat(copies, 1);
            if (_tfn is not null)
            {
                using var grad = torch.enable_grad();
                var x = positions.detach().requires_grad_(true);
                var attributes = masks.unsqueeze(-1);
                var perAtom = _tfn.Forward(Spread(x), attributes, masks).select(-1, 0);
                var energy = ((perAtom * _scale + _shift) * masks).sum(1).view(copies, b).mean(new long[] { 0 });
                var forces = -Guarded.Grad(new[] { energy.sum() }, new[] { x }, retainGraph: createGraph, createGraph: createGraph)[0];
                if (!createGraph) (energy, forces) = (energy.detach(), forces.detach());
                return (energy.MoveToOuterDisposeScope(), forces.MoveToOuterDisposeScope());
            }
            var raw = _mlp!.forward((Spread(positions) * masks.unsqueeze(-1)).reshape(copies * b, -1)).view(copies * b, -1, 3);
            // Copy k's forces rotated back by R_kᵀ, then averaged.
            if (rotations is not null) raw = torch.einsum("kji,kbnj->kbni", rotations, raw.view(copies, b, -1, 3)).mean(new long[] { 0 });
            return (null, (raw * _scale * mask.unsqueeze(-1)).MoveToOuterDisposeScope());
        }

        public override Tensor forward(Tensor packed) =>
            Predict(packed.narrow(2, 0, 3), packed.select(2, 3), createGraph: false).Forces;
    }

    private sealed class LennardJonesData : ITaskData
    {
        private readonly TaskInfo info;
        private readonly LennardJonesSet _train, _test;

        public LennardJonesData(TaskInfo info)
        {
            this.info = info;
            _train = LennardJonesClusters.Generate(1000, seed: 21);
            _test = LennardJonesClusters.Generate(200, seed: 22);
        }

        /// <summary>O(3) on a batch of clusters: positions and forces rotate together; masks and energies stay.</summary>
        private static readonly Augmentation<LennardJonesSet> Augmentation =
            Augmentations.Orthogonal3D(reflections: true, vectorColumns: [0], targetIsVector: true)
                .On<LennardJonesSet>(set => (set.Positions, set.Forces), (set, moved) => set with { Positions = moved.Input, Forces = moved.Target });

        /// <summary>The model of a run: averaged over 8 Haar-random O(3) elements per call under symmetrize.</summary>
        private static ForceModel Model(TaskRunOptions options) =>
            options.Strategy == Strategy.Symmetrize ? new ForceModel(options.Model, samples: 8, seed: options.Seed) : new ForceModel(options.Model);

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            info.Require(options);
            var size = info.TrainSize(options);
            if (size < 1 || size > 1000) throw new ArgumentException($"--train-size must be in 1..1000 for lj-cluster (got {size}).", nameof(options));
            // Small models: one libtorch thread is as fast as two here and leaves the other core free.
            TorchRuntime.PreferThreads(1);
            TorchRuntime.Seed(options.Seed);
            var model = Model(options);
            using (var stats = torch.NewDisposeScope())
            {
                var atoms = _train.Mask.narrow(0, 0, size).sum(1);
                var shift = (_train.Energies.narrow(0, 0, size) / atoms).mean().ToDoubleChecked();
                var scale = (_train.Forces.narrow(0, 0, size).square().sum() / (3 * atoms.sum())).sqrt().ToDoubleChecked();
                model.SetStatistics(shift, scale);
            }
            // Adam at 3·10⁻³, batches of 10 clusters; loss: force MSE plus 0.1 × the per-atom energy MSE, in units of the force scale.
            var trainer = new Trainer(options.Trainer("lj-cluster", info.Epochs(options), 10, 3e-3));
            var outcome = trainer.Fit(model, size, index => _train.Select(index), (set, _) =>
            {
                var (energy, predicted) = model.Predict(set.Positions, set.Mask, createGraph: true);
                var count = set.Mask.sum(1);
                var scale2 = model.ForceScale * model.ForceScale;
                var loss = (predicted - set.Forces).square().sum() / (3 * count.sum()) / scale2;
                if (energy is not null)
                    loss = loss + 0.1 * ((energy - set.Energies) / count).square().mean() / scale2;
                return loss;
            }, Augmentation, new TrainingHooks { OnEpoch = onEpoch });
            var mae = ForceMae(model, _test);
            var check = Equivariance(model, options.Seed);
            var result = new RunResult("lj-cluster", options.Model, options.Strategy.Name, size, outcome.History.Count, options.Seed, "force_mae", mae,
                check.MeanRelativeError, outcome.Parameters, outcome.TrainSeconds);
            var extra = new JsonObject { ["test_size"] = _test.Count, ["force_rms"] = Rms(_test) };
            return new TaskRun(result, extra, model);
        }

        private static double Rms(LennardJonesSet set)
        {
            using var scope = torch.NewDisposeScope();
            return (set.Forces.square().sum() / (3 * set.Mask.sum())).sqrt().ToDoubleChecked();
        }

        private static double ForceMae(ForceModel model, LennardJonesSet set)
        {
            double total = 0;
            for (var start = 0; start < set.Count; start += 50)
            {
                using var scope = torch.NewDisposeScope();
                var length = Math.Min(50, set.Count - start);
                var (_, forces) = model.Predict(set.Positions.narrow(0, start, length), set.Mask.narrow(0, start, length), createGraph: false);
                total += (forces - set.Forces.narrow(0, start, length)).abs().sum().ToDoubleChecked();
            }
            using var s = torch.NewDisposeScope();
            return total / (3 * set.Mask.sum().ToDoubleChecked());
        }

        private EquivarianceReport Equivariance(ForceModel model, int seed)
        {
            using var scope = torch.NewDisposeScope();
            var packed = torch.cat(new[] { _test.Positions.narrow(0, 0, 16), _test.Mask.narrow(0, 0, 16).unsqueeze(-1) }, 2);
            return EquivarianceCheck.Run(model.forward, new IrrepsAction(1, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), packed, samples: 6, seed: seed);
        }

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            var run = TaskRunOptions.ForCheck(model, options);
            info.Require(run);
            using var forceModel = Model(run);
            if (checkpoint is not null) Checkpoint.Load(forceModel, checkpoint);
            forceModel.eval();
            var report = Equivariance(forceModel, 0);
            return new ModelCheck(report.MeanRelativeError, new[]
            {
                new LayerError($"{model} forces (O(3))", nameof(ForceModel), report.MeanRelativeError, report.MaxRelativeError),
            }, "random O(3) elements on the atom positions; forces must rotate with them");
        }

        public void Dispose()
        {
            _train.Dispose();
            _test.Dispose();
        }
    }
}
