using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>The plain CNN baseline for 28×28 images: the same layout as the equivariant image models
/// (conv blocks, blur-and-average pooling, global average pooling, a linear classifier), with ordinary
/// convolutions and no symmetry of its own beyond translations.</summary>
/// <remarks>
/// Layout: [conv k×k → BN → ReLU] ×2 → pool /2 → [conv → BN → ReLU] ×2 → pool /2 → conv → BN → ReLU →
/// global average → linear. Pooling is a fixed 3×3 Gaussian blur followed by 2×2 average pooling (an
/// antialiased downsampling that, on even sizes, commutes exactly with 90° rotations). Shapes: input
/// (batch, channels, height, width) → logits (batch, classes).
/// </remarks>
/// <example><code>var cnn = new PlainCnn(inputChannels: 1, widths: new[] { 24, 32, 48, 48, 64 }, classes: 10);</code></example>
public sealed class PlainCnn : Module<Tensor, Tensor>, ILayerSequence
{
    private readonly Sequential _features;
    private readonly Linear _classifier;

    /// <summary>Creates the network.</summary>
    /// <param name="inputChannels">image channels (1 for MNIST).</param>
    /// <param name="widths">the 5 conv widths.</param>
    /// <param name="classes">output classes.</param>
    /// <param name="kernelSize">odd conv kernel size.</param>
    public PlainCnn(int inputChannels, IReadOnlyList<int> widths, int classes, int kernelSize = 5) : base(nameof(PlainCnn))
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Count != 5 || widths.Any(w => w < 1))
            throw new ArgumentException($"PlainCnn needs 5 positive widths; got [{string.Join(", ", widths)}].", nameof(widths));
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentException($"Kernel size must be odd; got {kernelSize}.", nameof(kernelSize));
        if (inputChannels < 1 || classes < 2) throw new ArgumentException("Need ≥ 1 input channel and ≥ 2 classes.");
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        int channels = inputChannels;
        for (int i = 0; i < 5; i++)
        {
            layers.Add(($"conv{i}", Conv2d(channels, widths[i], kernelSize, padding: kernelSize / 2, bias: false)));
            layers.Add(($"bn{i}", BatchNorm2d(widths[i])));
            layers.Add(($"relu{i}", ReLU()));
            channels = widths[i];
            if (i is 1 or 3) layers.Add(($"pool{i}", new BlurPool(widths[i])));
        }
        _features = Sequential(layers);
        _layers = layers;
        _classifier = Linear(channels, classes);
        RegisterComponents();
    }

    private readonly IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> _layers;

    /// <summary>The feature layers in order (before the global average and the classifier), for per-layer diagnostics.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> Layers => _layers;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4) throw new ArgumentException($"Expected (batch, channels, height, width); got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var features = _features.forward(input).mean(new long[] { 2, 3 });
        return _classifier.forward(features).MoveToOuterDisposeScope();
    }
}
