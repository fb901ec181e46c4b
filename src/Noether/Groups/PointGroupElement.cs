using MathNet.Numerics.LinearAlgebra;

namespace Noether.Groups;

/// <summary>An element of a finite 3D point group: an orthogonal 3×3 matrix, numbered within its group.</summary>
public sealed class PointGroupElement : GroupElement, IEquatable<PointGroupElement>
{
    private readonly Matrix<double> _matrix;

    internal PointGroupElement(Group group, int index, Matrix<double> matrix) : base(group)
    {
        Index = index;
        _matrix = matrix;
    }

    /// <summary>The position in the group's element list.</summary>
    public int Index { get; }

    /// <summary>The orthogonal matrix (a copy).</summary>
    public Matrix<double> Matrix => _matrix.Clone();

    internal Matrix<double> MatrixView => _matrix;

    /// <inheritdoc />
    public bool Equals(PointGroupElement? other) => other is not null && other.Index == Index && other.Group.Equals(Group);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PointGroupElement p && Equals(p);
    /// <inheritdoc />
    public override int GetHashCode() => Index;
    /// <inheritdoc />
    public override string ToString() => OrthogonalElement.Describe(_matrix);
}
