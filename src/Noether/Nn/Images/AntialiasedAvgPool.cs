using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Anti-aliased average pooling: a Gaussian blur of every channel followed by striding (a depthwise
/// strided convolution with a normalised Gaussian filter).</summary>
/// <remarks>
/// <para>Math: K(u, v) ∝ exp(−(u² + v²)/(2σ²)) on a (2·round(3σ) + 1)² grid centred at 0, ΣK = 1;
/// out[b, c] = conv2d(in[b, c], K, stride s, zero padding p), p defaulting to the filter radius (same size
/// at s = 1).</para>
/// <para>Equivariance: K is invariant under 90° rotations and flips and acts on each channel alike, so it
/// commutes with every ρ(g): any field type is allowed. On square inputs the strided grid is symmetric about
/// the centre, hence exact, when (size + 2p − filter) is divisible by s (with the default p: size − 1
/// divisible by s, e.g. odd sizes at s = 2). Blurring before subsampling also makes the layer nearly
/// equivariant to shifts (Zhang 2019). Out = In.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, In.Size, ⌊(H + 2p − f)/s⌋ + 1, …), f the filter size.</para>
/// <para>Reference: escnn <c>PointwiseAvgPoolAntialiased2D</c>; Zhang 2019, "Making Convolutional Networks
/// Shift-Invariant Again".</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(8);
/// var pool = new AntialiasedAvgPool(space.Regular(8), sigma: 0.66, stride: 2);
/// </code></example>
public sealed class AntialiasedAvgPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type.</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Standard deviation σ of the Gaussian, in pixels.</summary>
    public double Sigma { get; }
    /// <summary>Filter size f = 2·round(3σ) + 1.</summary>
    public int FilterSize { get; }
    /// <summary>Stride s.</summary>
    public int Stride { get; }
    /// <summary>Zero padding p on each side.</summary>
    public int Padding { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">any field type of a 2D gspace.</param>
    /// <param name="sigma">σ &gt; 0 in pixels.</param>
    /// <param name="stride">stride s ≥ 1.</param>
    /// <param name="padding">zero padding p, 0 ≤ p ≤ f/2; default f/2 (the filter radius).</param>
    public AntialiasedAvgPool(FieldType input, double sigma, int stride, int? padding = null) : base(nameof(AntialiasedAvgPool))
    {
        FieldLayout.RequirePlane(input, nameof(AntialiasedAvgPool), nameof(input));
        if (!(sigma > 0) || double.IsInfinity(sigma))
            throw new ArgumentException($"AntialiasedAvgPool: sigma must be a positive number of pixels; got {sigma}.", nameof(sigma));
        // escnn's size: 2·round(3σ) + 1 (Python rounds half to even, as Math.Round does by default).
        int size = 2 * (int)Math.Round(3 * sigma) + 1;
        FieldLayout.CheckWindow(size, stride, padding ?? size / 2, nameof(AntialiasedAvgPool));
        In = input;
        Sigma = sigma;
        FilterSize = size;
        Stride = stride;
        Padding = padding ?? size / 2;

        // The weights depend on u² + v² only, so the filter is exactly symmetric under the lattice's rotations and flips.
        var filter = new double[size, size];
        double centre = (size - 1) / 2.0, total = 0;
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
                total += filter[i, j] = Math.Exp(-((i - centre) * (i - centre) + (j - centre) * (j - centre)) / (2 * sigma * sigma));
        var normalised = new float[size * size];
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++) normalised[i * size + j] = (float)(filter[i, j] / total);
        using var scope = NewDisposeScope();
        var weight = tensor(normalised, new long[] { 1, 1, size, size }).expand(input.Size, 1, size, size).contiguous();
        register_buffer("filter", weight.DetachFromDisposeScope(), persistent: false);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(AntialiasedAvgPool));
        using var scope = NewDisposeScope();
        var filter = get_buffer("filter")!.to(input.dtype);
        return functional.conv2d(input, filter, null, new long[] { Stride, Stride }, new long[] { Padding, Padding }, groups: In.Size)
            .MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"AntialiasedAvgPool([{In.Description}], σ={Sigma}, s={Stride}, p={Padding})";
}
