namespace Noether.Training;

/// <summary>How the <see cref="Trainer"/> runs: epochs, mini-batches, the optimizer and its learning rate and schedule,
/// best-validation selection, early stopping, and where it keeps the state that lets a run resume.</summary>
/// <param name="Epochs">passes over the training set (1 to <see cref="MaxEpochs"/>).</param>
/// <param name="BatchSize">examples per step, or null for the whole training set in one step (then it is not shuffled).</param>
/// <param name="LearningRate">the optimizer's step size (finite, &gt; 0), at the start of the schedule.</param>
/// <param name="Seed">seed of the order of the examples and of every random choice of the steps (<see cref="StepContext"/>).</param>
public sealed record TrainerOptions(int Epochs, int? BatchSize, double LearningRate, int Seed)
{
    /// <summary>The most epochs a run may have.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Makes the optimizer (default TorchSharp's Adam).</summary>
    public OptimizerFactory Optimizer { get; init; } = Optimizers.Adam();

    /// <summary>How the learning rate changes over the epochs (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Keep the weights of the epoch with the lowest validation metric and restore them at the end (needs
    /// <see cref="TrainingHooks.Validate"/>).</summary>
    public bool SelectBest { get; init; }

    /// <summary>Stop when the validation metric has not improved for this many epochs (needs
    /// <see cref="TrainingHooks.Validate"/>); null runs every epoch.</summary>
    public int? Patience { get; init; }

    /// <summary>A folder where the trainer keeps the state of the run after every epoch (weights, optimizer, best
    /// weights, history), written atomically; a run started with a folder that holds the state of the same run
    /// resumes after its last completed epoch and ends with the same weights as one that never stopped. Null keeps nothing.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>The run's strategy. The trainer applies one itself: under <c>augment</c> every batch goes through the
    /// task's declared <see cref="Symmetrize.Augmentation{TBatch}"/> (the typed <see cref="Trainer.Fit{TBatch}"/>); the
    /// others shape the model the task builds (averaging, frames, canonicalization).</summary>
    public Strategy Strategy { get; init; }

    /// <summary>What identifies the run for <see cref="StateDirectory"/> (e.g. task, model, strategy, size, options): a
    /// saved state of another run is refused rather than resumed.</summary>
    public string RunKey { get; init; } = "";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Epochs is < 1 or > MaxEpochs) throw new ArgumentException($"Epochs must be between 1 and {MaxEpochs:N0}; got {Epochs}.", nameof(Epochs));
        if (BatchSize is < 1) throw new ArgumentException($"Batch size must be ≥ 1; got {BatchSize}.", nameof(BatchSize));
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) throw new ArgumentException($"Learning rate must be a finite positive number; got {LearningRate}.", nameof(LearningRate));
        if (Patience is < 1) throw new ArgumentException($"Patience must be ≥ 1 epoch; got {Patience}.", nameof(Patience));
        ArgumentNullException.ThrowIfNull(Optimizer, nameof(Optimizer));
        ArgumentNullException.ThrowIfNull(RunKey, nameof(RunKey));
    }

    /// <summary>The learning rate of 0-based <paramref name="epoch"/> under <see cref="Schedule"/>.</summary>
    public double LearningRateAt(int epoch) => Schedule switch
    {
        LearningRateSchedule.Cosine => LearningRate * (1 + Math.Cos(Math.PI * epoch / Epochs)) / 2,
        _ => LearningRate,
    };
}
