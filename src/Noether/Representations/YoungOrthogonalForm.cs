using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>Young's orthogonal form of the irreducible representation of the symmetric group S_n labelled by a partition λ of n:
/// real orthogonal matrices ρ(p) with ρ(p ∘ q) = ρ(p) ρ(q).</summary>
/// <remarks>
/// <para>Basis: the standard Young tableaux of shape λ filled with 0, ..., n−1, in lexicographic order of their
/// row words (row of 0, row of 1, ..., row of n−1). The first basis vector is the row-reading tableau (rows filled left
/// to right, top to bottom) and the last is the column-reading one.</para>
/// <para>Adjacent transposition s_k = (k, k+1), 0-based points: let c(i) = column − row be the content of the box holding i
/// in tableau T, and r = c(k+1) − c(k) the axial distance. Then ρ(s_k) e_T = (1/r) e_T + √(1 − 1/r²) e_T′, where T′ is T with
/// k and k+1 swapped. If k, k+1 share a row, r = 1 and ρ(s_k) e_T = e_T; if they share a column, r = −1 and ρ(s_k) e_T = −e_T
/// (then T′ is not standard). Each ρ(s_k) is symmetric, orthogonal and an involution. The trivial representation is λ = [n],
/// the sign representation λ = [1,...,1].</para>
/// <para>A general permutation p = s_k₁ ∘ ... ∘ s_k_m (<see cref="Permutation.AdjacentTranspositions"/>) maps to
/// ρ(s_k₁) ... ρ(s_k_m). References: James and Kerber, "The Representation Theory of the Symmetric Group" (1981), Chapter 3;
/// Okounkov and Vershik, "A new approach to representation theory of symmetric groups" (1996). Some texts define the axial
/// distance with the opposite sign; this choice is the one that makes λ = [n] trivial.</para>
/// <para>Instances are cached per partition (<see cref="For"/>) and immutable; every matrix returned is a fresh copy.</para>
/// </remarks>
/// <example><code>
/// var rho = YoungOrthogonalForm.For(Partition.Parse("[2,1]"));          // the 2-dimensional irrep of S_3
/// var m = rho.Matrix(Permutation.Parse("(1 2 3)", 3));                  // trace == -1
/// </code></example>
public sealed class YoungOrthogonalForm
{
    private static readonly ConcurrentDictionary<Partition, YoungOrthogonalForm> Cache = new();

    private readonly int[][] _rowOf;        // _rowOf[t][i]: row of entry i in tableau t
    private readonly int[][] _columnOf;     // _columnOf[t][i]: column of entry i in tableau t
    private readonly double[][] _diagonal;  // _diagonal[k][t] = 1/r
    private readonly double[][] _offDiagonal; // _offDiagonal[k][t] = √(1 − 1/r²), 0 when there is no partner
    private readonly int[][] _partner;      // _partner[k][t]: index of s_k T, or −1 when not standard

    private YoungOrthogonalForm(Partition shape)
    {
        Shape = shape;
        int n = shape.Size;
        (_rowOf, _columnOf) = StandardTableaux(shape);
        Dimension = _rowOf.Length;

        var index = new Dictionary<string, int>();
        for (int t = 0; t < Dimension; t++) index[string.Join(",", _rowOf[t])] = t;

        int generators = Math.Max(n - 1, 0);
        _diagonal = new double[generators][];
        _offDiagonal = new double[generators][];
        _partner = new int[generators][];
        for (int k = 0; k < generators; k++)
        {
            _diagonal[k] = new double[Dimension];
            _offDiagonal[k] = new double[Dimension];
            _partner[k] = new int[Dimension];
            for (int t = 0; t < Dimension; t++)
            {
                int[] row = _rowOf[t], column = _columnOf[t];
                int r = (column[k + 1] - row[k + 1]) - (column[k] - row[k]);
                _diagonal[k][t] = 1.0 / r;
                _partner[k][t] = -1;
                if (Math.Abs(r) == 1) continue;   // same row (r = 1) or same column (r = −1): s_k T is not standard
                var swapped = (int[])row.Clone();
                (swapped[k], swapped[k + 1]) = (swapped[k + 1], swapped[k]);
                _partner[k][t] = index[string.Join(",", swapped)];
                _offDiagonal[k][t] = Math.Sqrt(1.0 - 1.0 / ((double)r * r));
            }
        }
    }

    /// <summary>The partition λ labelling the representation.</summary>
    public Partition Shape { get; }

    /// <summary>The degree n of the symmetric group S_n (the size of <see cref="Shape"/>).</summary>
    public int Degree => Shape.Size;

    /// <summary>The dimension: the number of standard Young tableaux of shape λ (equal to <see cref="Partition.HookLengthDimension"/>).</summary>
    public int Dimension { get; }

    /// <summary>The representation for a partition, built once and cached.</summary>
    /// <param name="shape">The partition λ of n.</param>
    public static YoungOrthogonalForm For(Partition shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Cache.GetOrAdd(shape, s => new YoungOrthogonalForm(s));
    }

    /// <summary>The standard Young tableau of basis vector <paramref name="index"/>, as rows of 0-based entries.</summary>
    /// <param name="index">A basis index in [0, Dimension).</param>
    /// <returns>A fresh jagged array: element [i][j] is the entry in row i, column j.</returns>
    public int[][] Tableau(int index)
    {
        if ((uint)index >= (uint)Dimension)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Basis index {index} is outside [0, {Dimension}).");
        var rows = new int[Shape.Length][];
        for (int i = 0; i < rows.Length; i++) rows[i] = new int[Shape[i]];
        for (int entry = 0; entry < Degree; entry++) rows[_rowOf[index][entry]][_columnOf[index][entry]] = entry;
        return rows;
    }

    /// <summary>The matrix ρ(s_k) of the adjacent transposition s_k = (k, k+1), by the axial-distance rule in the remarks.</summary>
    /// <param name="k">A 0-based index in [0, n−1).</param>
    public Matrix<double> AdjacentTranspositionMatrix(int k)
    {
        if ((uint)k >= (uint)_diagonal.Length)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Adjacent transposition s_{k} does not exist in S_{Degree}; k must lie in [0, {Degree - 1}).");
        var m = Matrix<double>.Build.Dense(Dimension, Dimension);
        for (int t = 0; t < Dimension; t++)
        {
            m[t, t] = _diagonal[k][t];
            if (_partner[k][t] >= 0) m[_partner[k][t], t] = _offDiagonal[k][t];
        }
        return m;
    }

    /// <summary>The orthogonal matrix ρ(p), the product of <see cref="AdjacentTranspositionMatrix"/> over
    /// <see cref="Permutation.AdjacentTranspositions"/> in the same order.</summary>
    /// <param name="p">A permutation of degree n.</param>
    public Matrix<double> Matrix(Permutation p)
    {
        if (p.Degree != Degree)
            throw new ArgumentException($"Permutation {p} has degree {p.Degree}, but {Shape} labels an irrep of S_{Degree}.", nameof(p));
        int d = Dimension;
        var m = new double[d, d];
        for (int t = 0; t < d; t++) m[t, t] = 1.0;
        var next = new double[d, d];
        var word = p.AdjacentTranspositions();
        // ρ(p) = ρ(s_k₁) ... ρ(s_k_m): multiply on the left, last letter first. Each ρ(s_k) mixes at most two rows.
        for (int w = word.Length - 1; w >= 0; w--)
        {
            int k = word[w];
            for (int t = 0; t < d; t++)
            {
                int u = _partner[k][t];
                double a = _diagonal[k][t], b = _offDiagonal[k][t];
                for (int j = 0; j < d; j++)
                    next[t, j] = a * m[t, j] + (u >= 0 ? b * m[u, j] : 0.0);
            }
            (m, next) = (next, m);
        }
        return Matrix<double>.Build.DenseOfArray(m);
    }

    /// <summary>The character χ^λ(p) = trace ρ(p), computed exactly by <see cref="Character(Partition, int[])"/>.</summary>
    /// <param name="p">A permutation of degree n.</param>
    public int Character(Permutation p)
    {
        if (p.Degree != Degree)
            throw new ArgumentException($"Permutation {p} has degree {p.Degree}, but {Shape} labels an irrep of S_{Degree}.", nameof(p));
        return Character(Shape, p.CycleType);
    }

    /// <summary>The irreducible character χ^λ on the class of cycle type μ, by the Murnaghan–Nakayama rule (exact integers).</summary>
    /// <remarks>χ^λ(μ) = Σ (−1)^height(ξ) χ^(λ∖ξ)(μ∖μ₀) over the border strips ξ of size μ₀ that can be removed from λ;
    /// computed with β-numbers, where removing a strip of size m moves one β to β − m and its height counts the β's it passes.
    /// Reference: James and Kerber (1981), 2.4.7; Sagan, "The Symmetric Group" (2001), §4.10.</remarks>
    /// <param name="shape">The partition λ of n.</param>
    /// <param name="cycleType">The cycle lengths μ, in any order, fixed points included: positive and summing to n.</param>
    public static int Character(Partition shape, int[] cycleType)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(cycleType);
        if (cycleType.Any(x => x <= 0) || cycleType.Sum() != shape.Size)
            throw new ArgumentException(
                $"Cycle type [{string.Join(",", cycleType)}] must have positive parts summing to {shape.Size}, the size of {shape}.", nameof(cycleType));
        var cycles = cycleType.OrderByDescending(x => x).ToArray();
        return checked((int)MurnaghanNakayama(shape.Parts.ToArray(), cycles, 0));
    }

    private static long MurnaghanNakayama(int[] parts, int[] cycles, int next)
    {
        if (next == cycles.Length) return 1;   // the sizes agree, so the shape is empty here
        int m = cycles[next];
        int length = parts.Length;
        var beta = new int[length];
        for (int i = 0; i < length; i++) beta[i] = parts[i] + (length - 1 - i);   // strictly decreasing
        long sum = 0;
        for (int i = 0; i < length; i++)
        {
            int moved = beta[i] - m;
            if (moved < 0 || Array.IndexOf(beta, moved) >= 0) continue;
            int height = 0;
            foreach (int b in beta)
                if (b > moved && b < beta[i]) height++;
            var newBeta = (int[])beta.Clone();
            newBeta[i] = moved;
            Array.Sort(newBeta, (x, y) => y.CompareTo(x));
            var newParts = new List<int>(length);
            for (int j = 0; j < length; j++)
            {
                int part = newBeta[j] - (length - 1 - j);
                if (part > 0) newParts.Add(part);
            }
            long term = MurnaghanNakayama(newParts.ToArray(), cycles, next + 1);
            sum += (height & 1) == 0 ? term : -term;
        }
        return sum;
    }

    private static (int[][] RowOf, int[][] ColumnOf) StandardTableaux(Partition shape)
    {
        int n = shape.Size;
        var rowLengths = new int[shape.Length];
        var rowOf = new int[n];
        var rows = new List<int[]>();
        var columns = new List<int[]>();
        Place(0);
        return (rows.ToArray(), columns.ToArray());

        // Entry i goes to the end of a row that still has room and stays no longer than the row above;
        // trying rows top to bottom lists the tableaux in lexicographic order of their row words.
        void Place(int entry)
        {
            if (entry == n)
            {
                rows.Add((int[])rowOf.Clone());
                var column = new int[n];
                var filled = new int[shape.Length];
                for (int i = 0; i < n; i++) column[i] = filled[rowOf[i]]++;
                columns.Add(column);
                return;
            }
            for (int r = 0; r < shape.Length; r++)
            {
                if (rowLengths[r] >= shape[r] || (r > 0 && rowLengths[r - 1] <= rowLengths[r])) continue;
                rowOf[entry] = r;
                rowLengths[r]++;
                Place(entry + 1);
                rowLengths[r]--;
            }
        }
    }
}
