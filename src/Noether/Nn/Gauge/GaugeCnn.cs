using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>The baseline: a plain 2D CNN on the real and imaginary parts of the link matrices, with
/// periodic (circular) padding; translation equivariant but not gauge equivariant.</summary>
/// <remarks>Input channels: d · N · N · 2 (direction, matrix entry, real/imaginary part). Hidden layers are
/// 3×3 convolutions with ReLU; the last is a 1×1 convolution to the per-site outputs.
/// Shapes: links (batch, 2, L_1, L_2, N, N) complex → (batch, outputs, L_1, L_2) real.</remarks>
/// <example><code>var cnn = new GaugeCnn(GaugeGroup.SU2, new[] { 32, 32 }, outputs: 5);</code></example>
public sealed class GaugeCnn : Module<Tensor, Tensor>
{
    private readonly Sequential body;

    /// <summary>Creates the CNN.</summary>
    /// <param name="group">U(1) or SU(2).</param>
    /// <param name="hiddenChannels">channels of each 3×3 layer (at least one).</param>
    /// <param name="outputs">per-site outputs.</param>
    /// <param name="seed">seed of the initial weights.</param>
    public GaugeCnn(GaugeGroup group, int[] hiddenChannels, int outputs, long seed = 0) : base(nameof(GaugeCnn))
    {
        ArgumentNullException.ThrowIfNull(hiddenChannels);
        if (hiddenChannels.Length < 1 || hiddenChannels.Any(c => c < 1) || outputs < 1)
            throw new ArgumentException($"Need ≥ 1 hidden layer of ≥ 1 channel and ≥ 1 output; got [{string.Join(", ", hiddenChannels)}] → {outputs}.", nameof(hiddenChannels));
        Group = group;
        int n = group.MatrixSize();
        InputChannels = 2 * n * n * 2;
        // The Conv2d initialisers draw from the global generator: seeded for them alone, then put back.
        body = Runtime.TorchRuntime.WithSeed(seed, () =>
        {
            var layers = new List<(string, Module<Tensor, Tensor>)>();
            int c = InputChannels;
            for (int i = 0; i < hiddenChannels.Length; i++)
            {
                layers.Add(($"conv{i}", Conv2d(c, hiddenChannels[i], 3, padding: 1, padding_mode: PaddingModes.Circular)));
                layers.Add(($"relu{i}", ReLU()));
                c = hiddenChannels[i];
            }
            layers.Add(("out", Conv2d(c, outputs, 1)));
            return Sequential(layers);
        });
        RegisterComponents();
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>d · N · N · 2 = 2 · N² · 2 input channels.</summary>
    public int InputChannels { get; }

    /// <summary>The link components as image channels: (batch, 2, L_1, L_2, N, N) complex → (batch, 2·N²·2, L_1, L_2).</summary>
    public static Tensor Components(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        using var scope = NewDisposeScope();
        var r = view_as_real(links.resolve_conj()); // (batch, 2, L1, L2, N, N, 2)
        var moved = r.permute(0, 1, 4, 5, 6, 2, 3);
        return moved.reshape(links.shape[0], -1, links.shape[2], links.shape[3]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor links)
    {
        GaugeLinks.Validate(links);
        if (GaugeLinks.Dimensions(links) != 2 || GaugeLinks.Group(links) != Group)
            throw new ArgumentException($"GaugeCnn expects 2D {Group.Name()} links (batch, 2, L_1, L_2, {Group.MatrixSize()}, {Group.MatrixSize()}); got [{string.Join(", ", links.shape)}].", nameof(links));
        using var scope = NewDisposeScope();
        var dtype = body.parameters().First().dtype;
        return body.forward(Components(links).to_type(dtype)).MoveToOuterDisposeScope();
    }
}
