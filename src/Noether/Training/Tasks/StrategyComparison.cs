using Noether.Data;
using Noether.Equivariance;
using Noether.Nn.Common;
using Noether.Runtime;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>What a comparison runs: strategies × training-set sizes × seeds, on one task.</summary>
/// <param name="Strategies">any of <c>none</c> (plain MLP), <c>augment</c> (random group elements on each
/// batch), <c>symmetrize</c> (the MLP averaged over the group: exactly invariant).</param>
/// <param name="Sizes">training-set sizes.</param>
/// <param name="Seeds">runs per (strategy, size), seeds 0..Seeds−1.</param>
/// <param name="TestSize">test examples (one fixed test set).</param>
/// <param name="Steps">optimizer steps per run (epochs follow from the size and batch).</param>
/// <param name="Hidden">hidden widths of the MLP.</param>
public sealed record StrategyComparisonOptions(
    IReadOnlyList<string> Strategies, IReadOnlyList<int> Sizes, int Seeds = 3, int TestSize = 2000, int Steps = 400,
    IReadOnlyList<int>? Hidden = null)
{
    /// <summary>The strategies this comparison knows.</summary>
    public static readonly IReadOnlyList<string> KnownStrategies = new[] { "none", "augment", "symmetrize" };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        foreach (var s in Strategies)
            if (!KnownStrategies.Contains(s))
                throw new ArgumentException($"Unknown strategy '{s}'; known: {string.Join(", ", KnownStrategies)}.", nameof(Strategies));
        if (Strategies.Count == 0) throw new ArgumentException("At least one strategy is needed.", nameof(Strategies));
        if (Sizes.Count == 0 || Sizes.Any(s => s < 1)) throw new ArgumentException($"Sizes must be positive; got [{string.Join(", ", Sizes)}].", nameof(Sizes));
        if (Seeds < 1) throw new ArgumentException($"Seeds must be ≥ 1; got {Seeds}.", nameof(Seeds));
        if (TestSize < 1) throw new ArgumentException($"Test size must be ≥ 1; got {TestSize}.", nameof(TestSize));
        if (Steps < 1) throw new ArgumentException($"Steps must be ≥ 1; got {Steps}.", nameof(Steps));
    }
}

/// <summary>Trains the same model under each symmetry strategy at each training-set size and seed,
/// and measures test accuracy and the invariance error of each trained model.</summary>
/// <remarks>The invariance error is <see cref="EquivarianceCheck"/>'s mean relative error of the predicted
/// class probabilities over every group element, on 256 test inputs.</remarks>
public static class StrategyComparison
{
    private const int BatchSize = 32;

    /// <summary>Trains one MLP on <paramref name="train"/> with <paramref name="strategy"/> and measures it.</summary>
    /// <param name="task">the task.</param>
    /// <param name="strategy">none, augment or symmetrize.</param>
    /// <param name="train">the training set.</param>
    /// <param name="test">the test set.</param>
    /// <param name="probe">test inputs for the invariance check.</param>
    /// <param name="hidden">hidden widths.</param>
    /// <param name="epochs">training epochs.</param>
    /// <param name="seed">the run's seed (weights, shuffling, augmentation).</param>
    /// <param name="augmentation">the random group action used by <c>augment</c> (null: made here).</param>
    /// <param name="onEpoch">progress after each epoch.</param>
    /// <param name="stateDirectory">where the trainer keeps the run's state (<see cref="TrainerOptions.StateDirectory"/>), or null.</param>
    /// <param name="runKey">what identifies the run for <paramref name="stateDirectory"/>.</param>
    /// <returns>the run's result and its trained model (the caller owns and disposes it).</returns>
    public static (RunResult Result, Module<Tensor, Tensor> Model) RunOne(RingPatterns task, string strategy, LabeledSet train, LabeledSet test, Tensor probe,
        IReadOnlyList<int> hidden, int epochs, int seed, RandomGroupAction? augmentation = null, Action<EpochMetrics>? onEpoch = null,
        string? stateDirectory = null, string runKey = "")
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (!StrategyComparisonOptions.KnownStrategies.Contains(strategy))
            throw new ArgumentException($"Unknown strategy '{strategy}' for {task.GetType().Name}; known: {string.Join(", ", StrategyComparisonOptions.KnownStrategies)}.", nameof(strategy));
        var representation = task.InputRepresentation;
        // The task's augmentation (random elements of its finite group on the inputs); the trainer applies it under augment.
        using var ownAugmentation = augmentation is null ? new RandomGroupAction(representation) : null;
        // Same initial weights for every strategy at a given (size, seed).
        TorchRuntime.Seed(7919L * seed + train.Count);
        var mlp = new Mlp(task.Sites, hidden, task.Classes); // owned (and disposed) by model
        var model = strategy == "symmetrize" ? (Module<Tensor, Tensor>)new GroupAveraging(mlp, representation) : mlp;
        var trainer = new Trainer(new TrainerOptions(epochs, BatchSize, 3e-3, seed) { StateDirectory = stateDirectory, RunKey = runKey, Strategy = strategy });
        var outcome = trainer.Fit(model, train.Count, index => (X: train.Inputs.index_select(0, index), Y: train.Labels.index_select(0, index)),
            (batch, _) => functional.cross_entropy(model.forward(batch.X), batch.Y), Augmentations.FiniteGroup(augmentation ?? ownAugmentation!),
            new TrainingHooks { OnEpoch = onEpoch });
        double accuracy = Metrics.Accuracy(model, test);
        var report = EquivarianceCheck.Invariance(x => functional.softmax(model.forward(x), 1), new RepresentationAction(representation), probe,
            samples: task.Group.Order!.Value, seed: seed);
        return (new RunResult("ring-patterns", "mlp", strategy, train.Count, epochs, seed, "accuracy", accuracy,
            report.MeanRelativeError, outcome.Parameters, outcome.TrainSeconds), model);
    }

    /// <summary>Runs the comparison on the ring-pattern task.</summary>
    /// <param name="task">the task (its group acts on inputs by <see cref="RingPatterns.InputRepresentation"/>).</param>
    /// <param name="options">what to run.</param>
    /// <param name="progress">called after each run.</param>
    public static IReadOnlyList<RunResult> Run(RingPatterns task, StrategyComparisonOptions options, Action<RunResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var hidden = options.Hidden ?? new[] { 64, 64 };
        var results = new List<RunResult>();
        using var test = task.Sample(options.TestSize, seed: 1_000_000);
        using var probe = new LabeledSet(test.Inputs.narrow(0, 0, Math.Min(256, test.Count)).clone(), test.Labels.narrow(0, 0, Math.Min(256, test.Count)).clone());
        using var augmentation = new RandomGroupAction(task.InputRepresentation);
        foreach (var size in options.Sizes)
        {
            foreach (var seed in Enumerable.Range(0, options.Seeds))
            {
                using var train = task.Sample(size, seed: 1000 * seed + size);
                int batchesPerEpoch = (size + BatchSize - 1) / BatchSize;
                int epochs = Math.Max(1, (options.Steps + batchesPerEpoch - 1) / batchesPerEpoch);
                foreach (var strategy in options.Strategies)
                {
                    var (result, model) = RunOne(task, strategy, train, test, probe.Inputs, hidden, epochs, seed, augmentation);
                    model.Dispose();
                    results.Add(result);
                    progress?.Invoke(result);
                }
            }
        }
        return results;
    }
}
