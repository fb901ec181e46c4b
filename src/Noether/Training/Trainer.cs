using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Noether.Data;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>The loss of one mini-batch: the step gathers the examples at <paramref name="index"/> (int64, (batch,)),
/// transforms them if its strategy says so (drawing only from <paramref name="context"/>), runs the model and returns
/// the scalar loss to minimise.</summary>
public delegate Tensor BatchLoss(Tensor index, StepContext context);

/// <summary>The one training loop of Noether: every task, every strategy and every diagnostic that trains runs through it.</summary>
/// <remarks>
/// <para>A task says what one step is (a typed batch and its loss, or a <see cref="BatchLoss"/>), how its group acts on
/// a batch (a <see cref="Symmetrize.Augmentation{TBatch}"/>, which the trainer applies under strategy augment) and what
/// to measure after an epoch (<see cref="TrainingHooks"/>); the trainer owns everything around it: the order of the examples,
/// batching, one dispose scope per step (native memory stays flat), the optimizer and its learning-rate schedule,
/// eval/train modes, the per-epoch validation and equivariance metrics, best-validation selection, early stopping,
/// progress with time left, the parameter count, and a state folder from which an interrupted run resumes.</para>
/// <para>Randomness: epoch e visits the examples in the order of a seeded shuffle of seed·1,000,003 + e, and its steps
/// draw from generators seeded by (seed, e) (<see cref="StepContext"/>), so the same seed gives the same run and a
/// resumed run the same weights as one that never stopped.</para>
/// <para>Split of the PyTorch Lightning kind (the task's training step vs the trainer's loop); a second loop in the
/// library is a smell: add a hook here instead.</para>
/// </remarks>
/// <example><code>var trainer = new Trainer(new TrainerOptions(Epochs: 10, BatchSize: 64, LearningRate: 2e-3, Seed: 0));
/// var outcome = trainer.Fit(model, train.Count, (index, step) =&gt;
///     functional.cross_entropy(model.forward(train.Inputs.index_select(0, index)), train.Labels.index_select(0, index)));</code></example>
public sealed class Trainer
{
    private const string StateFile = "state.json";

    /// <summary>Creates a trainer; invalid options throw <see cref="ArgumentException"/>.</summary>
    public Trainer(TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>How this trainer runs.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The number of trainable parameters (those that require gradients): the <c>params</c> of every run.</summary>
    public static long ParameterCount(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }

    /// <summary>Trains <paramref name="model"/> in place and leaves it in eval mode (with the best epoch's weights under
    /// <see cref="TrainerOptions.SelectBest"/>).</summary>
    /// <param name="model">the module whose trainable parameters the optimizer updates.</param>
    /// <param name="examples">the number of training examples (≥ 1); the steps get indices into them.</param>
    /// <param name="loss">the loss of one mini-batch.</param>
    /// <param name="hooks">per-epoch validation, equivariance metric and progress, or null.</param>
    /// <exception cref="ArgumentException">the strategy is <c>augment</c>: augmentation is applied by the typed
    /// <see cref="Fit{TBatch}"/> from the task's declared action, never inside a loss.</exception>
    public TrainingOutcome Fit(Module model, int examples, BatchLoss loss, TrainingHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        if (Options.Strategy == Strategy.Augment)
            throw new ArgumentException("Strategy augment needs the task's augmentation: use Fit(model, examples, batch, loss, augmentation).", nameof(loss));
        return Loop(model, examples, loss, hooks);
    }

    /// <summary>Trains <paramref name="model"/> on typed batches: the step gathers batch <paramref name="batch"/>(index),
    /// passes it through <paramref name="augmentation"/> when the run's strategy is <c>augment</c> (drawing from the
    /// step's generators), and minimises <paramref name="loss"/> of it. Otherwise as <see cref="Fit(Module, int, BatchLoss, TrainingHooks?)"/>.</summary>
    /// <param name="model">the module whose trainable parameters the optimizer updates.</param>
    /// <param name="examples">the number of training examples (≥ 1).</param>
    /// <param name="batch">the examples at an index tensor (int64, (batch,)).</param>
    /// <param name="loss">the scalar loss of a (possibly augmented) batch.</param>
    /// <param name="augmentation">the task's group action on its batches; required under <c>augment</c>, unused otherwise.</param>
    /// <param name="hooks">per-epoch validation, equivariance metric and progress, or null.</param>
    public TrainingOutcome Fit<TBatch>(Module model, int examples, Func<Tensor, TBatch> batch, Func<TBatch, StepContext, Tensor> loss,
        Symmetrize.Augmentation<TBatch>? augmentation, TrainingHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(loss);
        bool augment = Options.Strategy == Strategy.Augment;
        if (augment && augmentation is null)
            throw new ArgumentException("Strategy augment needs the task's augmentation (its group action on batches); this task declares none.", nameof(augmentation));
        return Loop(model, examples, (index, step) =>
        {
            var b = batch(index);
            return loss(augment ? augmentation!.Apply(b, step.Random, step.Generator) : b, step);
        }, hooks);
    }

    private TrainingOutcome Loop(Module model, int examples, BatchLoss loss, TrainingHooks? hooks)
    {
        if (examples < 1) throw new ArgumentException($"A run needs at least one training example; got {examples}.", nameof(examples));
        hooks ??= new TrainingHooks();
        if ((Options.SelectBest || Options.Patience is not null) && hooks.Validate is null)
            throw new ArgumentException("Best-validation selection and early stopping need a validation hook (TrainingHooks.Validate).", nameof(hooks));
        if (!model.parameters().Any(p => p.requires_grad))
            throw new ArgumentException($"{model.GetName()} has no trainable parameters.", nameof(model));

        using var optimizer = Options.Optimizer(model.parameters().Where(p => p.requires_grad), Options.LearningRate);
        var weights = model.state_dict().Select(kv => (kv.Key, kv.Value)).ToArray();
        Tensor[]? best = null;
        var history = new List<EpochMetrics>();
        int? bestEpoch = null;
        double? bestValidation = null;
        bool stoppedEarly = false;
        double earlierSeconds = 0;
        int start = 0;
        if (Options.StateDirectory is { } directory && File.Exists(Path.Combine(directory, StateFile)))
        {
            var state = Resume(directory, model, optimizer, weights);
            (start, bestEpoch, bestValidation, stoppedEarly, earlierSeconds, best) = (state.Completed, state.BestEpoch, state.BestValidation,
                state.StoppedEarly, state.Seconds, state.Best);
            history.AddRange(state.History);
        }

        var clock = Stopwatch.StartNew();
        double Seconds() => earlierSeconds + clock.Elapsed.TotalSeconds;
        int batch = Math.Min(Options.BatchSize ?? examples, examples);
        for (int epoch = start; epoch < Options.Epochs && !stoppedEarly; epoch++)
        {
            model.train();
            optimizer.LearningRate = Options.LearningRateAt(epoch);
            var order = Options.BatchSize is null ? Enumerable.Range(0, examples).ToArray()
                : Permutations.Shuffled(examples, unchecked(Options.Seed * 1_000_003 + epoch));
            using var generator = new Generator(unchecked((ulong)Mix(Options.Seed, epoch, 2)));
            var context = new StepContext(epoch, new Random(Mix(Options.Seed, epoch, 1)), generator);
            double total = 0;
            int steps = 0;
            for (int first = 0; first < examples; first += batch)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(batch, examples - first);
                var index = tensor(order.AsSpan(first, count).ToArray().Select(i => (long)i).ToArray());
                optimizer.ZeroGrad();
                var value = loss(index, context);
                value.backward();
                optimizer.Step();
                total += value.ToDoubleChecked();
                steps++;
            }
            double meanLoss = total / steps;
            if (!double.IsFinite(meanLoss))
                throw new ArithmeticException($"The training loss became {meanLoss} in epoch {epoch + 1}; lower the learning rate ({Options.LearningRateAt(epoch)}) or check the data.");

            model.eval();
            double? validation = null, equivariance = null;
            using (no_grad())
            {
                validation = hooks.Validate?.Invoke(model);
                equivariance = hooks.EquivarianceError?.Invoke(model);
            }
            if (validation is double v && (bestValidation is null || v < bestValidation))
            {
                (bestEpoch, bestValidation) = (epoch, v);
                if (Options.SelectBest) best = Snapshot(weights, best);
            }
            if (Options.Patience is int patience && bestEpoch is int b && epoch - b >= patience && epoch + 1 < Options.Epochs) stoppedEarly = true;
            double elapsed = Seconds();
            int done = epoch + 1 - start;
            var remaining = stoppedEarly ? 0 : clock.Elapsed.TotalSeconds / done * (Options.Epochs - epoch - 1);
            var metrics = new EpochMetrics(epoch, Options.Epochs, meanLoss, validation, equivariance, TimeSpan.FromSeconds(elapsed), TimeSpan.FromSeconds(remaining));
            history.Add(metrics);
            if (Options.StateDirectory is { } dir)
                Save(dir, epoch + 1, model, optimizer, best, weights, history, bestEpoch, bestValidation, stoppedEarly, elapsed);
            hooks.OnEpoch?.Invoke(metrics);
        }
        if (Options.SelectBest && best is not null) Restore(weights, best);
        model.eval();
        return new TrainingOutcome(history, bestEpoch, bestValidation, stoppedEarly, Seconds(), ParameterCount(model));
    }

    /// <summary>A seed for stream <paramref name="stream"/> of <paramref name="epoch"/> (splitmix64 of the three).</summary>
    private static int Mix(int seed, int epoch, int stream)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    private static Tensor[] Snapshot((string Name, Tensor Value)[] weights, Tensor[]? into)
    {
        using var noGrad = no_grad();
        if (into is null) return weights.Select(w => w.Value.detach().clone().DetachFromDisposeScope()).ToArray();
        for (int i = 0; i < weights.Length; i++) into[i].copy_(weights[i].Value);
        return into;
    }

    private static void Restore((string Name, Tensor Value)[] weights, Tensor[] saved)
    {
        using var noGrad = no_grad();
        for (int i = 0; i < weights.Length; i++) weights[i].Value.copy_(saved[i]);
    }

    private sealed record SavedState(int Completed, IReadOnlyList<EpochMetrics> History, int? BestEpoch, double? BestValidation,
        bool StoppedEarly, double Seconds, Tensor[]? Best);

    /// <summary>Writes the state after <paramref name="completed"/> epochs: weights, optimizer and best weights under
    /// names of that epoch, then <c>state.json</c> (atomically: it names the files of the last complete save), then
    /// removes the files of earlier saves.</summary>
    private void Save(string directory, int completed, Module model, IOptimizer optimizer, Tensor[]? best, (string Name, Tensor Value)[] weights,
        IReadOnlyList<EpochMetrics> history, int? bestEpoch, double? bestValidation, bool stoppedEarly, double seconds)
    {
        Directory.CreateDirectory(directory);
        var tag = completed.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        var files = new JsonObject { ["weights"] = $"weights-{tag}.bin", ["optimizer"] = $"optimizer-{tag}.bin" };
        TensorFile.Write(Path.Combine(directory, $"weights-{tag}.bin"), weights);
        optimizer.SaveState(Path.Combine(directory, $"optimizer-{tag}.bin"));
        if (best is not null)
        {
            files["best"] = $"best-{tag}.bin";
            TensorFile.Write(Path.Combine(directory, $"best-{tag}.bin"), weights.Select((w, i) => (w.Name, best[i])).ToArray());
        }
        var state = new JsonObject
        {
            ["run_key"] = Options.RunKey,
            ["options"] = OptionsKey(),
            ["completed_epochs"] = completed,
            ["best_epoch"] = bestEpoch,
            ["best_validation"] = bestValidation,
            ["stopped_early"] = stoppedEarly,
            ["train_seconds"] = seconds,
            ["files"] = files,
            ["history"] = new JsonArray(history.Select(h => (JsonNode)new JsonObject
            {
                ["epoch"] = h.Epoch,
                ["loss"] = h.Loss,
                ["validation"] = h.Validation,
                ["equivariance_error"] = h.EquivarianceError,
                ["elapsed"] = h.Elapsed.TotalSeconds,
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(directory, StateFile), state.ToJsonString());
        var keep = files.Select(f => f.Value!.GetValue<string>()).ToHashSet();
        foreach (var pattern in new[] { "weights-*.bin", "optimizer-*.bin", "best-*.bin" })
            foreach (var file in Directory.EnumerateFiles(directory, pattern))
                if (!keep.Contains(Path.GetFileName(file))) File.Delete(file);
    }

    /// <summary>What must match for a saved state to be resumed (the run key aside).</summary>
    private string OptionsKey() => string.Join(";", Options.Epochs, Options.BatchSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all",
        Options.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Options.Seed, Options.Schedule, Options.SelectBest,
        Options.Patience?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");

    private SavedState Resume(string directory, Module model, IOptimizer optimizer, (string Name, Tensor Value)[] weights)
    {
        var path = Path.Combine(directory, StateFile);
        JsonNode node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"'{path}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a training state ({e.Message}); delete the folder to start the run again.", e);
        }
        var runKey = node["run_key"]?.GetValue<string>();
        var optionsKey = node["options"]?.GetValue<string>();
        if (runKey != Options.RunKey || optionsKey != OptionsKey())
            throw new ArgumentException($"'{directory}' holds the training state of another run ({runKey}; {optionsKey}), not of this one " +
                $"({Options.RunKey}; {OptionsKey()}). Use another folder, or delete it to start again.");
        try
        {
            var files = node["files"]!;
            TensorFile.Read(Path.Combine(directory, files["weights"]!.GetValue<string>()), weights);
            optimizer.LoadState(Path.Combine(directory, files["optimizer"]!.GetValue<string>()));
            Tensor[]? best = null;
            if (files["best"]?.GetValue<string>() is { } bestFile)
            {
                best = Snapshot(weights, null);
                TensorFile.Read(Path.Combine(directory, bestFile), weights.Select((w, i) => (w.Name, best[i])).ToArray());
            }
            int completed = node["completed_epochs"]!.GetValue<int>();
            int total = Options.Epochs;
            var history = node["history"]!.AsArray().Select(h => new EpochMetrics(h!["epoch"]!.GetValue<int>(), total, h["loss"]!.GetValue<double>(),
                h["validation"]?.GetValue<double>(), h["equivariance_error"]?.GetValue<double>(),
                TimeSpan.FromSeconds(h["elapsed"]!.GetValue<double>()), TimeSpan.Zero)).ToArray();
            if (completed < 0 || completed > total || history.Length != completed)
                throw new InvalidDataException($"'{path}' records {completed} completed epochs and {history.Length} history entries for a run of {total}.");
            return new SavedState(completed, history, node["best_epoch"]?.GetValue<int>(), node["best_validation"]?.GetValue<double>(),
                node["stopped_early"]?.GetValue<bool>() ?? false, node["train_seconds"]?.GetValue<double>() ?? 0, best);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or FileNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a complete training state ({e.Message}); delete the folder to start the run again.", e);
        }
    }
}
