namespace Noether.Training;

/// <summary>The state of a run after one epoch, as the <see cref="Trainer"/> reports it.</summary>
/// <param name="Epoch">0-based epoch (shown to people as <c>Epoch + 1</c> of <paramref name="Epochs"/>).</param>
/// <param name="Epochs">epochs in the run.</param>
/// <param name="Loss">mean training loss of the epoch.</param>
/// <param name="Validation">the validation metric after the epoch (lower is better), or null where the run has none.</param>
/// <param name="EquivarianceError">the model's equivariance error after the epoch on a fixed probe, or null where not measured.</param>
/// <param name="Elapsed">time since the run started (including earlier parts of a resumed run).</param>
/// <param name="Remaining">estimated time to the last epoch, from the mean epoch time so far.</param>
public sealed record EpochMetrics(int Epoch, int Epochs, double Loss, double? Validation, double? EquivarianceError,
    TimeSpan Elapsed, TimeSpan Remaining);
