using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>A feature map (batch, channels, height, width) together with its <see cref="FieldType"/>:
/// how it transforms when the plane is rotated or reflected.</summary>
/// <remarks>
/// <see cref="Transform"/> applies the induced action (g·f)(x) = ρ(g) f(g⁻¹x): it moves the pixels
/// (exactly for multiples of 90° and flips, by bilinear interpolation otherwise; see
/// <see cref="GridResampling"/>) and mixes the channels of each field. The wrapped tensor is not owned.
/// Reference: escnn's <c>GeometricTensor</c>.
/// </remarks>
public sealed class GeometricTensor
{
    /// <summary>Wraps <paramref name="tensor"/>, checking its shape against <paramref name="type"/>.</summary>
    public GeometricTensor(Tensor tensor, FieldType type)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(type);
        if (type.Space is not GSpace2D)
            throw new ArgumentException($"Image tensors need a field type of a 2D gspace; got {type.Space.Name}.", nameof(type));
        if (tensor.dim() != 4)
            throw new ArgumentException($"Expected a tensor (batch, channels, height, width); got shape [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        if (tensor.shape[1] != type.Size)
            throw new ArgumentException($"The field type [{type.Description}] has {type.Size} channels but the tensor has {tensor.shape[1]} (shape [{string.Join(", ", tensor.shape)}]).", nameof(tensor));
        Tensor = tensor;
        Type = type;
    }

    /// <summary>The data, (batch, channels, height, width).</summary>
    public Tensor Tensor { get; }

    /// <summary>How it transforms.</summary>
    public FieldType Type { get; }

    /// <summary>g · f, a new geometric tensor (fresh data).</summary>
    public GeometricTensor Transform(GroupElement g) => new(Apply(Type, g, Tensor), Type);

    /// <summary>(g·f)(x) = ρ(g) f(g⁻¹x) for a raw tensor of field type <paramref name="type"/>; a fresh tensor.</summary>
    public static Tensor Apply(FieldType type, GroupElement g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(x);
        var space = (GSpace2D)type.Space;
        space.Group.CheckMember(g, nameof(g));
        using var scope = NewDisposeScope();
        var moved = GridResampling.Apply(x, space.Action(g));
        var rho = tensor(type.Matrix(g).ToArray(), dtype: x.dtype, device: x.device);
        return einsum("oc,bchw->bohw", rho, moved).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GeometricTensor([{string.Join(", ", Tensor.shape)}], {Type})";
}
