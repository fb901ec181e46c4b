using System.Diagnostics;
using Noether.Data;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Nn.Generic;
using Noether.Representations;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>EMLP's synthetic regression tasks (o5-invariant, o3-inertia, lorentz-scattering) and RPP's modified-inertia,
/// generated exactly from their formulas with seeded Gaussians; models emlp, mlp and rpp; strategies none and augment.</summary>
/// <remarks>Targets are standardised by the training set (a scalar mean for scalar outputs, a scalar scale for tensor
/// outputs, so standardising keeps the symmetry); <c>test</c> is the MSE on 1,000 test points in those units.
/// lorentz-scattering's models also see their inputs standardised, one scale per four-momentum
/// (<see cref="BlockScaledInput"/>), as EMLP standardises that data set.
/// References: Finzi, Welling, Wilson 2021 (EMLP, §7.1 datasets); Finzi, Benton, Wilson 2021 (RPP, modified inertia).</remarks>
public sealed class MatrixGroupTask : ITrainingTask
{
    private const int TestSize = 1000;

    /// <summary>Adam's learning rate when --lr is not given.</summary>
    public const double DefaultLearningRate = 3e-3;

    /// <summary>Reads a learning rate as the <c>lr</c> option takes it: a finite positive number (invariant culture).</summary>
    public static bool TryParseLearningRate(string text, out double rate) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out rate)
        && double.IsFinite(rate) && rate > 0;

    /// <summary>Training examples when --train-size is not given.</summary>
    public const int DefaultTrainSize = 1000;

    /// <summary>Reads an ensemble size as the <c>ensemble</c> option takes it: a whole number from 1 to 100.</summary>
    public static bool TryParseEnsembleSize(string? text, out int count) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count is >= 1 and <= 100;

    /// <summary>The epochs a run trains for: <paramref name="epochs"/>, or under <c>--protocol emlp</c> the EMLP paper's
    /// min(1,000, 900,000 / n) (n = <paramref name="size"/>).</summary>
    /// <remarks>That is the budget the EMLP authors' results file records for every run of their data-efficiency figure
    /// (experiments/notebooks/synthetic_results_all.csv: 1,000 epochs for n ≤ 300, then 900, 300, 90, 30 for
    /// n = 1,000, 3,000, 10,000, 30,000); the sweep script in the same repository writes 10 · 30,000 / n, which does not
    /// match those runs.</remarks>
    public static int Epochs(string? protocol, int size, int epochs) =>
        protocol == "emlp" ? Math.Max(1, (int)Math.Round(Math.Min(1000, 900_000.0 / size))) : epochs;
    private readonly Func<Random, int, double, (double[] X, double[] Y)> _generate;
    private readonly double _defaultBreaking;
    private readonly Func<MatrixGroup> _group;
    private readonly string _in, _out, _hidden;
    private readonly bool _centreTargets;
    private readonly bool _scaleInputs;

    private MatrixGroupTask(TaskInfo info, Func<MatrixGroup> group, string input, string output, string hidden, bool centreTargets,
        Func<Random, int, (double[] X, double[] Y)> generate, bool scaleInputs = false)
        : this(info, group, input, output, hidden, centreTargets, (random, n, _) => generate(random, n), 0, scaleInputs)
    {
    }

    /// <summary>A task whose generator takes a symmetry-breaking level ε (<see cref="TaskInfo.SymmetryBreaking"/>).</summary>
    private MatrixGroupTask(TaskInfo info, Func<MatrixGroup> group, string input, string output, string hidden, bool centreTargets,
        Func<Random, int, double, (double[] X, double[] Y)> generate, double defaultBreaking, bool scaleInputs = false)
    {
        _scaleInputs = scaleInputs;
        _defaultBreaking = defaultBreaking;
        Info = info;
        _group = group;
        _in = input;
        _out = output;
        _hidden = hidden;
        _centreTargets = centreTargets;
        _generate = generate;
    }

    /// <inheritdoc />
    public TaskInfo Info { get; }

    private static readonly string[] Models = { "emlp", "mlp", "rpp" };
    /// <summary>Compact groups (O(5), O(3)) also take <c>symmetrize</c>: the model averaged over Haar samples. The Lorentz
    /// group is not compact, so no invariant average over it exists.</summary>
    private static readonly string[] Strategies = new[] { Strategy.None, Strategy.Augment, Strategy.Symmetrize }.Select(s => s.Name).ToArray();
    private static readonly string[] NonCompactStrategies = { "none", "augment" };
    /// <summary><c>--protocol</c>: none (default; <c>--epochs</c> at a constant rate) or emlp (the EMLP paper's
    /// data-efficiency protocol: min(1000, 900,000/n) epochs, cosine learning-rate decay; replaces --epochs).</summary>
    public static TaskOption<string> ProtocolOption { get; } = TaskOption.Choice("protocol",
        "none, or emlp: the EMLP paper's data-efficiency protocol (min(1000, 900,000/n) epochs, cosine learning-rate decay; replaces --epochs)",
        "none", new[] { "none", "emlp" });

    /// <summary><c>--lr</c>: Adam's learning rate.</summary>
    public static TaskOption<double> LearningRateOption { get; } = TaskOption.Number("lr", "Adam's learning rate", DefaultLearningRate, 0, exclusive: true);

    /// <summary><c>--ensemble</c>: members of a deep ensemble (1 to 100).</summary>
    public static TaskOption<int> EnsembleOption { get; } = TaskOption.Integer("ensemble",
        "train K networks from different initialisations and predict their mean", 1, 1, 100);

    /// <summary><c>--group</c>: the group the emlp/rpp model is built for (default: the task's).</summary>
    public static TaskOption<string> GroupOption { get; } = TaskOption.Text("group",
        "the group the emlp/rpp model is built for (e.g. O5, SO5, O3, SO3, lorentz, SO13+; default: the task's)", "",
        text => text.Length == 0 || TryParseGroup(text), "a matrix group name such as O5, SO3 or lorentz", models: new[] { "emlp", "rpp" });

    /// <summary><c>--symmetry-breaking</c>: modified-inertia's ε ≥ 0 (experiment sweeps a list).</summary>
    public static TaskOption<double> SymmetryBreakingOption { get; } = TaskOption.Number("symmetry-breaking",
        "ε (I e_z) e_zᵀ is added to the inertia tensor I: 0 keeps O(3) exact (RPP's task: 0.3); experiment takes a list, e.g. 0,0.1,0.5",
        0.3, 0, exclusive: false, sweepable: true);

    private static bool TryParseGroup(string text)
    {
        try
        {
            MatrixGroup.Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static readonly TaskOption[] MatrixGroupOptions = { ProtocolOption, LearningRateOption, EnsembleOption, GroupOption };

    /// <summary>The recorded budget: 300 epochs for every model.</summary>
    internal static TaskInfo WithDefaults(TaskInfo info, IReadOnlyDictionary<string, ModelDefaults>? models = null) => info with
    {
        Options = info.SymmetryBreaking is null ? MatrixGroupOptions : MatrixGroupOptions.Append(SymmetryBreakingOption).ToArray(),
        DefaultTrainSize = DefaultTrainSize,
        DefaultEpochs = 300,
        ModelDefaults = models ?? new Dictionary<string, ModelDefaults>(),
        EpochRule = (size, options) => options.TryGetValue(ProtocolOption.Name, out var p) && ProtocolOption.Parse(p) == "emlp" ? Epochs("emlp", size, 0) : null,
    };

    /// <summary>o5-invariant: f(x₁, x₂) = sin‖x₁‖ − ‖x₂‖³/2 + x₁·x₂/(‖x₁‖‖x₂‖) for x₁, x₂ ∈ ℝ⁵ (O(5)-invariant).</summary>
    public static MatrixGroupTask O5Invariant { get; } = new(
        new TaskInfo("o5-invariant", "EMLP's O(5)-invariant regression: sin|x1| - |x2|^3/2 + cos(angle(x1, x2)) from two vectors in R^5.",
            "O(5) (inputs 2V, output scalar)", "mse", "generated from a seed", Models, Strategies).Defaults(
            // The recorded EMLP ran at 10⁻³ (emlp.md, data efficiency).
            new Dictionary<string, ModelDefaults> { ["emlp"] = new(300, Options: new Dictionary<string, string> { ["lr"] = "0.001" }) }),
        () => MatrixGroup.O(5), "2V", "1", "32+16V+4T(2)", true, EmlpSyntheticData.O5Invariant);

    /// <summary>o3-inertia: the inertia tensor Σ mᵢ(|rᵢ|²I − rᵢrᵢᵀ) of 5 point masses (O(3)-equivariant, output T(2)).</summary>
    public static MatrixGroupTask O3Inertia { get; } = new(
        new TaskInfo("o3-inertia", "EMLP's inertia task: the 3x3 inertia tensor of 5 point masses from their masses and positions.",
            "O(3) (inputs 5S+5V, output T(2))", "mse", "generated from a seed", Models, Strategies).Defaults(),
        () => MatrixGroup.O(3), "5+5V", "T(2)", "32+16V+4T(2)+2T(3)", false, (random, n) => EmlpSyntheticData.Inertia(random, n, 0.0));

    /// <summary>modified-inertia: the inertia tensor plus 0.3·(I e_z) e_zᵀ, a term that breaks O(3) (RPP's task).</summary>
    public static MatrixGroupTask ModifiedInertia { get; } = new(
        new TaskInfo("modified-inertia", "RPP's broken-symmetry task: the inertia tensor plus 0.3 (I e_z) e_z^T, only approximately O(3)-equivariant.",
            "O(3), approximately (inputs 5S+5V, output T(2))", "mse", "generated from a seed", Models, Strategies)
        {
            SymmetryBreaking = "ε (I e_z) e_zᵀ is added to the inertia tensor I: 0 keeps O(3) exact (default 0.3, RPP's task)",
        }.Defaults(
            // The recorded RPP and EMLP ran at 10⁻³ (emlp.md, modified inertia).
            new Dictionary<string, ModelDefaults>
            {
                ["emlp"] = new(300, Options: new Dictionary<string, string> { ["lr"] = "0.001" }),
                ["rpp"] = new(300, Options: new Dictionary<string, string> { ["lr"] = "0.001" }),
            }),
        () => MatrixGroup.O(3), "5+5V", "T(2)", "32+16V+4T(2)+2T(3)", false, EmlpSyntheticData.Inertia, 0.3);

    /// <summary>lorentz-scattering: the e⁻μ⁻ → e⁻μ⁻ matrix element 4 L_e^{μν} L^μ_{μν} of four four-momenta (Lorentz-invariant).</summary>
    public static MatrixGroupTask LorentzScattering { get; } = new(
        new TaskInfo("lorentz-scattering", "EMLP's particle-interaction task: the electron-muon scattering matrix element from four four-momenta.",
            "O(1,3) (inputs 4V, output scalar)", "mse", "generated from a seed", Models, NonCompactStrategies).Defaults(),
        () => MatrixGroup.Lorentz, "4V", "1", "32+8V+8V*+2T(1,1)", true, EmlpSyntheticData.LorentzScattering, scaleInputs: true);

    /// <inheritdoc />
    public ITaskData Load(string? dataDirectory = null) => new Data(this);

    /// <summary>n examples (inputs row-major (n, in), targets (n, out)) from a generator seeded with <paramref name="seed"/>.</summary>
    internal (double[] X, double[] Y) Generate(int n, int seed, double? breaking = null) => _generate(new Random(seed), n, breaking ?? _defaultBreaking);

    /// <summary>The symmetry-breaking level of a run: its <c>symmetry-breaking</c> option, or the task's default.</summary>
    private double BreakingLevel(TaskRunOptions run)
    {
        if (!TaskInfo.Given(SymmetryBreakingOption, run)) return _defaultBreaking;
        if (Info.SymmetryBreaking is null)
            throw new ArgumentException($"Task {Info.Name} has no --symmetry-breaking knob; modified-inertia has one.", nameof(run));
        return Info.Value(SymmetryBreakingOption, run);
    }

    private sealed class Data(MatrixGroupTask task) : ITaskData
    {
        private readonly Dictionary<double, (double[] X, double[] Y)> _tests = new();

        /// <summary>The fixed test set of a symmetry-breaking level (the same inputs at every level).</summary>
        private (double[] X, double[] Y) Test(double breaking)
        {
            if (!_tests.TryGetValue(breaking, out var test))
                _tests[breaking] = test = task._generate(new Random(1_000_003), TestSize, breaking);
            return test;
        }

        public TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null)
        {
            ArgumentNullException.ThrowIfNull(options);
            task.Info.Require(options);
            int size = task.Info.TrainSize(options);
            if (size < 1) throw new ArgumentException($"--train-size must be ≥ 1 (got {size}).", nameof(options));
            TorchRuntime.PreferThreads(1);
            TorchRuntime.Seed(options.Seed);
            var taskGroup = task._group();
            var modelGroup = ModelGroup(options, taskGroup);
            var breaking = task.BreakingLevel(options);
            var train = task._generate(new Random(7919 * options.Seed + size), size, breaking);
            var test = Test(breaking);
            var (rin, rout) = (TensorRepresentation.Parse(task._in, taskGroup), TensorRepresentation.Parse(task._out, taskGroup));
            // Standardise targets with training statistics (scalar shift only for scalar outputs).
            double mean = task._centreTargets ? train.Y.Average() : 0;
            double scale = Math.Sqrt(train.Y.Select(v => (v - mean) * (v - mean)).Average()) + 1e-12;
            using var scope = NewDisposeScope();
            var xTrain = tensor(train.X, new long[] { size, rin.Dim }, dtype: ScalarType.Float32);
            var yTrain = tensor(train.Y.Select(v => (v - mean) / scale).ToArray(), new long[] { size, rout.Dim }, dtype: ScalarType.Float32);
            var xTest = tensor(test.X, new long[] { TestSize, rin.Dim }, dtype: ScalarType.Float32);
            var yTest = tensor(test.Y.Select(v => (v - mean) / scale).ToArray(), new long[] { TestSize, rout.Dim }, dtype: ScalarType.Float32);
            var learningRate = task.Info.Value(LearningRateOption, options);
            // --protocol emlp: the EMLP paper's data-efficiency study — min(1,000, 900,000 / n) epochs (the task's
            // EpochRule) and a cosine decay of the learning rate to 0; otherwise the epochs at a constant rate.
            var protocol = task.Info.Value(ProtocolOption, options);
            int epochs = task.Info.Epochs(options);
            int batchSize = Math.Min(500, size);
            var augmentation = Augmentations.MatrixGroup(rin, rout);
            // --ensemble K: K members that differ only in their initialisation (member k from seed + 1000 k; member 0 is
            // the single model of the same seed), trained one after another on the same batches; the run's model is
            // their mean prediction. Progress counts the epochs of all members together.
            int count = task.Info.Value(EnsembleOption, options);
            var members = new List<Module<Tensor, Tensor>>();
            double seconds = 0;
            long trainable = 0;
            for (int k = 0; k < count; k++)
            {
                if (k > 0) TorchRuntime.Seed(options.Seed + 1000 * k);
                var member = (Module<Tensor, Tensor>)CreateModel(options.Model, modelGroup);   // building a model (a basis solve) is not training
                if (member is BlockScaledInput scaled) scaled.Fit(xTrain);
                // symmetrize: the member averaged over 8 Haar-random elements of the task's (compact) group per call.
                if (options.Strategy == Strategy.Symmetrize)
                    member = new ActionAveraging(member, new RepresentationAction(rin), samples: 8, seed: options.Seed + 1000 * k, output: new RepresentationAction(rout));
                members.Add(member);
                var rpp = Unwrapped(member) is Emlp { ResidualPathways: true } residual ? residual : null;
                var trainerOptions = options.Trainer(task.Info.Name, epochs, batchSize, learningRate) with
                {
                    Schedule = protocol == "emlp" ? LearningRateSchedule.Cosine : LearningRateSchedule.Constant,
                    StateDirectory = options.StateDirectory is { } dir && count > 1 ? Path.Combine(dir, $"member{k}") : options.StateDirectory,
                };
                int member0 = k;
                var outcome = new Trainer(trainerOptions).Fit(member, size, index => (X: xTrain.index_select(0, index), Y: yTrain.index_select(0, index)), (batch, _) =>
                {
                    var loss = functional.mse_loss(member.forward(batch.X), batch.Y);
                    return rpp is null ? loss : loss + rpp.PriorPenalty(1e-5, 1e-2).squeeze() / size;
                }, augmentation, new TrainingHooks
                {
                    OnEpoch = onEpoch is null ? null : m => onEpoch(m with { Epoch = member0 * epochs + m.Epoch, Epochs = count * epochs,
                        Remaining = m.Remaining + TimeSpan.FromSeconds(m.Elapsed.TotalSeconds / (m.Epoch + 1) * epochs * (count - member0 - 1)) }),
                });
                seconds += outcome.TrainSeconds;
                trainable += outcome.Parameters;
            }
            Module model = count == 1 ? members[0] : new EnsembleMean(members);
            model.eval();
            double mse;
            using (no_grad()) mse = functional.mse_loss(((Module<Tensor, Tensor>)model).forward(xTest), yTest).ToDoubleChecked();
            double error = Equivariance(model, rin, rout, xTest.narrow(0, 0, 64));
            var result = new RunResult(task.Info.Name, options.Model, options.Strategy.Name, size, epochs, options.Seed, "mse", mse, error, trainable, seconds);
            var extra = new System.Text.Json.Nodes.JsonObject { ["group"] = modelGroup.Name };
            if (protocol != "none") extra["protocol"] = protocol;
            extra["lr"] = learningRate;
            if (count > 1) extra["ensemble"] = count;
            if (task.Info.SymmetryBreaking is not null) extra["symmetry_breaking"] = breaking;
            if (members[0] is BlockScaledInput fitted)
                extra["input_scales"] = new System.Text.Json.Nodes.JsonArray(fitted.BlockScales.Select(v => (System.Text.Json.Nodes.JsonNode)Math.Round(v, 6)).ToArray());
            return new TaskRun(result, extra, model);
        }

        public ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null)
        {
            var group = task._group();
            var (rin, rout) = (TensorRepresentation.Parse(task._in, group), TensorRepresentation.Parse(task._out, group));
            // The model is built for the group it was trained with (option group); it is checked under the task's.
            var checkOptions = new TaskRunOptions(model, Options: options);
            var modelGroup = ModelGroup(checkOptions, group);
            var run = TaskRunOptions.ForCheck(model, options);
            task.Info.Require(run);
            int count = task.Info.Value(EnsembleOption, checkOptions);
            // symmetrize trains every member averaged over 8 Haar samples of the task's group: the checkpoint holds those.
            Module<Tensor, Tensor> Member(int k)
            {
                var member = (Module<Tensor, Tensor>)CreateModel(model, modelGroup);
                return run.Strategy == Strategy.Symmetrize
                    ? new ActionAveraging(member, new RepresentationAction(rin), samples: 8, seed: 1000 * k, output: new RepresentationAction(rout))
                    : member;
            }
            using var m = count == 1 ? Member(0) : new EnsembleMean(Enumerable.Range(0, count).Select(Member).ToArray());
            if (checkpoint is not null) Checkpoint.Load(m, checkpoint);
            m.eval();
            using var scope = NewDisposeScope();
            var x = tensor(Test(task.BreakingLevel(checkOptions)).X, new long[] { TestSize, rin.Dim }, dtype: ScalarType.Float32).narrow(0, 0, 64);
            double error = Equivariance(m, rin, rout, x);
            return new ModelCheck(error, new[] { new LayerError(model, m.GetType().Name, error, null) }, $"{group.Name} acting on {rin.Name} and {rout.Name}");
        }

        private MatrixGroup ModelGroup(TaskRunOptions options, MatrixGroup taskGroup)
        {
            var name = task.Info.Value(GroupOption, options);
            if (name.Length == 0) return taskGroup;
            MatrixGroup group;
            try { group = MatrixGroup.Parse(name); }
            catch (FormatException e) { throw new ArgumentException(e.Message, nameof(options)); }
            if (group.Size != taskGroup.Size)
                throw new ArgumentException($"--group {name} acts on R^{group.Size}, but task {task.Info.Name} needs a group on R^{taskGroup.Size} (e.g. {taskGroup.Name}).", nameof(options));
            return group;
        }

        /// <summary>The model a run trains: for tasks with input scaling (lorentz-scattering) wrapped in a
        /// <see cref="BlockScaledInput"/> that the run fits to its training inputs, whatever the model.</summary>
        private Module CreateModel(string name, MatrixGroup group)
        {
            var (rin, rout) = (TensorRepresentation.Parse(task._in, group), TensorRepresentation.Parse(task._out, group));
            Module<Tensor, Tensor> model = name switch
            {
                "emlp" => new Emlp(rin, rout, TensorRepresentation.Parse(task._hidden, group), 3),
                "rpp" => new Emlp(rin, rout, TensorRepresentation.Parse(task._hidden, group), 3, residualPathways: true),
                "mlp" => new Mlp(rin.Dim, new[] { 128, 128, 128 }, rout.Dim),
                _ => throw new ArgumentException($"Task {task.Info.Name} has no model '{name}'; models: {string.Join(", ", Models)}.", nameof(name)),
            };
            return task._scaleInputs ? new BlockScaledInput(rin, model) : model;
        }

        private static Module Unwrapped(Module model) => model switch
        {
            BlockScaledInput scaled => scaled.Inner,
            ActionAveraging averaged => Unwrapped(averaged.Inner),
            _ => model,
        };

        private double Equivariance(Module model, TensorRepresentation rin, TensorRepresentation rout, Tensor x)
        {
            var group = task._group();
            var rinTask = TensorRepresentation.Parse(task._in, group);
            var routTask = TensorRepresentation.Parse(task._out, group);
            var f = (Module<Tensor, Tensor>)model;
            return EquivarianceCheck.Run(f.forward, new RepresentationAction(rinTask), new RepresentationAction(routTask), x, group.Sample(8, seed: 5)).MeanRelativeError;
        }

        public void Dispose() { }
    }
}

/// <summary>Reads the task declarations above as one expression each.</summary>
file static class TaskInfoDefaults
{
    public static TaskInfo Defaults(this TaskInfo info, IReadOnlyDictionary<string, ModelDefaults>? models = null) => MatrixGroupTask.WithDefaults(info, models);
}
