namespace Noether.Training;

/// <summary>What <see cref="Trainer.Fit"/> did.</summary>
/// <param name="History">one entry per epoch, in order (those of earlier parts of a resumed run included).</param>
/// <param name="BestEpoch">0-based epoch of the lowest validation metric, or null without validation.</param>
/// <param name="BestValidation">that metric, or null.</param>
/// <param name="StoppedEarly">true when <see cref="TrainerOptions.Patience"/> ended the run before its last epoch.</param>
/// <param name="TrainSeconds">wall-clock time of the loop (steps and per-epoch hooks), summed over the parts of a resumed run.</param>
/// <param name="Parameters">the model's trainable parameters (<see cref="Trainer.ParameterCount"/>).</param>
public sealed record TrainingOutcome(IReadOnlyList<EpochMetrics> History, int? BestEpoch, double? BestValidation, bool StoppedEarly,
    double TrainSeconds, long Parameters)
{
    /// <summary>Mean training loss of the last epoch run.</summary>
    public double FinalLoss => History.Count > 0 ? History[^1].Loss : double.NaN;
}
