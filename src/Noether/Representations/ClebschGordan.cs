using System.Collections.Concurrent;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Representations;

/// <summary>Real Clebsch–Gordan coefficients: the intertwiners D^{l3} → D^{l1} ⊗ D^{l2} in the real
/// basis of <see cref="SphericalHarmonics"/> and <see cref="WignerD"/>.</summary>
/// <remarks>
/// <para>Property: C[:, :, k] is the image of the k-th basis vector of degree l3, so
/// (D^{l1}(R) ⊗ D^{l2}(R)) C_{:,:,k} = Σ_{k'} C_{:,:,k'} D^{l3}(R)_{k'k}, and the 2l3 + 1 columns are orthonormal.
/// Contracting the other way, z_k = Σ_{ij} C[i,j,k] x_i y_j, maps x ∈ V_{l1}, y ∈ V_{l2} equivariantly to V_{l3}.</para>
/// <para>Algorithm: complex coefficients ⟨l1 m1 l2 m2 | l3 m3⟩ (Condon–Shortley) from Racah's formula in exact
/// rational arithmetic (<see cref="BigInteger"/>; the only square root is taken at the end), then the unitary
/// change to the real basis, C_real = (B1* ⊗ B2*) C_complex B3, where column m of B_l expresses the real
/// Y_{l,m} in the complex Y_l^m. The result is real up to one global phase (a power of i), which is removed;
/// the sign is then fixed so that the first entry of magnitude above 1e-9 (in i, j, k order) is positive.
/// Results are cached per (l1, l2, l3). Reference: Racah, Phys. Rev. 62, 438 (1942), eq. 16'.</para>
/// </remarks>
public static class ClebschGordan
{
    private static readonly ConcurrentDictionary<(int, int, int), double[,,]> ArrayCache = new();
    private static readonly ConcurrentDictionary<(int, int, int), Lazy<Tensor>> TensorCache = new();

    /// <summary>Whether V_{l3} occurs in V_{l1} ⊗ V_{l2}: all degrees non-negative and |l1 − l2| ≤ l3 ≤ l1 + l2.</summary>
    /// <param name="l1">First degree.</param>
    /// <param name="l2">Second degree.</param>
    /// <param name="l3">Output degree.</param>
    /// <returns>True when the triangle rule holds.</returns>
    public static bool IsAllowed(int l1, int l2, int l3) =>
        l1 >= 0 && l2 >= 0 && l3 >= 0 && l3 >= Math.Abs(l1 - l2) && l3 <= l1 + l2;

    /// <summary>The real coefficients C[i, j, k] for degrees (l1, l2, l3), as a fresh array the caller may modify.</summary>
    /// <param name="l1">First degree; i = l1 + m1 runs over 2l1 + 1 values.</param>
    /// <param name="l2">Second degree; j = l2 + m2 runs over 2l2 + 1 values.</param>
    /// <param name="l3">Output degree; k = l3 + m3 runs over 2l3 + 1 values.</param>
    /// <returns>Array of shape (2l1 + 1, 2l2 + 1, 2l3 + 1).</returns>
    public static double[,,] Real(int l1, int l2, int l3) => (double[,,])GetReal(l1, l2, l3).Clone();

    /// <summary>The real coefficients as a float64 CPU tensor of shape (2l1 + 1, 2l2 + 1, 2l3 + 1), cached.</summary>
    /// <remarks>The tensor is shared by every caller and owned by the cache: it is detached from all dispose
    /// scopes, and callers must neither dispose it nor modify it in place. Convert it once with
    /// <c>.to(dtype, device)</c> (which gives a tensor the caller owns).</remarks>
    /// <param name="l1">First degree.</param>
    /// <param name="l2">Second degree.</param>
    /// <param name="l3">Output degree.</param>
    /// <returns>The shared cached tensor.</returns>
    public static Tensor RealTensor(int l1, int l2, int l3)
    {
        var coefficients = GetReal(l1, l2, l3);
        return TensorCache.GetOrAdd((l1, l2, l3), _ => new Lazy<Tensor>(() =>
        {
            using var scope = torch.NewDisposeScope();
            return torch.tensor(coefficients, dtype: ScalarType.Float64).DetachFromDisposeScope();
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>The orthogonal change of basis Q that block-diagonalises D^{l1} ⊗ D^{l2}.</summary>
    /// <remarks>D^{l1}(R) ⊗ D^{l2}(R) = Q · blockdiag(D^{|l1−l2|}(R), …, D^{l1+l2}(R)) · Qᵀ, with row index
    /// i·(2l2 + 1) + j for e_i ⊗ e_j (the order of MathNet's <c>KroneckerProduct</c>) and column blocks
    /// <see cref="Real"/>(l1, l2, l3) for l3 ascending.</remarks>
    /// <param name="l1">First degree, at least 0.</param>
    /// <param name="l2">Second degree, at least 0.</param>
    /// <returns>A new square orthogonal matrix of size (2l1 + 1)(2l2 + 1).</returns>
    public static Matrix<double> TensorProductChangeOfBasis(int l1, int l2)
    {
        if (l1 < 0 || l2 < 0)
            throw new ArgumentException($"Degrees must be non-negative; got (l1, l2) = ({l1}, {l2}).", l1 < 0 ? nameof(l1) : nameof(l2));
        int n1 = 2 * l1 + 1, n2 = 2 * l2 + 1;
        var q = Matrix<double>.Build.Dense(n1 * n2, n1 * n2);
        var column = 0;
        for (var l3 = Math.Abs(l1 - l2); l3 <= l1 + l2; l3++)
        {
            var c = GetReal(l1, l2, l3);
            for (var k = 0; k < 2 * l3 + 1; k++, column++)
                for (var i = 0; i < n1; i++)
                    for (var j = 0; j < n2; j++)
                        q[i * n2 + j, column] = c[i, j, k];
        }
        return q;
    }

    /// <summary>The cached array; never hand it out without copying.</summary>
    private static double[,,] GetReal(int l1, int l2, int l3)
    {
        if (!IsAllowed(l1, l2, l3))
            throw new ArgumentException(
                $"No Clebsch–Gordan coefficients for (l1, l2, l3) = ({l1}, {l2}, {l3}): degrees must be non-negative with |l1 − l2| ≤ l3 ≤ l1 + l2.",
                nameof(l3));
        return ArrayCache.GetOrAdd((l1, l2, l3), key => ComputeReal(key.Item1, key.Item2, key.Item3));
    }

    private static double[,,] ComputeReal(int l1, int l2, int l3)
    {
        int n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
        var (b1, b2, b3) = (RealBasis(l1), RealBasis(l2), RealBasis(l3));
        var complex = new Complex[n1, n2, n3];
        // C_real[a, b, k] = Σ conj(B1[m1, a]) conj(B2[m2, b]) ⟨l1 m1 l2 m2 | l3 m1+m2⟩ B3[m1+m2, k]; each B column has ≤ 2 entries.
        for (var a = 0; a < n1; a++)
            foreach (var (m1, w1) in b1[a])
                for (var b = 0; b < n2; b++)
                    foreach (var (m2, w2) in b2[b])
                    {
                        var m3 = m1 + m2;
                        if (Math.Abs(m3) > l3) continue;
                        var cg = ComplexCoefficient(l1, m1, l2, m2, l3);
                        if (cg == 0) continue;
                        var left = Complex.Conjugate(w1) * Complex.Conjugate(w2) * cg;
                        for (var k = 0; k < n3; k++)
                            foreach (var (m, w3) in b3[k])
                                if (m == m3) complex[a, b, k] += left * w3;
                    }

        // Remove the global phase (the result is real times a power of i), then fix the sign.
        var largest = Complex.Zero;
        foreach (var value in complex)
            if (value.Magnitude > largest.Magnitude) largest = value;
        var phase = Complex.Conjugate(largest) / largest.Magnitude;
        var result = new double[n1, n2, n3];
        double maxImaginary = 0, sign = 0;
        for (var a = 0; a < n1; a++)
            for (var b = 0; b < n2; b++)
                for (var k = 0; k < n3; k++)
                {
                    var value = complex[a, b, k] * phase;
                    maxImaginary = Math.Max(maxImaginary, Math.Abs(value.Imaginary));
                    // Exact zeros stay exact; rounding residue of cancelling pairs (|v| ≲ 1e-16) is cleared.
                    var real = Math.Abs(value.Real) < 1e-14 ? 0.0 : value.Real;
                    result[a, b, k] = real;
                    if (sign == 0 && Math.Abs(real) > 1e-9) sign = Math.Sign(real);
                }
        if (maxImaginary > 1e-12)
            throw new InvalidOperationException($"Real Clebsch–Gordan for ({l1}, {l2}, {l3}) kept an imaginary part {maxImaginary:G3}; the basis change is inconsistent.");
        if (sign < 0)
            for (var a = 0; a < n1; a++)
                for (var b = 0; b < n2; b++)
                    for (var k = 0; k < n3; k++)
                        result[a, b, k] = -result[a, b, k];
        return result;
    }

    /// <summary>Columns of B_l: for real index a = l + m, the complex orders and weights with
    /// Y_{l,m}^real = Σ weight · Y_l^{order} (complex harmonics with the Condon–Shortley phase).</summary>
    /// <remarks>m &gt; 0: (Y^{−m} + (−1)^m Y^m)/√2; m &lt; 0, μ = |m|: i (Y^{−μ} − (−1)^μ Y^μ)/√2; m = 0: Y^0.
    /// These follow from Y_l^{−m} = (−1)^m conj(Y_l^m) and our real harmonics having no Condon–Shortley phase.</remarks>
    private static (int Order, Complex Weight)[][] RealBasis(int l)
    {
        var s = 1.0 / Math.Sqrt(2.0);
        var columns = new (int, Complex)[2 * l + 1][];
        columns[l] = new[] { (0, Complex.One) };
        for (var m = 1; m <= l; m++)
        {
            var parity = m % 2 == 0 ? 1.0 : -1.0;
            columns[l + m] = new[] { (-m, new Complex(s, 0)), (m, new Complex(parity * s, 0)) };
            columns[l - m] = new[] { (-m, new Complex(0, s)), (m, new Complex(0, -parity * s)) };
        }
        return columns;
    }

    /// <summary>⟨l1 m1 l2 m2 | l3 (m1 + m2)⟩ by Racah's formula, exact until the final square root.</summary>
    internal static double ComplexCoefficient(int l1, int m1, int l2, int m2, int l3)
    {
        var m3 = m1 + m2;
        if (Math.Abs(m1) > l1 || Math.Abs(m2) > l2 || Math.Abs(m3) > l3) return 0.0;
        // Squared prefactor: (2l3+1) Δ(l1 l2 l3)² Π (l ± m)!, all integers except Δ's denominator.
        var numerator = (2 * l3 + 1) * Factorial(l3 + l1 - l2) * Factorial(l3 - l1 + l2) * Factorial(l1 + l2 - l3)
                        * Factorial(l3 + m3) * Factorial(l3 - m3) * Factorial(l1 - m1) * Factorial(l1 + m1)
                        * Factorial(l2 - m2) * Factorial(l2 + m2);
        var denominator = Factorial(l1 + l2 + l3 + 1);
        // Alternating sum Σ_k (−1)^k / [k! (l1+l2−l3−k)! (l1−m1−k)! (l2+m2−k)! (l3−l2+m1+k)! (l3−l1−m2+k)!].
        var kMin = Math.Max(0, Math.Max(l2 - l3 - m1, l1 - l3 + m2));
        var kMax = Math.Min(l1 + l2 - l3, Math.Min(l1 - m1, l2 + m2));
        BigInteger sumNumerator = BigInteger.Zero, sumDenominator = BigInteger.One;
        for (var k = kMin; k <= kMax; k++)
        {
            var term = Factorial(k) * Factorial(l1 + l2 - l3 - k) * Factorial(l1 - m1 - k) * Factorial(l2 + m2 - k)
                       * Factorial(l3 - l2 + m1 + k) * Factorial(l3 - l1 - m2 + k);
            var signed = k % 2 == 0 ? sumDenominator : -sumDenominator;
            sumNumerator = sumNumerator * term + signed;
            sumDenominator *= term;
            var gcd = BigInteger.GreatestCommonDivisor(sumNumerator, sumDenominator);
            if (!gcd.IsOne && !gcd.IsZero)
            {
                sumNumerator /= gcd;
                sumDenominator /= gcd;
            }
        }
        if (sumNumerator.IsZero) return 0.0;
        var magnitude = SqrtOfRatio(numerator * sumNumerator * sumNumerator, denominator * sumDenominator * sumDenominator);
        return sumNumerator.Sign * magnitude;
    }

    /// <summary>√(p/q) for positive integers, correctly rounded up to about one ulp however large p and q are.</summary>
    private static double SqrtOfRatio(BigInteger p, BigInteger q)
    {
        // Scale by an even power of two so the integer quotient has ~120 significant bits, then take the root.
        var shift = (int)(q.GetBitLength() - p.GetBitLength()) + 120;
        if (shift % 2 != 0) shift++;
        var quotient = shift >= 0 ? (p << shift) / q : p / (q << -shift);
        return Math.ScaleB(Math.Sqrt((double)quotient), -shift / 2);
    }

    private static readonly BigInteger[] SmallFactorials = BuildFactorials(170);

    private static BigInteger[] BuildFactorials(int count)
    {
        var table = new BigInteger[count + 1];
        table[0] = BigInteger.One;
        for (var n = 1; n <= count; n++) table[n] = table[n - 1] * n;
        return table;
    }

    private static BigInteger Factorial(int n)
    {
        if (n < SmallFactorials.Length) return SmallFactorials[n];
        var value = SmallFactorials[^1];
        for (var i = SmallFactorials.Length; i <= n; i++) value *= i;
        return value;
    }
}
