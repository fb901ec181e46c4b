namespace Noether.Equivariance;

/// <summary>An equivariant module of one image feature map to another: its <see cref="IEquivariant"/> types are
/// the escnn-style field types <see cref="In"/> and <see cref="Out"/>.</summary>
/// <remarks>Every image layer implements it (R2Conv, nonlinearities, batch norms, pooling, restriction, …), so
/// code that needs the field types (channel counts, representations, the gspace) reads them here, and the generic
/// checker reads them through <see cref="IEquivariant"/>.</remarks>
public interface IFieldEquivariant : IEquivariant
{
    /// <summary>The input field type: the module takes (batch, In.Size, H, W).</summary>
    FieldType In { get; }

    /// <summary>The output field type: the module returns (batch, Out.Size, H', W').</summary>
    FieldType Out { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { In };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { Out };
}
