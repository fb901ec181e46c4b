namespace Noether.Representations;

/// <summary>The type of a real irreducible representation: the division algebra its commuting
/// matrices form (Frobenius–Schur). It decides how often the irrep appears in the regular representation.</summary>
public enum IrrepType
{
    /// <summary>Stays irreducible over ℂ; only scalars commute with it (⟨χ,χ⟩ = 1).</summary>
    Real = 1,
    /// <summary>Splits over ℂ into a pair of conjugate irreps, e.g. rotation by kθ for k ≥ 1 in C_N or SO(2);
    /// its commutant is ℂ (⟨χ,χ⟩ = 2).</summary>
    Complex = 2,
    /// <summary>Its commutant is the quaternions (⟨χ,χ⟩ = 4).</summary>
    Quaternionic = 4,
}
