using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>The image classifiers <c>noether train</c> builds for the rotated image tasks.</summary>
/// <remarks>
/// <c>cnn</c>: <see cref="PlainCnn"/>, widths chosen so its parameter count is close to the equivariant models'.
/// </remarks>
public static class ImageModels
{
    /// <summary>The model names, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "cnn" };

    /// <summary>Builds model <paramref name="name"/> for 1-channel images and <paramref name="classes"/> classes,
    /// with weights drawn from <paramref name="seed"/>.</summary>
    public static Module<Tensor, Tensor> Create(string name, int classes, long seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        Runtime.TorchRuntime.Seed(seed);
        return name switch
        {
            "cnn" => new PlainCnn(1, new[] { 24, 32, 48, 48, 64 }, classes),
            _ => throw new ArgumentException($"Unknown image model '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
