namespace Noether.Equivariance;

/// <summary>A module that declares how its input and output transform; the generic checker reads it.</summary>
public interface IEquivariant
{
    /// <summary>The input field type.</summary>
    FieldType In { get; }

    /// <summary>The output field type.</summary>
    FieldType Out { get; }
}
