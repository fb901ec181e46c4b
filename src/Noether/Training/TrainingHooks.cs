using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>What a task adds to the <see cref="Trainer"/>'s loop: a validation metric, the per-epoch equivariance
/// metric, and a progress callback. Each runs after an epoch with the model in eval mode and gradients off.</summary>
public sealed record TrainingHooks
{
    /// <summary>The validation metric of the model (lower is better); drives <see cref="TrainerOptions.SelectBest"/> and
    /// <see cref="TrainerOptions.Patience"/>.</summary>
    public Func<Module, double>? Validate { get; init; }

    /// <summary>The model's equivariance error on a small fixed probe (the training-time symmetry metric), so a model
    /// that loses its symmetry while training is noticed.</summary>
    public Func<Module, double>? EquivarianceError { get; init; }

    /// <summary>Called after each epoch (and after the checkpoint of that epoch is written).</summary>
    public Action<EpochMetrics>? OnEpoch { get; init; }
}
