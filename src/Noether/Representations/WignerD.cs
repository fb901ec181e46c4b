using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Representations;

/// <summary>Real Wigner D-matrices: the degree-l irreducible representation of SO(3) in the basis of
/// <see cref="SphericalHarmonics"/>.</summary>
/// <remarks>
/// <para>Definition: D^l(R) is the real orthogonal (2l + 1)×(2l + 1) matrix with Y_l(R x) = D^l(R) Y_l(x) for
/// every x, so D^l(R₁R₂) = D^l(R₁) D^l(R₂), D^l(Rᵀ) = D^l(R)ᵀ and D^1(R) = P R Pᵀ with P the permutation
/// (x, y, z) ↦ (y, z, x).</para>
/// <para>Algorithm: fix K = <see cref="SampleCount"/>(l) ≥ 2(2l + 1) points X on a Fibonacci sphere and the
/// K×(2l + 1) matrix M with rows Y_l(x_k). Because span Y_l is rotation invariant, Y_l(R X) = M D^lᵀ exactly,
/// so D^l(R) = Y_l(R X)ᵀ · pinv(M)ᵀ. pinv(M) is computed once per degree in float64 and cached; the points are
/// well spread, so M is well conditioned and the result is exact to rounding (about 1e-14 for l ≤ 10).
/// The batched form is one small matmul, one spherical-harmonics evaluation and one more matmul.</para>
/// </remarks>
public static class WignerD
{
    private static readonly ConcurrentDictionary<int, Lazy<Sampling>> Cache = new();

    /// <summary>D^l(R) for one rotation, in float64.</summary>
    /// <param name="l">Degree, at least 0.</param>
    /// <param name="rotation">3×3 orthogonal matrix with det +1 (tolerance 1e-6), acting on column vectors.</param>
    /// <returns>A new (2l + 1)×(2l + 1) orthogonal matrix; row and column index l + m.</returns>
    public static Matrix<double> Real(int l, Matrix<double> rotation)
    {
        ValidateDegree(l);
        Rotations3D.ValidateRotation(rotation, nameof(rotation));
        var sampling = GetSampling(l);
        var n = 2 * l + 1;
        var k = sampling.Points.GetLength(0);
        // rotatedValues[k, a] = Y_{l,a}(R x_k); D[a, b] = Σ_k rotatedValues[k, a] · pinv(M)[b, k].
        var rotatedValues = Matrix<double>.Build.Dense(k, n);
        var buffer = new double[(l + 1) * (l + 1)];
        for (var p = 0; p < k; p++)
        {
            var (px, py, pz) = (sampling.Points[p, 0], sampling.Points[p, 1], sampling.Points[p, 2]);
            var x = rotation[0, 0] * px + rotation[0, 1] * py + rotation[0, 2] * pz;
            var y = rotation[1, 0] * px + rotation[1, 1] * py + rotation[1, 2] * pz;
            var z = rotation[2, 0] * px + rotation[2, 1] * py + rotation[2, 2] * pz;
            var r = Math.Sqrt(x * x + y * y + z * z);
            SphericalHarmonics.EvaluateUnit(l, x / r, y / r, z / r, buffer);
            for (var a = 0; a < n; a++) rotatedValues[p, a] = buffer[l * l + a];
        }
        return rotatedValues.TransposeThisAndMultiply(sampling.ProjectorTransposed);
    }

    /// <summary>D^l(R) for a batch of rotations, with tensor operations only.</summary>
    /// <remarks>Rotations are not checked for orthogonality (that would cost as much as the result); for
    /// other matrices the result is the degree-l polynomial extension of D^l, not a representation.
    /// Differentiable in <paramref name="rotations"/>.</remarks>
    /// <param name="l">Degree, at least 0.</param>
    /// <param name="rotations">Shape (..., 3, 3), floating dtype; not modified.</param>
    /// <returns>Shape (..., 2l + 1, 2l + 1), same dtype and device as <paramref name="rotations"/>.</returns>
    public static Tensor Real(int l, Tensor rotations)
    {
        ValidateDegree(l);
        ArgumentNullException.ThrowIfNull(rotations);
        if (rotations.dim() < 2 || rotations.shape[^1] != 3 || rotations.shape[^2] != 3)
            throw new ArgumentException($"Rotations must have shape (..., 3, 3); got ({string.Join(", ", rotations.shape)}).", nameof(rotations));
        if (!rotations.is_floating_point())
            throw new ArgumentException($"Rotations must have a floating-point dtype; got {rotations.dtype}.", nameof(rotations));
        var sampling = GetSampling(l);
        using var scope = torch.NewDisposeScope();
        var points = sampling.PointsTensor.to(rotations.dtype, rotations.device);
        var projector = sampling.ProjectorTransposedTensor.to(rotations.dtype, rotations.device);
        // (..., 3, 3) @ (3, K) → (..., 3, K) → (..., K, 3): the rotated sample points.
        var rotated = rotations.matmul(points).transpose(-1, -2);
        var values = SphericalHarmonics.Evaluate(new[] { l }, rotated, normalize: false);
        var result = values.transpose(-1, -2).matmul(projector);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Number of sample points used for degree l: 2(2l + 1) + 1.</summary>
    internal static int SampleCount(int l) => 2 * (2 * l + 1) + 1;

    /// <summary>The cached sample points and projector of degree l (created on first use, thread-safe).</summary>
    internal static Sampling GetSampling(int l) =>
        Cache.GetOrAdd(l, degree => new Lazy<Sampling>(() => Sampling.Create(degree), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static void ValidateDegree(int l)
    {
        if (l < 0)
            throw new ArgumentOutOfRangeException(nameof(l), l, "Degree must be non-negative.");
    }

    /// <summary>Sample points X (K×3) on a Fibonacci sphere and pinv(Y_l(X))ᵀ (K×(2l + 1)), as arrays and as
    /// detached float64 CPU tensors owned by the cache (never disposed).</summary>
    internal sealed record Sampling(double[,] Points, Matrix<double> ProjectorTransposed, Tensor PointsTensor, Tensor ProjectorTransposedTensor)
    {
        public static Sampling Create(int l)
        {
            var k = SampleCount(l);
            var n = 2 * l + 1;
            var golden = Math.PI * (3.0 - Math.Sqrt(5.0));
            var points = new double[k, 3];
            var values = Matrix<double>.Build.Dense(k, n);
            var buffer = new double[(l + 1) * (l + 1)];
            for (var p = 0; p < k; p++)
            {
                var z = 1.0 - (2.0 * p + 1.0) / k;
                var rho = Math.Sqrt(1.0 - z * z);
                var (s, c) = Math.SinCos(golden * p);
                points[p, 0] = rho * c;
                points[p, 1] = rho * s;
                points[p, 2] = z;
                SphericalHarmonics.EvaluateUnit(l, rho * c, rho * s, z, buffer);
                for (var a = 0; a < n; a++) values[p, a] = buffer[l * l + a];
            }
            var projectorTransposed = values.PseudoInverse().Transpose();
            // Created inside a private scope and detached: the cache, not the caller's scope, owns these tensors.
            using var scope = torch.NewDisposeScope();
            var pointsTensor = torch.tensor(points, dtype: ScalarType.Float64).t().contiguous().DetachFromDisposeScope();
            var projectorTensor = torch.tensor(projectorTransposed.ToArray(), dtype: ScalarType.Float64).DetachFromDisposeScope();
            return new Sampling(points, projectorTransposed, pointsTensor, projectorTensor);
        }
    }
}
