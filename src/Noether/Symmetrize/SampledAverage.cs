using static TorchSharp.torch;

namespace Noether.Symmetrize;

/// <summary>What the Monte Carlo averaging modules (<see cref="SetAveraging"/>, <see cref="GraphAveraging"/>,
/// <see cref="TransformAveraging"/>) share: the bound on the number of samples and the mean over the K copies a
/// batch was stacked into.</summary>
internal static class SampledAverage
{
    /// <summary>The most samples per call (each is a forward pass over the whole batch).</summary>
    public const int MaxSamples = 1024;

    /// <summary><paramref name="samples"/>, or <see cref="ArgumentOutOfRangeException"/> outside 1..<see cref="MaxSamples"/>.</summary>
    public static int Check(int samples, string name) =>
        samples is >= 1 and <= MaxSamples ? samples
            : throw new ArgumentOutOfRangeException(name, samples, $"Samples must be between 1 and {MaxSamples}.");

    /// <summary>The mean over the first axis of <paramref name="stacked"/> seen as (<paramref name="samples"/>,
    /// <paramref name="batch"/>, …): the average of the model over the K transformed copies of a batch.</summary>
    public static Tensor Mean(Tensor stacked, int samples, long batch) =>
        stacked.reshape(new[] { (long)samples, batch }.Concat(stacked.shape.Skip(1)).ToArray()).mean(new long[] { 0 });
}
