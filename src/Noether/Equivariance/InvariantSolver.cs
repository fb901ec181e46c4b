using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using Noether.Runtime;
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
        var lazy = Cache.GetOrAdd((group, key), k => new Lazy<double[][]>(() => Solve(k.Item1, k.Item2), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A refused or failed solve is not remembered: the next call (with a raised memory limit, say) solves again.
            Cache.TryRemove(KeyValuePair.Create((group, key), lazy));
            throw;
        }
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
        long coordinates = type.Coordinates(n);
        string what = $"The invariants of {type} of {group.Name} ({(coordinates > int.MaxValue ? "more than 2^31" : coordinates.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} coordinates)";
        bool constrained = group.LieAlgebraView.Count + group.DiscreteGeneratorsView.Count > 0;
        bool useDense = dense ?? coordinates <= DenseLimit;
        // Estimated peaks: the identity basis of an unconstrained type (and its copy); the dense Gram matrix with the
        // eigensolver's workspace; the iterative solver's first block of working vectors.
        // Where the number of invariants is known in advance (finite groups), the iterative solver's last block — it
        // doubles from 16 until it holds them all and one more — is estimated up front, not found on the way.
        double finalBlock = InitialBlock;
        if (!useDense && constrained && InvariantCount(group, type) is double count)
            while (finalBlock <= count && finalBlock < coordinates) finalBlock *= 2;
        MemoryBudget.Require(!constrained ? 2.0 * coordinates * coordinates * sizeof(double)
            : useDense ? DenseCopies * (double)coordinates * coordinates * sizeof(double)
            : IterativeCopies * Math.Min(finalBlock, coordinates) * coordinates * sizeof(double), what);
        if (coordinates > int.MaxValue) throw new MemoryLimitException(what, double.PositiveInfinity, MemoryBudget.Limit);
        int size = (int)coordinates;
        using var scope = NewDisposeScope();
        var operators = Operators(group, type);
        if (operators.Count == 0)
            return Enumerable.Range(0, size).Select(i => { var e = new double[size]; e[i] = 1; return e; }).ToArray();
        var basis = useDense ? SolveDense(operators, size) : SolveIterative(operators, size, what);
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
        // Intermediate products are freed as soon as the next one exists, so an operator holds at most three
        // block-sized arrays besides its input, whatever the rank (the iterative solver's memory estimate relies on it).
        Tensor ApplyMode(Tensor y, int mode)
        {
            long before = s * (long)Math.Pow(n, mode);
            long after = size / (long)Math.Pow(n, mode + 1);
            // One large GEMM (rows × n)·(n × n) rather than many tiny batched products.
            if (after == 1)
            {
                using var flat = y.reshape(before, n);
                using var product = flat.MatMulChecked(modes[mode].t());
                return product.reshape(s, size);
            }
            using var moved = y.reshape(before, n, after).transpose(1, 2);
            using var moving = moved.MatMulChecked(modes[mode].t());
            using var back = moving.transpose(1, 2);
            return back.reshape(s, size);
        }
        if (c.IsAlgebra)
        {
            Tensor? sum = null;
            for (int mode = 0; mode < k; mode++)
            {
                var term = ApplyMode(x, mode);
                if (sum is null) sum = term;
                else
                {
                    sum.add_(term);
                    term.Dispose();
                }
            }
            return sum!;
        }
        var result = x;
        for (int mode = 0; mode < k; mode++)
        {
            var next = ApplyMode(result, mode);
            if (!ReferenceEquals(result, x)) result.Dispose();
            result = next;
        }
        var difference = result - x;
        if (!ReferenceEquals(result, x)) result.Dispose();
        return difference;
    }

    /// <summary>P x = Σ Cᵢᵀ Cᵢ x for each row x.</summary>
    private static Tensor Gram(IReadOnlyList<Constraint> operators, Tensor x)
    {
        // Each operator's temporaries (several block-sized mode products) are freed before the next one.
        Tensor? sum = null;
        foreach (var c in operators)
        {
            using var scope = NewDisposeScope();
            using var inner = Apply(c, x, false);
            var term = Apply(c, inner, true);
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

    /// <summary>The dimension of the invariants of <paramref name="type"/>, where it can be counted without solving: for
    /// the symmetric group of permutation matrices, the set partitions of the k = rank modes into at most n blocks
    /// (Σ_{j ≤ n} S(k, j), Stirling numbers of the second kind); for a finite group whose elements can be listed, Burnside's
    /// average (1/|G|) Σ_g tr(g)^p tr(g⁻¹)^q. Null otherwise (Lie groups).</summary>
    internal static double? InvariantCount(MatrixGroup group, TensorType type)
    {
        int k = type.Rank, n = group.Size;
        if (group.IsSymmetricGroup)
        {
            // S(i, j) by the recurrence S(i, j) = j S(i−1, j) + S(i−1, j−1), in doubles (exact well past any solvable size).
            var row = new double[k + 1];
            row[0] = 1;
            for (int i = 1; i <= k; i++)
                for (int j = Math.Min(i, k); j >= 0; j--)
                    row[j] = j == 0 ? 0 : j * row[j] + row[j - 1];
            return row.Skip(1).Take(Math.Min(n, k)).Sum() + (k == 0 ? 1 : 0);
        }
        if (group.ElementMatrices is { } elements)
        {
            int q = type.Duals.Count(d => d), p = k - q;
            double sum = 0;
            foreach (var g in elements)
                sum += Math.Pow(g.Trace(), p) * (q == 0 ? 1 : Math.Pow(g.Inverse().Trace(), q));
            return Math.Round(sum / elements.Count);
        }
        return null;
    }

    /// <summary>The dense solver's peak in n×n matrices of the type's size n (the Gram matrix, the eigensolver's input copy,
    /// eigenvectors and workspace).</summary>
    private const double DenseCopies = 5;

    /// <summary>The iterative solver's peak in block-sized arrays (the block, the Chebyshev recurrence's three terms, the
    /// Gram products and their mode-product temporaries, the Ritz rotation and the copy of the result).</summary>
    private const double IterativeCopies = 16;

    private const int InitialBlock = 16;

    private static Tensor SolveIterative(IReadOnlyList<Constraint> operators, int size, string what = "An invariant solve")
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
        int block = Math.Min(InitialBlock, size);
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
                MemoryBudget.Require(IterativeCopies * (double)(block + extra) * size * sizeof(double), $"{what}, with a subspace of {block + extra} vectors,");
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
        // (P − c)y / e, in place on P y: the recurrence keeps three block-sized terms, not one per operation.
        Tensor Step(Tensor y)
        {
            var g = Gram(operators, y);
            g.add_(y, alpha: -c).div_(e);
            return g;
        }
        var previous = x;
        var current = Step(x);
        for (int j = 1; j < degree; j++)
        {
            var next = Step(current);
            next.mul_(2).sub_(previous);
            if (!ReferenceEquals(previous, x)) previous.Dispose();
            previous = current;
            current = next;
            if (j % 6 == 0)
            {
                // Rescale together to keep the recurrence finite (previous is never x here).
                double scale = current.abs().max().ToDoubleChecked();
                if (scale > 1e100) { current.div_(scale); previous.div_(scale); }
            }
        }
        if (!ReferenceEquals(previous, x)) previous.Dispose();
        return current;
    }

    private static Tensor Orthonormal(Tensor rows)
    {
        var (qm, _) = linalg.qr(rows.t());
        return qm.t().contiguous();
    }
}
