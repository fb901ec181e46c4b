namespace Noether.Equivariance;

/// <summary>Named tolerances for equivariance and representation checks, per dtype and kind of symmetry.</summary>
/// <remarks>Exact symmetries are compared at the precision of the dtype (e3nn uses 1e-9 for float64 and
/// 1e-3 for float32; Noether asks more of float32 layers). Approximate symmetries (rotations of a pixel
/// grid by angles other than multiples of 90°) are a declared property with their own looser bound,
/// never a silently loosened exact one.</remarks>
public static class Tolerance
{
    /// <summary>Exact symmetry computed in float64: groups, representations, bases (1e-9).</summary>
    public const double Float64 = 1e-9;
    /// <summary>Exact group and representation identities checked in float64 (1e-10).</summary>
    public const double Representation = 1e-10;
    /// <summary>Exact symmetry of a layer computed in float32: 90° rotations, permutations, SO(3) tensor products (1e-4).</summary>
    public const double Float32 = 1e-4;
    /// <summary>Symmetry that holds only up to interpolation, e.g. image rotations by arbitrary angles (0.1).</summary>
    public const double Interpolated = 0.1;
}
