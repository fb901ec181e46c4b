using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Channel-wise spatial max pooling (max_pool2d) of permutation fields.</summary>
/// <remarks>
/// <para>Math: out[b, c, i, j] = max over the k×k window at (s·i − p, s·j − p) of in[b, c, ·, ·] (padding
/// counts as −∞).</para>
/// <para>Equivariance: a channel-wise max commutes with permuting channels, so the channel part holds exactly
/// for permutation fields (trivial, regular, quotient; checked on the generators). The spatial part holds
/// exactly for 90° rotations and flips when the windows tile the input symmetrically about its centre, i.e.
/// when (size + 2p − k) is divisible by s on square inputs (k = 3, s = 1, p = 1 on any size; k = s = 2 on even
/// sizes); otherwise the last row or column is dropped on one side only and the symmetry is lost. Out = In.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, In.Size, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1).</para>
/// <para>Reference: escnn <c>PointwiseMaxPool2D</c>.</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(4);
/// var pool = new PointwiseMaxPool(space.Regular(8), kernelSize: 2);   // halves H and W
/// </code></example>
public sealed class PointwiseMaxPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type (permutation fields).</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Window size k.</summary>
    public int KernelSize { get; }
    /// <summary>Stride s.</summary>
    public int Stride { get; }
    /// <summary>Padding p on each side.</summary>
    public int Padding { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type whose fields are all permutation representations.</param>
    /// <param name="kernelSize">window size k ≥ 1.</param>
    /// <param name="stride">stride s ≥ 1; default k.</param>
    /// <param name="padding">padding p, 0 ≤ p ≤ k/2.</param>
    public PointwiseMaxPool(FieldType input, int kernelSize, int? stride = null, int padding = 0) : base(nameof(PointwiseMaxPool))
    {
        FieldLayout.RequirePlane(input, nameof(PointwiseMaxPool), nameof(input));
        FieldLayout.CheckWindow(kernelSize, stride ?? kernelSize, padding, nameof(PointwiseMaxPool));
        // max(Pv) = P max(v) only for permutation matrices P.
        FieldLayout.RequirePermutationFields(input, nameof(PointwiseMaxPool), nameof(input));
        In = input;
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(PointwiseMaxPool));
        return functional.max_pool2d(input, new long[] { KernelSize, KernelSize }, new long[] { Stride, Stride }, new long[] { Padding, Padding });
    }

    /// <inheritdoc />
    public override string ToString() => $"PointwiseMaxPool([{In.Description}], k={KernelSize}, s={Stride}, p={Padding})";
}
