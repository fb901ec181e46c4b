namespace Noether.Groups;

/// <summary>The gauge group of a lattice gauge field.</summary>
/// <remarks>Links are stored as complex N×N matrices (<see cref="GaugeLinks"/>): N = 1 for U(1)
/// (the phase e^{iθ} as a 1×1 matrix), N = 2 for SU(2). The value of each member is N.</remarks>
public enum GaugeGroup
{
    /// <summary>U(1): phases e^{iθ}, stored as 1×1 complex matrices.</summary>
    U1 = 1,

    /// <summary>SU(2): unitary 2×2 complex matrices of determinant 1.</summary>
    SU2 = 2,
}
