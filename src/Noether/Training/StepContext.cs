using TorchSharp;

namespace Noether.Training;

/// <summary>What a training step may use besides its batch: the epoch and the run's random sources for that epoch.</summary>
/// <remarks>Both sources are derived from the run's seed and the epoch alone, so a run resumed at any epoch draws the
/// same numbers as one that never stopped. Every random choice a step makes (augmentation, a random group element)
/// must come from them.</remarks>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Random">a .NET generator for this epoch.</param>
/// <param name="Generator">a TorchSharp generator for this epoch (for <c>rand</c>, <c>randperm</c> …).</param>
public sealed record StepContext(int Epoch, Random Random, torch.Generator Generator);
