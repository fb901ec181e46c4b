using MathNet.Numerics.LinearAlgebra;

namespace Noether.Groups;

/// <summary>An element of a <see cref="MatrixGroup"/>: an invertible n×n matrix acting on column vectors x ↦ g x.</summary>
public sealed class MatrixElement : GroupElement
{
    private readonly Matrix<double> _matrix;

    internal MatrixElement(MatrixGroup group, Matrix<double> matrix) : base(group) => _matrix = matrix;

    /// <summary>The matrix (a copy).</summary>
    public Matrix<double> Matrix => _matrix.Clone();

    internal Matrix<double> MatrixView => _matrix;

    /// <inheritdoc />
    public override string ToString()
    {
        var f = System.Globalization.CultureInfo.InvariantCulture;
        return "[" + string.Join("; ", Enumerable.Range(0, _matrix.RowCount)
            .Select(i => string.Join(" ", _matrix.Row(i).Select(v => v.ToString("0.###", f))))) + "]";
    }
}
