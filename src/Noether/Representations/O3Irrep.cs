using System.Globalization;

namespace Noether.Representations;

/// <summary>One irreducible representation of O(3): degree l ≥ 0 and parity +1 (even, <c>"e"</c>) or −1 (odd, <c>"o"</c>).</summary>
/// <remarks>Acts as D^{l,p}(g) = p^k D^l(R) for g = (−I)^k R, R a rotation (e3nn's convention, and that of
/// <see cref="Groups.O3Group"/>): vectors are <c>"1o"</c>, pseudovectors <c>"1e"</c>, pseudoscalars <c>"0o"</c>.
/// Components are ordered m = −l…l as in <see cref="SphericalHarmonics"/>, so a <c>"1o"</c> block holds (y, z, x).</remarks>
/// <param name="Degree">l ≥ 0.</param>
/// <param name="Parity">+1 or −1.</param>
public readonly record struct O3Irrep(int Degree, int Parity) : IComparable<O3Irrep>
{
    /// <summary>The dimension 2l + 1.</summary>
    public int Dim => 2 * Degree + 1;

    /// <summary>Whether the parity is (−1)^l, the parity of spherical harmonics (0e, 1o, 2e, …).</summary>
    public bool IsNatural => Parity == (Degree % 2 == 0 ? 1 : -1);

    /// <summary>The irrep of degree <paramref name="l"/> and parity <paramref name="parity"/>, validated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">l &lt; 0 or parity not ±1.</exception>
    public static O3Irrep Create(int l, int parity)
    {
        if (l < 0) throw new ArgumentOutOfRangeException(nameof(l), l, "Degree must be ≥ 0.");
        if (parity is not (1 or -1)) throw new ArgumentOutOfRangeException(nameof(parity), parity, "Parity must be +1 (e) or −1 (o).");
        return new O3Irrep(l, parity);
    }

    /// <summary>The irreps in the product of two: |l₁ − l₂| ≤ L ≤ l₁ + l₂ with parity p₁p₂, in increasing L.</summary>
    public static IEnumerable<O3Irrep> Product(O3Irrep a, O3Irrep b)
    {
        for (var l = Math.Abs(a.Degree - b.Degree); l <= a.Degree + b.Degree; l++)
            yield return new O3Irrep(l, a.Parity * b.Parity);
    }

    /// <summary>Order: by degree, then the natural parity first (0e &lt; 0o &lt; 1o &lt; 1e &lt; 2e &lt; 2o), as e3nn sorts.</summary>
    public int CompareTo(O3Irrep other)
    {
        var byDegree = Degree.CompareTo(other.Degree);
        return byDegree != 0 ? byDegree : other.IsNatural.CompareTo(IsNatural);
    }

    /// <summary>The canonical name, e.g. <c>"1o"</c>.</summary>
    public override string ToString() => Degree.ToString(CultureInfo.InvariantCulture) + (Parity > 0 ? "e" : "o");
}
