using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Norm max pooling: in each window, each field keeps its whole vector from the pixel where that
/// field's norm is largest.</summary>
/// <remarks>
/// <para>Math: for field f and output pixel (i, j), p* = argmax over the k×k window W_ij of ‖x_f(p)‖ and
/// out_f(i, j) = x_f(p*) (padding never wins).</para>
/// <para>Equivariance: ‖ρ(g)x_f‖ = ‖x_f‖ for orthogonal ρ, so the winning pixel does not depend on the channel
/// action and out_f = ρ(g)x_f(p*) transforms like the input: any orthogonal field type (irreps of SO(2), O(2),
/// C_N, D_N, …). The spatial part is exact for 90° rotations and flips under the same condition as
/// <see cref="PointwiseMaxPool"/> ((size + 2p − k) divisible by s on square inputs), barring exact ties of
/// norms between different vectors. Out = In.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, In.Size, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1).</para>
/// <para>Reference: escnn <c>NormMaxPool</c>.</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.ContinuousRotations(maximumFrequency: 2);
/// var pool = new NormMaxPool(space.Irrep("E1", 4), kernelSize: 2);
/// </code></example>
public sealed class NormMaxPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type.</summary>
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
    /// <param name="input">field type with orthogonal fields.</param>
    /// <param name="kernelSize">window size k ≥ 1.</param>
    /// <param name="stride">stride s ≥ 1; default k.</param>
    /// <param name="padding">padding p, 0 ≤ p ≤ k/2.</param>
    public NormMaxPool(FieldType input, int kernelSize, int? stride = null, int padding = 0) : base(nameof(NormMaxPool))
    {
        FieldLayout.RequirePlane(input, nameof(NormMaxPool), nameof(input));
        FieldLayout.CheckWindow(kernelSize, stride ?? kernelSize, padding, nameof(NormMaxPool));
        FieldLayout.RequireOrthogonalFields(input, nameof(NormMaxPool), nameof(input));
        In = input;
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        register_buffer("field_of", tensor(FieldLayout.FieldOfChannel(input)).DetachFromDisposeScope(), persistent: false);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(NormMaxPool));
        using var scope = NewDisposeScope();
        var fieldOf = get_buffer("field_of")!;
        long b = input.shape[0], h = input.shape[2], w = input.shape[3], fields = In.Representations.Count;
        Tensor indices;
        using (no_grad())
        {
            // The squared norm has the same argmax as the norm and needs no square root.
            var squared = zeros(new[] { b, fields, h, w }, dtype: input.dtype, device: input.device).index_add(1, fieldOf, input.square(), 1);
            (_, indices) = functional.max_pool2d_with_indices(squared, new long[] { KernelSize, KernelSize },
                new long[] { Stride, Stride }, new long[] { Padding, Padding });
        }
        // indices: (batch, fields, H', W'), flat positions in H·W; every channel of a field reads the same pixel.
        var perChannel = indices.index_select(1, fieldOf);
        var output = input.flatten(2).gather(2, perChannel.flatten(2)).view(perChannel.shape);
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"NormMaxPool([{In.Description}], k={KernelSize}, s={Stride}, p={Padding})";
}
