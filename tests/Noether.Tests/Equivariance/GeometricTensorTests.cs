using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

public class GeometricTensorTests
{
    private static Matrix<double> Rotation(double degrees)
    {
        double t = degrees * Math.PI / 180;
        return Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(t), -Math.Sin(t) }, { Math.Sin(t), Math.Cos(t) } });
    }

    [Fact]
    public void Rotation90_IsCounterClockwise_LikeRot90()
    {
        using var scope = NewDisposeScope();
        var image = arange(20, dtype: ScalarType.Float64).reshape(1, 1, 4, 5);
        var square = arange(25, dtype: ScalarType.Float64).reshape(1, 1, 5, 5);
        var rotated = GridResampling.Apply(square, Rotation(90));
        Assert.Equal(0.0, (rotated - square.rot90(1, (-2, -1))).abs().max().ToDouble());
        // A flip diag(1, −1) turns the picture upside down; non-square images allow flips but interpolate 90°.
        var flipped = GridResampling.Apply(image, Matrix<double>.Build.DenseDiagonal(2, 2, i => i == 0 ? 1.0 : -1.0));
        Assert.Equal(0.0, (flipped - image.flip(-2)).abs().max().ToDouble());
        Assert.False(GridResampling.IsExact(Rotation(90), 4, 5));
        Assert.False(GridResampling.IsExact(Rotation(45), 5, 5));
    }

    [Fact]
    public void Transform_IsAnAction_OnRegularFields()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.FlipsRotations(4);
        var type = space.Regular(2);
        var x = new GeometricTensor(randn(new long[] { 2, 16, 7, 7 }, dtype: ScalarType.Float64, generator: new Generator(1)), type);
        var group = space.Group;
        foreach (var a in group.Elements)
            foreach (var b in group.Elements)
            {
                var lhs = x.Transform(a * b).Tensor;
                var rhs = x.Transform(b).Transform(a).Tensor;
                Assert.True((lhs - rhs).abs().max().ToDouble() < 1e-12, $"(ab)·x ≠ a·(b·x) for {a}, {b}");
            }
    }

    [Fact]
    public void WrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var type = GSpace2D.Rotations(8).Regular(3);
        var e = Assert.Throws<ArgumentException>(() => new GeometricTensor(zeros(1, 20, 5, 5), type));
        Assert.Contains("24 channels", e.Message);
        Assert.Contains("has 20", e.Message);
        Assert.Throws<ArgumentException>(() => new GeometricTensor(zeros(20, 5, 5), type));
    }

    [Fact]
    public void FieldTypes_OfDifferentSpaces_DoNotMix()
    {
        var a = GSpace2D.Rotations(4).Regular(1);
        var b = GSpace2D.Rotations(8).Regular(1);
        Assert.Throws<ArgumentException>(() => a + b);
        Assert.Equal("2×regular", (a + a).Description);
        Assert.Throws<ArgumentException>(() => new FieldType(GSpace2D.Rotations(4), new[] { Group.Cyclic(8).Regular }));
    }
}
