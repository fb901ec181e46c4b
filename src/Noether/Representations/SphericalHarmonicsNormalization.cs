namespace Noether.Representations;

/// <summary>How real spherical harmonics of one degree l are scaled.</summary>
/// <remarks>The three choices differ by one constant per degree; they follow e3nn's
/// <c>normalization="integral" | "component" | "norm"</c>.</remarks>
public enum SphericalHarmonicsNormalization
{
    /// <summary>Orthonormal on the sphere: ∫_{S²} Y_{l,m}² dΩ = 1. Y_0 = 1/√(4π).</summary>
    Integral = 0,

    /// <summary>Σ_m Y_{l,m}(x)² = 2l + 1 for every unit vector x (each component has mean square 1). Y_0 = 1.</summary>
    Component = 1,

    /// <summary>Σ_m Y_{l,m}(x)² = 1 for every unit vector x (the degree-l vector has unit norm). Y_0 = 1.</summary>
    Norm = 2,
}
