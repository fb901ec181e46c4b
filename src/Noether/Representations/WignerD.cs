using Noether.Runtime;
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
/// <para>Two exact algorithms, which the tests compare against each other. The <see cref="Matrix{T}"/> overload
/// samples: with K = 2(2l + 1) + 1 points X on a Fibonacci sphere and M the K×(2l + 1) matrix with rows Y_l(x_k),
/// span Y_l is rotation invariant, so Y_l(R X) = M D^lᵀ and D^l(R) = Y_l(R X)ᵀ · pinv(M)ᵀ (pinv cached per degree;
/// cond(M) &lt; 6 up to l = 20). The tensor overload recurses through Clebsch–Gordan coefficients, which is
/// cheaper in batch. Both are exact to rounding (about 1e-14 for l ≤ 10).</para>
/// </remarks>
public static class WignerD
{
    private static readonly ConcurrentDictionary<int, Lazy<Sampling>> Cache = new();
    private static readonly ConcurrentDictionary<int, Lazy<(Tensor, Tensor)>> RecursionCache = new();

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
    /// <remarks>Computed by the exact recursion D^l = Cᵀ (D^{l−1} ⊗ D^1) C with C = <see cref="ClebschGordan.Real"/>(l − 1, 1, l)
    /// as a 3(2l − 1)×(2l + 1) matrix, starting from D^1(R) = P R Pᵀ: three small batched matmuls per degree, over
    /// chunks of 8192 rotations so that intermediates stay in cache. Rotations are not checked for orthogonality (that would cost as much as the
    /// result); for other matrices the result is a degree-l polynomial in R, not a representation.
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
        var batchShape = rotations.shape[..^2];
        var n = 2 * l + 1;
        using var scope = torch.NewDisposeScope();
        if (l == 0)
            return torch.ones(batchShape.Append(1L).Append(1L).ToArray(), dtype: rotations.dtype, device: rotations.device)
                .MoveToOuterDisposeScope();
        var flat = rotations.reshape(-1, 3, 3);
        // Chunks keep the intermediates (3(2l − 1)(2l + 1) numbers per rotation) in cache; on a 2-core CPU this
        // is about 3× faster for 10^5 rotations than one pass over the whole batch.
        var matrices = Enumerable.Range(2, l - 1).Select(degree =>
        {
            var (right, leftTransposed) = GetRecursionMatrices(degree);
            return (right.to(flat.dtype, flat.device), leftTransposed.to(flat.dtype, flat.device));
        }).ToArray();
        var d = flat.shape[0] <= ChunkSize
            ? RecurseFlat(flat, matrices)
            : torch.cat(flat.split(ChunkSize).Select(chunk => RecurseFlat(chunk, matrices)).ToArray(), dim: 0);
        var result = d.reshape(batchShape.Append((long)n).Append((long)n).ToArray());
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Rotations per chunk in the batched recursion.</summary>
    private const int ChunkSize = 8192;

    /// <summary>D^l for rotations of shape (B, 3, 3), with l − 1 = recursion.Length; the caller owns the dispose scope.</summary>
    /// <param name="flat">Rotations, shape (B, 3, 3).</param>
    /// <param name="recursion">For degree 2..l, C(l − 1, 1, l) as (2l − 1, 3(2l + 1)) and as (2l + 1, 3(2l − 1)) transposed, in the dtype of <paramref name="flat"/>.</param>
    private static Tensor RecurseFlat(Tensor flat, (Tensor Right, Tensor LeftTransposed)[] recursion)
    {
        var batch = flat.shape[0];
        // Y_1 ∝ (y, z, x): D^1 = P R Pᵀ reorders rows and columns as (1, 2, 0).
        var order = torch.tensor(new long[] { 1, 2, 0 }, device: flat.device);
        var d1 = flat.index_select(-2, order).index_select(-1, order);
        var d = d1;
        for (var step = 0; step < recursion.Length; step++)
        {
            var degree = step + 2;
            var previousSize = 2 * degree - 1;
            var size = 2 * degree + 1;
            // W[b, i, (j', c)] = Σ_i' D^{l−1}[b, i, i'] C[i', j', c]
            var w = d.MatMulChecked(recursion[step].Right);
            // V[b, i, j, c] = Σ_j' D^1[b, j, j'] W[b, i, j', c]
            var v = d1.unsqueeze(1).MatMulChecked(w.view(batch, previousSize, 3, size));
            // D^l[b, a, c] = Σ_(i, j) C[i, j, a] V[b, (i, j), c]
            d = recursion[step].LeftTransposed.MatMulChecked(v.view(batch, 3 * previousSize, size));
        }
        return d;
    }

    /// <summary>Number of sample points used for degree l: 2(2l + 1) + 1.</summary>
    internal static int SampleCount(int l) => 2 * (2 * l + 1) + 1;

    /// <summary>The cached sample points and projector of degree l (created on first use, thread-safe).</summary>
    internal static Sampling GetSampling(int l) =>
        Cache.GetOrAdd(l, degree => new Lazy<Sampling>(() => Sampling.Create(degree), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>For degree l ≥ 2, C = ClebschGordan.Real(l − 1, 1, l) reshaped as (2l − 1, 3(2l + 1)) and as the
    /// transpose (2l + 1, 3(2l − 1)) of its (i, j)-flattened form: cached, detached float64 CPU tensors.</summary>
    private static (Tensor Right, Tensor LeftTransposed) GetRecursionMatrices(int l) =>
        RecursionCache.GetOrAdd(l, degree => new Lazy<(Tensor, Tensor)>(() =>
        {
            using var scope = torch.NewDisposeScope();
            var c = ClebschGordan.RealTensor(degree - 1, 1, degree);
            var right = c.reshape(2 * degree - 1, 3 * (2 * degree + 1)).contiguous().DetachFromDisposeScope();
            var leftTransposed = c.reshape(3 * (2 * degree - 1), 2 * degree + 1).t().contiguous().DetachFromDisposeScope();
            return (right, leftTransposed);
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static void ValidateDegree(int l)
    {
        if (l < 0)
            throw new ArgumentOutOfRangeException(nameof(l), l, "Degree must be non-negative.");
    }

    /// <summary>Sample points X (K×3) on a Fibonacci sphere and pinv(Y_l(X))ᵀ (K×(2l + 1)) in float64.</summary>
    internal sealed record Sampling(double[,] Points, Matrix<double> ProjectorTransposed)
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
            return new Sampling(points, values.PseudoInverse().Transpose());
        }
    }
}
