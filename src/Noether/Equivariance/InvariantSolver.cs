using Noether.Runtime;
using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>The invariant vectors of one tensor type T of a matrix group: the nullspace of the stacked constraints
/// dρ_T(Aᵢ)v = 0 (Lie algebra) and ρ_T(hⱼ)v − v = 0 (discrete generators), in float64.</summary>
/// <remarks>
/// The constraint operators are never formed for large types: each is applied to a batch of vectors mode by mode
/// (a Kronecker sum for the algebra, a Kronecker product for the discrete generators), at cost O(k·nᵏ⁺¹) per vector.
/// Small types (nᵏ ≤ <see cref="DenseLimit"/>) use the dense Gram matrix P = Σ CᵢᵀCᵢ and a symmetric eigensolver;
/// larger ones use Chebyshev-filtered subspace iteration on P with Rayleigh–Ritz, enlarging the subspace until it
/// holds the whole nullspace. Types of odd rank of a group containing −I have no invariants and are not solved at all
/// (<see cref="MatrixGroup.ContainsMinusIdentity"/>). Results are cached per (group, type); for orthogonal groups
/// V* ≅ V, so duals share the cache entry of the undualised type.
/// </remarks>
public static class InvariantSolver
{
    /// <summary>Types with at most this many coordinates are solved densely.</summary>
    public const int DenseLimit = 2048;

    private static readonly ConcurrentDictionary<(MatrixGroup, TensorType), Lazy<double[][]>> Cache = new();

    /// <summary>An orthonormal basis of the invariants of <paramref name="type"/> (one array of nᵏ coordinates per vector).</summary>
    public static IReadOnlyList<double[]> Invariants(MatrixGroup group, TensorType type)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(type);
        var key = group.IsOrthogonal ? type.Undualised() : type;
        return Cache.GetOrAdd((group, key), k => new Lazy<double[][]>(() => Solve(k.Item1, k.Item2), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Sweeps the last iterative solve took (diagnostics for tests and benchmarks).</summary>
    internal static int LastIterativeSweeps { get; private set; }

    /// <summary>Solves without the cache: forcing the dense or the iterative path (tests compare the two), or choosing
    /// as <see cref="Invariants"/> does when <paramref name="dense"/> is null.</summary>
    internal static double[][] SolveUncached(MatrixGroup group, TensorType type, bool? dense = null) => Solve(group, type, dense);

    /// <summary>The invariants of <paramref name="type"/>: scalars and unconstrained types directly, otherwise the dense
    /// or the iterative solver (by size, or as <paramref name="dense"/> forces).</summary>
    private static double[][] Solve(MatrixGroup group, TensorType type, bool? dense = null)
    {
        if (type.Rank == 0) return new[] { new[] { 1.0 } };
        // −I acts on a rank-k tensor by (−1)^k: odd ranks have no invariants (however large the type). A forced path
        // (tests comparing the solvers) still solves.
        if (dense is null && type.Rank % 2 == 1 && group.ContainsMinusIdentity) return Array.Empty<double[]>();
        int n = group.Size;
        int size = type.Dim(n);
        using var scope = NewDisposeScope();
        var operators = Operators(group, type);
        if (operators.Count == 0)
            return Enumerable.Range(0, size).Select(i => { var e = new double[size]; e[i] = 1; return e; }).ToArray();
        var basis = dense ?? size <= DenseLimit ? SolveDense(operators, size) : SolveIterative(operators, size);
        var result = new double[basis.shape[0]][];
        for (int i = 0; i < result.Length; i++) result[i] = basis[i].data<double>().ToArray();
        return result;
    }

    /// <summary>One constraint C: per mode the n×n matrix it applies, and whether it is a Kronecker sum (algebra) or
    /// a Kronecker product minus the identity (discrete generator).</summary>
    private sealed record Constraint(Tensor[] Modes, Tensor[] ModesTransposed, bool IsAlgebra);

    private static List<Constraint> Operators(MatrixGroup group, TensorType type)
    {
        var list = new List<Constraint>();
        foreach (var a in group.LieAlgebraView)
            list.Add(Make(type, a, -a.Transpose(), true));
        foreach (var h in group.DiscreteGeneratorsView)
            list.Add(Make(type, h, h.Inverse().Transpose(), false));
        return list;
    }

    private static Constraint Make(TensorType type, Matrix<double> onV, Matrix<double> onDual, bool algebra)
    {
        var v = ToTensor(onV);
        var d = ToTensor(onDual);
        var modes = type.Duals.Select(isDual => isDual ? d : v).ToArray();
        return new Constraint(modes, modes.Select(m => m.t().contiguous()).ToArray(), algebra);
    }

    private static Tensor ToTensor(Matrix<double> m) => tensor(m.ToArray(), dtype: ScalarType.Float64);

    /// <summary>C applied to each row of x (rows are vectors of nᵏ coordinates, row-major modes).</summary>
    private static Tensor Apply(Constraint c, Tensor x, bool transposed)
    {
        var modes = transposed ? c.ModesTransposed : c.Modes;
        long s = x.shape[0];
        long size = x.shape[1];
        long n = modes[0].shape[0];
        int k = modes.Length;
        Tensor ApplyMode(Tensor y, int mode)
        {
            long before = s * (long)Math.Pow(n, mode);
            long after = size / (long)Math.Pow(n, mode + 1);
            // One large GEMM (rows × n)·(n × n) rather than many tiny batched products.
            if (after == 1) return y.reshape(before, n).MatMulChecked(modes[mode].t()).reshape(s, size);
            var moved = y.reshape(before, n, after).transpose(1, 2);
            return moved.MatMulChecked(modes[mode].t()).transpose(1, 2).reshape(s, size);
        }
        if (c.IsAlgebra)
        {
            Tensor? sum = null;
            for (int mode = 0; mode < k; mode++)
            {
                var term = ApplyMode(x, mode);
                sum = sum is null ? term : sum.add_(term);
            }
            return sum!;
        }
        var result = x;
        for (int mode = 0; mode < k; mode++) result = ApplyMode(result, mode);
        return result - x;
    }

    /// <summary>P x = Σ Cᵢᵀ Cᵢ x for each row x.</summary>
    private static Tensor Gram(IReadOnlyList<Constraint> operators, Tensor x)
    {
        // Each operator's temporaries (several block-sized mode products) are freed before the next one.
        Tensor? sum = null;
        foreach (var c in operators)
        {
            using var scope = NewDisposeScope();
            var term = Apply(c, Apply(c, x, false), true);
            if (sum is null) sum = term.MoveToOuterDisposeScope();
            else sum.add_(term);
        }
        return sum!;
    }

    private static Tensor SolveDense(IReadOnlyList<Constraint> operators, int size)
    {
        // Row r of Apply(C, I) is C e_r, so P = Σ YᵢYᵢᵀ is the Gram matrix CᵀC stacked over constraints.
        var identity = eye(size, dtype: ScalarType.Float64);
        var p = zeros(size, size, dtype: ScalarType.Float64);
        foreach (var c in operators)
        {
            using var scope = NewDisposeScope();
            var y = Apply(c, identity, false);
            p.add_(y.MatMulChecked(y.t()));
        }
        p = (p + p.t()) / 2;
        var (values, vectors) = linalg.eigh(p);
        double max = Math.Max(values[-1].ToDoubleChecked(), 1e-300);
        var mask = (values < 1e-9 * max).nonzero().flatten();
        return vectors.index_select(1, mask).t().contiguous();
    }

    private static Tensor SolveIterative(IReadOnlyList<Constraint> operators, int size)
    {
        var generator = new Generator(seed: 12345);
        // λmax of P by power iteration (with a margin: the filter only needs an upper bound).
        var v = randn(1, size, dtype: ScalarType.Float64, generator: generator);
        double lambdaMax = 1;
        for (int i = 0; i < 30; i++)
        {
            v = v / v.norm();
            var pv = Gram(operators, v);
            lambdaMax = pv.norm().ToDoubleChecked();
            v = pv;
        }
        lambdaMax = lambdaMax * 1.1 + 1e-12;
        // Zhou–Saad filtering: damp [lower, λmax] where lower is the largest Ritz value of the current block, so
        // the filter adapts to the spectrum; the block grows until it holds the nullspace and one more vector.
        double lower = 0.05 * lambdaMax;
        double tolerance = 1e-10 * lambdaMax;
        int block = Math.Min(16, size);
        var q = Orthonormal(randn(block, size, dtype: ScalarType.Float64, generator: generator));
        for (int sweep = 0; sweep < 300; sweep++)
        {
            // Each sweep makes ~50 block-sized temporaries: free them with the sweep, keep only the new block.
            using var sweepScope = NewDisposeScope();
            var previousBlock = q;
            q = Orthonormal(ChebyshevFilter(operators, q, 16, lower, lambdaMax));
            previousBlock.Dispose();
            var pq = Gram(operators, q);
            var h = q.MatMulChecked(pq.t());
            h = (h + h.t()) / 2;
            var (theta, u) = linalg.eigh(h);
            q = u.t().MatMulChecked(q);
            pq = u.t().MatMulChecked(pq);
            var thetas = theta.data<double>().ToArray();
            int nulls = thetas.Count(t => t < tolerance);
            if (nulls == block && block < size)
            {
                // The subspace may be too small to hold the whole nullspace: enlarge it.
                int extra = Math.Min(block, size - block);
                q = Orthonormal(cat(new[] { q, randn(extra, size, dtype: ScalarType.Float64, generator: generator) }, 0)).MoveToOuterDisposeScope();
                block += extra;
                continue;
            }
            lower = Math.Clamp(thetas[^1], 1e3 * tolerance, 0.5 * lambdaMax);
            var residuals = (pq - theta.unsqueeze(1) * q).norm(1).data<double>().ToArray();
            if (nulls == 0)
            {
                // No invariants: accept once the smallest Ritz pair has converged away from zero.
                if (sweep >= 4 && residuals[0] < 1e-8 * lambdaMax && thetas[0] > 1e3 * tolerance)
                {
                    LastIterativeSweeps = sweep + 1;
                    return zeros(0, size, dtype: ScalarType.Float64).MoveToOuterDisposeScope();
                }
                q.MoveToOuterDisposeScope();
                continue;
            }
            double residual = residuals.Take(nulls).Max();
            bool gap = nulls == block || thetas[nulls] > 1e3 * tolerance;
            if (residual < 1e-13 * lambdaMax && gap)
            {
                LastIterativeSweeps = sweep + 1;
                return q.narrow(0, 0, nulls).contiguous().MoveToOuterDisposeScope();
            }
            q.MoveToOuterDisposeScope();
        }
        throw new InvalidOperationException($"The iterative invariant solver did not converge for a type with {size} coordinates.");
    }

    /// <summary>T_d applied to P, with [lower, upper] mapped onto [−1, 1]: amplifies the nullspace over the rest.</summary>
    private static Tensor ChebyshevFilter(IReadOnlyList<Constraint> operators, Tensor x, int degree, double lower, double upper)
    {
        double e = (upper - lower) / 2, c = (upper + lower) / 2;
        var previous = x;
        var current = (Gram(operators, x) - c * x) / e;
        for (int j = 1; j < degree; j++)
        {
            var next = 2 * (Gram(operators, current) - c * current) / e - previous;
            previous = current;
            current = next;
            if (j % 6 == 0)
            {
                // Rescale together to keep the recurrence finite.
                double scale = current.abs().max().ToDoubleChecked();
                if (scale > 1e100) { current = current / scale; previous = previous / scale; }
            }
        }
        return current;
    }

    private static Tensor Orthonormal(Tensor rows)
    {
        var (qm, _) = linalg.qr(rows.t());
        return qm.t().contiguous();
    }
}
