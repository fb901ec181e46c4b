namespace Noether.Equivariance;

/// <summary>Whether a transformation is a symmetry of a model, as measured.</summary>
public enum EquivarianceVerdict
{
    /// <summary>The relative error is within the dtype's tolerance (<see cref="Tolerance.Float64"/>, <see cref="Tolerance.Float32"/>).</summary>
    Exact,

    /// <summary>The relative error is above it: the symmetry holds only approximately (e.g. 45° rotations on a pixel grid) or not at all.</summary>
    Approximate,

    /// <summary>The layer declares no types (a plain module), so no symmetry was checked.</summary>
    NotDeclared,
}
