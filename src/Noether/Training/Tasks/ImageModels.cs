using Noether.Equivariance;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>The image classifiers <c>noether train</c> builds for the rotated image tasks.</summary>
/// <remarks>
/// All share one layout (five conv blocks, two blur-pool downsamplings, global average, linear), with
/// widths chosen for comparable parameter counts (about 130k–195k):
/// <c>cnn</c> plain convolutions (24, 32, 48, 48, 64 channels; 194k);
/// <c>p4cnn</c> C4 regular fields, the p4 G-CNN of Cohen &amp; Welling (12, 20, 28, 32, 40 fields; 180k);
/// <c>c8</c> C8 regular fields (8, 12, 16, 24, 32; 174k); <c>c16</c> C16 regular fields (6, 8, 12, 16, 20; 158k);
/// <c>d8</c> D8 regular fields, rotations and reflections (6, 8, 12, 16, 20; 158k);
/// <c>so2</c> SO(2) irreps up to frequency 3 with norm nonlinearities (10, 14, 20, 24, 32 copies; 134k);
/// <c>c8-small</c> the lighter 4-block C8 network shaped like e2cnn's reference (8, 16, 32, 32 regular fields,
/// kernels 7, 5, 5, 3, blur-pool after the first two blocks; 127k) — about twice as fast per step as <c>c8</c>.
/// See <see cref="SteerableCnn"/>.
/// </remarks>
public static class ImageModels
{
    /// <summary>The model names, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "cnn", "p4cnn", "c8", "c16", "d8", "so2", "c8-small" };

    /// <summary>Builds model <paramref name="name"/> for 1-channel images and <paramref name="classes"/> classes,
    /// with weights drawn from <paramref name="seed"/>.</summary>
    public static Module<Tensor, Tensor> Create(string name, int classes, long seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        Runtime.TorchRuntime.Seed(seed);
        return name switch
        {
            "cnn" => new PlainCnn(1, new[] { 24, 32, 48, 48, 64 }, classes),
            "p4cnn" => new SteerableCnn(GSpace2D.Rotations(4), new[] { 12, 20, 28, 32, 40 }, classes, seed: seed),
            "c8" => new SteerableCnn(GSpace2D.Rotations(8), new[] { 8, 12, 16, 24, 32 }, classes, seed: seed),
            "c16" => new SteerableCnn(GSpace2D.Rotations(16), new[] { 6, 8, 12, 16, 20 }, classes, seed: seed),
            "d8" => new SteerableCnn(GSpace2D.FlipsRotations(8), new[] { 6, 8, 12, 16, 20 }, classes, seed: seed),
            "c8-small" => new SteerableCnn(GSpace2D.Rotations(8), new[] { 8, 16, 32, 32 }, classes, seed: seed,
                kernels: new[] { 7, 5, 5, 3 }, poolAfter: new[] { 0, 1 }),
            "so2" => new SteerableCnn(GSpace2D.ContinuousRotations(3), new[] { 10, 14, 20, 24, 32 }, classes, seed: seed),
            _ => throw new ArgumentException($"Unknown image model '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
