using MathNet.Numerics.LinearAlgebra;

namespace Noether.Groups;

/// <summary>An element of SO(3) or O(3): an orthogonal 3×3 matrix acting on column vectors x ↦ R x.</summary>
public sealed class OrthogonalElement : GroupElement
{
    private readonly Matrix<double> _matrix;

    internal OrthogonalElement(Group group, Matrix<double> matrix) : base(group) => _matrix = matrix;

    /// <summary>The orthogonal matrix (a copy).</summary>
    public Matrix<double> Matrix => _matrix.Clone();

    internal Matrix<double> MatrixView => _matrix;

    /// <summary>The determinant, +1 for rotations and −1 for improper elements.</summary>
    public int Determinant => _matrix.Determinant() > 0 ? 1 : -1;

    /// <inheritdoc />
    public override string ToString() => Describe(_matrix);

    /// <summary>"rot(angle about [axis])", with a leading "-" for improper matrices (−I times a rotation).</summary>
    internal static string Describe(Matrix<double> matrix)
    {
        bool improper = matrix.Determinant() < 0;
        var (axis, angle) = Rotations3D.ToAxisAngle(improper ? -matrix : matrix);
        var f = System.Globalization.CultureInfo.InvariantCulture;
        static double Clean(double v) => Math.Abs(v) < 1e-12 ? 0 : v;
        var text = angle < 1e-12
            ? "identity"
            : $"rot({Clean(angle * 180 / Math.PI).ToString("0.##", f)}° about [{string.Join(", ", axis.Select(a => Clean(a).ToString("0.###", f)))}])";
        return improper ? $"-{text}" : text;
    }
}
