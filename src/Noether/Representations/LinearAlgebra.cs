using MathNet.Numerics.LinearAlgebra;

namespace Noether.Representations;

/// <summary>Small dense linear-algebra helpers over MathNet matrices, used by the representation code.</summary>
internal static class LinearAlgebra
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;

    /// <summary>The block-diagonal matrix with <paramref name="blocks"/> on the diagonal.</summary>
    public static Matrix<double> BlockDiagonal(IEnumerable<Matrix<double>> blocks)
    {
        var list = blocks as IReadOnlyList<Matrix<double>> ?? blocks.ToArray();
        if (list.Count == 1) return list[0].Clone();
        int rows = list.Sum(b => b.RowCount), cols = list.Sum(b => b.ColumnCount);
        var result = M.Dense(rows, cols);
        int r = 0, c = 0;
        foreach (var b in list)
        {
            result.SetSubMatrix(r, c, b);
            r += b.RowCount;
            c += b.ColumnCount;
        }
        return result;
    }

    /// <summary>max |QᵀQ − I|.</summary>
    public static double OrthogonalityError(Matrix<double> q)
    {
        var p = q.TransposeThisAndMultiply(q);
        return (p - M.DenseIdentity(p.RowCount)).Enumerate().Select(Math.Abs).DefaultIfEmpty(0).Max();
    }

    /// <summary>max |a − b| over entries.</summary>
    public static double MaxAbsDifference(Matrix<double> a, Matrix<double> b)
    {
        if (a.RowCount != b.RowCount || a.ColumnCount != b.ColumnCount) return double.PositiveInfinity;
        double max = 0;
        for (int i = 0; i < a.RowCount; i++)
            for (int j = 0; j < a.ColumnCount; j++)
                max = Math.Max(max, Math.Abs(a[i, j] - b[i, j]));
        return max;
    }

    /// <summary>An orthonormal basis (columns) of the null space of the symmetric positive
    /// semi-definite <paramref name="gram"/>: eigenvectors with eigenvalue below <paramref name="tolerance"/>.</summary>
    public static Matrix<double> NullSpaceOfGram(Matrix<double> gram, double tolerance)
    {
        var evd = gram.Evd(Symmetricity.Symmetric);
        var indices = Enumerable.Range(0, gram.RowCount).Where(i => Math.Abs(evd.EigenValues[i].Real) < tolerance).ToArray();
        var result = M.Dense(gram.RowCount, indices.Length);
        for (int c = 0; c < indices.Length; c++) result.SetColumn(c, evd.EigenVectors.Column(indices[c]));
        return result;
    }

    /// <summary>A matrix with entries drawn from N(0,1).</summary>
    public static Matrix<double> Gaussian(int rows, int cols, Random random)
    {
        var m = M.Dense(rows, cols);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = Gaussian(random);
        return m;
    }

    /// <summary>One N(0,1) sample (Box–Muller).</summary>
    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The 2×2 rotation by <paramref name="angle"/>.</summary>
    public static Matrix<double> Rotation2(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return M.DenseOfArray(new[,] { { c, -s }, { s, c } });
    }

    /// <summary>The 2×2 reflection across the x-axis, diag(1, −1).</summary>
    public static Matrix<double> FlipX2() => M.DenseOfArray(new[,] { { 1.0, 0.0 }, { 0.0, -1.0 } });

    /// <summary>A 1×1 matrix.</summary>
    public static Matrix<double> Scalar(double value) => M.Dense(1, 1, value);
}
