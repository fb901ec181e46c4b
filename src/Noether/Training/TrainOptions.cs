namespace Noether.Training;

/// <summary>How to train: epochs, mini-batch size, Adam learning rate, and the seed of every random
/// choice the trainer makes (shuffling, augmentation).</summary>
/// <param name="Epochs">passes over the training set (≥ 1).</param>
/// <param name="BatchSize">examples per step (≥ 1).</param>
/// <param name="LearningRate">Adam's step size (&gt; 0).</param>
/// <param name="Seed">seed of the trainer's generator.</param>
public sealed record TrainOptions(int Epochs = 50, int BatchSize = 32, double LearningRate = 3e-3, int Seed = 0)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be ≥ 1; got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be ≥ 1; got {BatchSize}.", nameof(BatchSize));
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Learning rate must be positive; got {LearningRate}.", nameof(LearningRate));
    }
}
