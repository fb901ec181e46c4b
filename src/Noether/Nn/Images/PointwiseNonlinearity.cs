using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>An elementwise nonlinearity σ applied to every channel: out[b, c, y, x] = σ(in[b, c, y, x]).</summary>
/// <remarks>
/// <para>Equivariance: σ commutes with permutation matrices, σ(P v) = P σ(v), so the layer is equivariant
/// exactly when every field's ρ(g) permutes its channels: trivial, regular and quotient fields (G-CNN
/// feature maps). The constructor checks this numerically on the group's generators for every field
/// and rejects anything else (an irrep such as E1 mixes channels by rotation matrices; use
/// <see cref="NormNonlinearity"/> or <see cref="GatedNonlinearity"/> for those). Out = In. It also
/// commutes with the spatial part of the action, since it acts pixel by pixel.</para>
/// <para>Shapes: input (batch, In.Size, height, width) → output of the same shape.</para>
/// <para>Reference: escnn <c>PointwiseNonLinearity</c> / <c>ReLU</c>, <c>ELU</c> (Weiler &amp; Cesa 2019).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(8);
/// var relu = new PointwiseNonlinearity(space.Regular(16), PointwiseFunction.ReLU);
/// </code></example>
public sealed class PointwiseNonlinearity : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly Func<Tensor, Tensor> _function;

    /// <summary>The input field type (permutation fields only).</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>The function's name, e.g. <c>"ReLU"</c>.</summary>
    public string FunctionName { get; }

    /// <summary>Applies one of the named functions.</summary>
    /// <param name="input">field type whose fields are all permutation representations.</param>
    /// <param name="function">the elementwise function.</param>
    public PointwiseNonlinearity(FieldType input, PointwiseFunction function = PointwiseFunction.ReLU)
        : this(input, Resolve(function), function.ToString())
    {
    }

    /// <summary>Applies a custom elementwise function (it must act on each entry independently and must not
    /// dispose its argument; neither is checked).</summary>
    /// <param name="input">field type whose fields are all permutation representations.</param>
    /// <param name="function">x ↦ σ(x), elementwise, returning a fresh tensor of the same shape.</param>
    /// <param name="name">a name for <see cref="ToString"/>.</param>
    public PointwiseNonlinearity(FieldType input, Func<Tensor, Tensor> function, string name) : base(nameof(PointwiseNonlinearity))
    {
        FieldLayout.RequirePlane(input, nameof(PointwiseNonlinearity), nameof(input));
        ArgumentNullException.ThrowIfNull(function);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // Only permutation matrices commute with every elementwise function.
        FieldLayout.RequirePermutationFields(input, nameof(PointwiseNonlinearity), nameof(input));
        In = input;
        _function = function;
        FunctionName = name;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(PointwiseNonlinearity));
        using var scope = NewDisposeScope();
        return _function(input).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"PointwiseNonlinearity({FunctionName}, [{In.Description}])";

    private static Func<Tensor, Tensor> Resolve(PointwiseFunction function) => function switch
    {
        PointwiseFunction.ReLU => x => functional.relu(x),
        PointwiseFunction.ELU => x => functional.elu(x, 1.0),
        PointwiseFunction.LeakyReLU => x => functional.leaky_relu(x, 0.01),
        PointwiseFunction.Tanh => x => x.tanh(),
        PointwiseFunction.Sigmoid => x => x.sigmoid(),
        PointwiseFunction.GELU => x => functional.gelu(x),
        PointwiseFunction.SiLU => x => functional.silu(x),
        PointwiseFunction.Softplus => x => functional.softplus(x),
        _ => throw new ArgumentException($"Unknown pointwise function {function}.", nameof(function)),
    };
}
