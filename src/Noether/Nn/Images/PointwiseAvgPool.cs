using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Channel-wise spatial average pooling (avg_pool2d) of any fields.</summary>
/// <remarks>
/// <para>Math: out[b, c, i, j] = mean over the k×k window at (s·i − p, s·j − p) of in[b, c, ·, ·] (zero
/// padding, counted in the mean as avg_pool2d does by default).</para>
/// <para>Equivariance: averaging is linear and acts on each channel alike, so it commutes with any ρ(g)
/// mixing the channels of a field: every field type is allowed. The spatial part holds exactly for 90°
/// rotations and flips when (size + 2p − k) is divisible by s on square inputs (the windows then tile the
/// input symmetrically); otherwise it is lost at the border. For aliasing-free downsampling use
/// <see cref="AntialiasedAvgPool"/>. Out = In.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, In.Size, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1).</para>
/// <para>Reference: escnn <c>PointwiseAvgPool2D</c>.</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.FlipsRotations(4);
/// var pool = new PointwiseAvgPool(space.Irrep("E1", 4), kernelSize: 2);
/// </code></example>
public sealed class PointwiseAvgPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type.</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Window size k.</summary>
    public int KernelSize { get; }
    /// <summary>Stride s.</summary>
    public int Stride { get; }
    /// <summary>Zero padding p on each side.</summary>
    public int Padding { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">any field type of a 2D gspace.</param>
    /// <param name="kernelSize">window size k ≥ 1.</param>
    /// <param name="stride">stride s ≥ 1; default k.</param>
    /// <param name="padding">zero padding p, 0 ≤ p ≤ k/2.</param>
    public PointwiseAvgPool(FieldType input, int kernelSize, int? stride = null, int padding = 0) : base(nameof(PointwiseAvgPool))
    {
        FieldLayout.RequirePlane(input, nameof(PointwiseAvgPool), nameof(input));
        FieldLayout.CheckWindow(kernelSize, stride ?? kernelSize, padding, nameof(PointwiseAvgPool));
        In = input;
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(PointwiseAvgPool));
        return functional.avg_pool2d(input, new long[] { KernelSize, KernelSize }, new long[] { Stride, Stride }, new long[] { Padding, Padding });
    }

    /// <inheritdoc />
    public override string ToString() => $"PointwiseAvgPool([{In.Description}], k={KernelSize}, s={Stride}, p={Padding})";
}
