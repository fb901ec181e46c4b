using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>A basis of the steerable convolution kernels between two fields on the plane: every
/// k×k kernel K with K(g·y) = ρ_out(g) K(y) ρ_in(g)⁻¹ for all g in the gspace's group, built from
/// Gaussian rings × angular harmonics, band-limited.</summary>
/// <remarks>
/// <para>Solved from the representations, for any G ⊂ O(2) (C_N, D_N, SO(2), O(2), flips): on a ring of
/// radius r, a kernel is K(θ) = Σ_a h_a(θ) C_a with harmonics h = (1, cos θ, sin θ, …, cos Lθ, sin Lθ).
/// An element acting on the plane as R(φ)F^s sends the angle θ to (−1)^s θ + φ, so h(g·θ) = M(g) h(θ)
/// with M(g) block-diagonal (R(mφ) diag(1, (−1)^s) per frequency m), and the constraint becomes
/// Σ_a M(g)_ab C_a = ρ_out(g) C_b ρ_in(g)ᵀ for each b — linear in the C's. Its null space over the
/// group's generators (which generate a dense subgroup for SO(2)/O(2)) is computed per pair of
/// irreps (ψ_out, ψ_in) and carried to the fields by their changes of basis:
/// K = Q_out (⊕ blocks) Q_inᵀ.</para>
/// <para>Rings: radii 0, 1, …, (k−1)/2 with Gaussian profile exp(−(|y|−r)²/2σ²); ring r keeps frequencies
/// m ≤ 2r (only m = 0 at the centre, where the angle is undefined), capped by the maximum frequency.
/// Sampled on the pixel grid the kernels are exactly equivariant for the grid's own symmetries
/// (multiples of 90°, axis flips) and approximately for other angles. Each basis element has unit
/// Frobenius norm. Kernel index [u, v] is the offset y = (v − c, c − u), c = (k−1)/2: x right, y up,
/// matching <see cref="GridResampling"/> and torch's cross-correlation.</para>
/// <para>Reference: Weiler &amp; Cesa, "General E(2)-Equivariant Steerable CNNs" (NeurIPS 2019); escnn's
/// kernel bases. Bases are cached (float64, detached, read-only) per (gspace, fields, size, σ, cutoff).</para>
/// </remarks>
public static class SteerableKernelBasis
{
    private const double NullTolerance = 1e-9;
    private static readonly ConcurrentDictionary<string, Tensor> Cache = new();

    /// <summary>The basis for kernels from a field of type <paramref name="input"/> to one of type
    /// <paramref name="output"/>: a float64 tensor (basis, output.Dim, input.Dim, k, k), possibly with 0 elements.</summary>
    /// <param name="space">the gspace (its group must be that of both representations).</param>
    /// <param name="input">ρ_in, one field.</param>
    /// <param name="output">ρ_out, one field.</param>
    /// <param name="kernelSize">odd k ≥ 1.</param>
    /// <param name="sigma">width of the Gaussian rings (&gt; 0).</param>
    /// <param name="maximumFrequency">cap on the angular frequency of every ring (≥ 0), or null for 2r.</param>
    /// <remarks>The returned tensor is shared and cached: never dispose or modify it.</remarks>
    public static Tensor Get(GSpace2D space, Representation input, Representation output, int kernelSize, double sigma = 0.6, int? maximumFrequency = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"Steerable kernels need an odd size (a centre pixel); got {kernelSize}.", nameof(kernelSize));
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be positive.");
        if (maximumFrequency is < 0) throw new ArgumentOutOfRangeException(nameof(maximumFrequency), maximumFrequency, "Maximum frequency must be ≥ 0.");
        if (!input.Group.Equals(space.Group) || !output.Group.Equals(space.Group))
            throw new ArgumentException($"Both fields must be representations of {space.Group.Name}; got {input.Group.Name} → {output.Group.Name}.");
        string key = $"{space.Name}|{Identity(input)}|{Identity(output)}|{kernelSize}|{sigma}|{maximumFrequency}";
        return Cache.GetOrAdd(key, _ =>
        {
            using var scope = NewDisposeScope();
            return Build(space, input, output, kernelSize, sigma, maximumFrequency).DetachFromDisposeScope();
        });
    }

    private static string Identity(Representation r) =>
        $"{r.Name}#{r.Dim}#{string.Join(",", r.Irreps.Select(i => i.Index))}#{System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(r)}";

    private static Tensor Build(GSpace2D space, Representation input, Representation output, int k, double sigma, int? maxFrequency)
    {
        int c = (k - 1) / 2;
        var inIrreps = input.Irreps;
        var outIrreps = output.Irreps;
        var elements = new List<double[]>(); // each (dOut·dIn·k·k) in the irrep basis, then changed to field basis
        int dIn = input.Dim, dOut = output.Dim;
        var qIn = input.ChangeOfBasis;
        var qOut = output.ChangeOfBasis;
        int outOffset = 0;
        foreach (var psiOut in outIrreps)
        {
            int inOffset = 0;
            foreach (var psiIn in inIrreps)
            {
                for (int r = 0; r <= c; r++)
                {
                    int frequencies = Math.Min(2 * r, maxFrequency ?? int.MaxValue);
                    foreach (var coefficients in AngularSolutions(space, psiIn, psiOut, frequencies))
                    {
                        var irrepBlock = Sample(coefficients, psiOut.Dim, psiIn.Dim, frequencies, r, sigma, k);
                        // Place the block and carry it to the field basis: K = Q_out B Q_inᵀ at every pixel.
                        var full = new double[dOut * dIn * k * k];
                        for (int p = 0; p < k * k; p++)
                        {
                            var b = Matrix<double>.Build.Dense(dOut, dIn);
                            for (int o = 0; o < psiOut.Dim; o++)
                                for (int i = 0; i < psiIn.Dim; i++)
                                    b[outOffset + o, inOffset + i] = irrepBlock[(o * psiIn.Dim + i) * k * k + p];
                            var kernel = qOut * b * qIn.Transpose();
                            for (int o = 0; o < dOut; o++)
                                for (int i = 0; i < dIn; i++)
                                    full[(o * dIn + i) * k * k + p] = kernel[o, i];
                        }
                        double norm = Math.Sqrt(full.Sum(v => v * v));
                        if (norm < 1e-8) continue; // e.g. a ring whose samples vanish
                        elements.Add(full.Select(v => v / norm).ToArray());
                    }
                }
                inOffset += psiIn.Dim;
            }
            outOffset += psiOut.Dim;
        }
        var data = elements.SelectMany(e => e).ToArray();
        return tensor(data, new long[] { elements.Count, dOut, dIn, k, k }, dtype: ScalarType.Float64);
    }

    /// <summary>Orthonormal solutions C (as [a, o, i] row-major vectors) of Σ_a M(g)_ab C_a = ψ_out(g) C_b ψ_in(g)ᵀ.</summary>
    private static IEnumerable<double[]> AngularSolutions(GSpace2D space, Irrep psiIn, Irrep psiOut, int frequencies)
    {
        int harmonics = 1 + 2 * frequencies, dOut = psiOut.Dim, dIn = psiIn.Dim;
        int n = harmonics * dOut * dIn;
        var gram = Matrix<double>.Build.Dense(n, n);
        var identityHarmonics = Matrix<double>.Build.DenseIdentity(harmonics);
        var identityHom = Matrix<double>.Build.DenseIdentity(dOut * dIn);
        foreach (var g in space.Group.Generators)
        {
            var m = HarmonicAction(space.Action(g), frequencies);
            var hom = psiOut.Matrix(g).KroneckerProduct(psiIn.Matrix(g));
            var constraint = m.Transpose().KroneckerProduct(identityHom) - identityHarmonics.KroneckerProduct(hom);
            gram += constraint.TransposeThisAndMultiply(constraint);
        }
        var evd = gram.Evd(Symmetricity.Symmetric);
        for (int v = 0; v < n; v++)
            if (Math.Abs(evd.EigenValues[v].Real) < NullTolerance)
                yield return evd.EigenVectors.Column(v).ToArray();
    }

    /// <summary>M(g) with h(angle(A y)) = M h(angle(y)), for A = R(φ) F^s.</summary>
    internal static Matrix<double> HarmonicAction(Matrix<double> a, int frequencies)
    {
        int s = a.Determinant() < 0 ? 1 : 0;
        // R(φ) = A F^s with F = diag(1, −1).
        double r00 = a[0, 0], r10 = s == 0 ? a[1, 0] : a[1, 0];
        double phi = Math.Atan2(r10, r00);
        double sign = s == 0 ? 1 : -1;
        var m = Matrix<double>.Build.Dense(1 + 2 * frequencies, 1 + 2 * frequencies);
        m[0, 0] = 1;
        for (int f = 1; f <= frequencies; f++)
        {
            double cos = Math.Cos(f * phi), sin = Math.Sin(f * phi);
            int at = 2 * f - 1;
            // [cos f(σθ+φ); sin f(σθ+φ)] = R(fφ) diag(1, σ) [cos fθ; sin fθ]
            m[at, at] = cos;
            m[at, at + 1] = -sin * sign;
            m[at + 1, at] = sin;
            m[at + 1, at + 1] = cos * sign;
        }
        return m;
    }

    /// <summary>Samples Σ_a h_a(θ) C_a × ring profile on the k×k grid: [o, i, u, v] row-major.</summary>
    private static double[] Sample(double[] coefficients, int dOut, int dIn, int frequencies, int radius, double sigma, int k)
    {
        int c = (k - 1) / 2, hom = dOut * dIn;
        var result = new double[hom * k * k];
        for (int u = 0; u < k; u++)
            for (int v = 0; v < k; v++)
            {
                double x = v - c, y = c - u;
                double rho = Math.Sqrt(x * x + y * y);
                double radial = Math.Exp(-(rho - radius) * (rho - radius) / (2 * sigma * sigma));
                bool centre = rho < 1e-12;
                double theta = Math.Atan2(y, x);
                for (int a = 0; a < 1 + 2 * frequencies; a++)
                {
                    if (centre && a > 0) break; // the angle is undefined at the centre: only m = 0 survives
                    int f = (a + 1) / 2;
                    double h = a == 0 ? 1 : a % 2 == 1 ? Math.Cos(f * theta) : Math.Sin(f * theta);
                    for (int e = 0; e < hom; e++)
                        result[e * k * k + u * k + v] += radial * h * coefficients[a * hom + e];
                }
            }
        return result;
    }
}
