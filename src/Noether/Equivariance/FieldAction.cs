using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>The action of a 2D gspace's group on image feature maps of a field type, for
/// <see cref="EquivarianceCheck"/>: x ↦ ρ(g) x(g⁻¹ ·).</summary>
public sealed class FieldAction : IGroupAction
{
    /// <summary>The action on tensors of field type <paramref name="type"/>.</summary>
    public FieldAction(FieldType type)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        if (type.Space is not GSpace2D) throw new ArgumentException($"FieldAction needs a 2D gspace; got {type.Space.Name}.", nameof(type));
    }

    /// <summary>The field type acted on.</summary>
    public FieldType Type { get; }

    /// <inheritdoc />
    public Groups.Group Group => Type.Space.Group;

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x) => GeometricTensor.Apply(Type, g, x);

    /// <summary>A standard normal batch (batch, Type.Size, size, size).</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator) => Type.Sample(batch, size, dtype, generator);

    /// <summary>As <see cref="FieldType.AllowsPointwise"/>.</summary>
    public bool AllowsPointwise => Type.AllowsPointwise;

    /// <summary>As <see cref="FieldType.IsExact"/>.</summary>
    public bool IsExact(Transformation t) => Type.IsExact(t);

    /// <inheritdoc />
    public override string ToString() => Type.ToString();
}
