namespace Noether.Training;

/// <summary>One training run, with the fields of DESIGN.md's <c>train</c> contract.</summary>
/// <param name="Task">the task name.</param>
/// <param name="Model">the model name.</param>
/// <param name="Strategy">none, augment, symmetrize, frame-average or canonicalize.</param>
/// <param name="TrainSize">training examples.</param>
/// <param name="Epochs">training epochs.</param>
/// <param name="Seed">the run's seed.</param>
/// <param name="Metric">what <paramref name="Test"/> measures (e.g. accuracy).</param>
/// <param name="Test">the metric on the test set.</param>
/// <param name="EquivarianceError">the mean relative equivariance error on test inputs.</param>
/// <param name="Params">trainable parameters.</param>
/// <param name="TrainSeconds">wall-clock training time.</param>
public sealed record RunResult(string Task, string Model, string Strategy, int TrainSize, int Epochs, int Seed,
    string Metric, double Test, double EquivarianceError, long Params, double TrainSeconds);
