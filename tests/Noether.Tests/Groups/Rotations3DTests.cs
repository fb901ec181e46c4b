using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Groups;

public class Rotations3DTests
{
    private const double Exact = 1e-12;

    [Fact]
    public void FromAxisAngle_QuarterTurnAboutZ_MapsXToY()
    {
        var r = Rotations3D.FromAxisAngle(new[] { 0.0, 0, 2 }, Math.PI / 2);
        var image = r * Vector<double>.Build.DenseOfArray(new[] { 1.0, 0, 0 });
        Assert.True((image - Vector<double>.Build.DenseOfArray(new[] { 0.0, 1, 0 })).AbsoluteMaximum() < Exact);
    }

    [Fact]
    public void FromQuaternion_MatchesAxisAngle()
    {
        // q = (cos θ/2, n sin θ/2), scaled by 3 to check the normalisation.
        var axis = new[] { 1.0 / 3, -2.0 / 3, 2.0 / 3 };
        const double angle = 1.1;
        var (s, c) = Math.SinCos(angle / 2);
        var fromQuaternion = Rotations3D.FromQuaternion(3 * c, 3 * s * axis[0], 3 * s * axis[1], 3 * s * axis[2]);
        Assert.True(MaxAbs(fromQuaternion - Rotations3D.FromAxisAngle(axis, angle)) < Exact);
    }

    [Fact]
    public void FromEulerZYZ_ComposesElementaryRotations()
    {
        var z = new[] { 0.0, 0, 1 };
        var y = new[] { 0.0, 1, 0 };
        var expected = Rotations3D.FromAxisAngle(z, 0.3) * Rotations3D.FromAxisAngle(y, 1.2) * Rotations3D.FromAxisAngle(z, -2.0);
        Assert.True(MaxAbs(Rotations3D.FromEulerZYZ(0.3, 1.2, -2.0) - expected) < Exact);
    }

    [Fact]
    public void Random_IsRotation()
    {
        var random = new Random(1);
        for (var i = 0; i < 20; i++)
        {
            var r = Rotations3D.Random(random);
            Assert.True(MaxAbs(r.TransposeThisAndMultiply(r) - Matrix<double>.Build.DenseIdentity(3)) < Exact);
            Assert.Equal(1.0, r.Determinant(), Exact);
        }
    }

    [Fact]
    public void Random_IsHaarUniform()
    {
        // Under the Haar measure E[R] = 0 and E[R_ij²] = 1/3; with 20000 samples the standard error is ≈ 0.004.
        var random = new Random(2);
        var sum = Matrix<double>.Build.Dense(3, 3);
        var sumOfSquares = Matrix<double>.Build.Dense(3, 3);
        const int count = 20000;
        for (var i = 0; i < count; i++)
        {
            var r = Rotations3D.Random(random);
            sum += r;
            sumOfSquares += r.PointwiseMultiply(r);
        }
        Assert.True(MaxAbs(sum / count) < 0.03);
        Assert.True(MaxAbs(sumOfSquares / count - Matrix<double>.Build.Dense(3, 3, 1.0 / 3)) < 0.03);
    }

    [Fact]
    public void RandomTensor_IsReproducibleHaarRotations()
    {
        using var scope = torch.NewDisposeScope();
        var r = Rotations3D.Random(20000, seed: 3);
        Assert.Equal(new long[] { 20000, 3, 3 }, r.shape);
        Assert.Equal(ScalarType.Float64, r.dtype);
        Assert.Equal(0.0, (r - Rotations3D.Random(20000, seed: 3)).abs().max().ToDouble());
        Assert.NotEqual(0.0, (r - Rotations3D.Random(20000, seed: 4)).abs().max().ToDouble());
        var orthogonality = (r.transpose(-1, -2).matmul(r) - torch.eye(3, dtype: ScalarType.Float64)).abs().max().ToDouble();
        Assert.True(orthogonality < Exact);
        Assert.True((torch.linalg.det(r) - 1).abs().max().ToDouble() < Exact);
        Assert.True(r.mean(new long[] { 0 }).abs().max().ToDouble() < 0.03);
        var single = Rotations3D.Random(5, seed: 3, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, single.dtype);
        Assert.Throws<ArgumentException>(() => Rotations3D.Random(5, seed: 3, ScalarType.Int32));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rotations3D.Random(-1, seed: 3));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-9)]
    [InlineData(0.4)]
    [InlineData(2.5)]
    [InlineData(Math.PI - 1e-6)]
    [InlineData(Math.PI)]
    public void ToAxisAngle_RoundTrips(double angle)
    {
        var axis = new[] { 2.0 / 7, -3.0 / 7, 6.0 / 7 };
        var r = Rotations3D.FromAxisAngle(axis, angle);
        var (recoveredAxis, recoveredAngle) = Rotations3D.ToAxisAngle(r);
        Assert.Equal(angle, recoveredAngle, 1e-9);
        Assert.Equal(1.0, Math.Sqrt(recoveredAxis.Sum(v => v * v)), Exact);
        // Rebuilding the matrix is the convention-free check (axis is arbitrary at 0 and ± at π).
        Assert.True(MaxAbs(Rotations3D.FromAxisAngle(recoveredAxis, recoveredAngle) - r) < 1e-9);
        if (angle > 1e-6)
            Assert.True(Math.Abs(recoveredAxis.Zip(axis, (a, b) => a * b).Sum()) > 1 - 1e-9);
    }

    [Fact]
    public void Constructors_RejectDegenerateInput()
    {
        Assert.Throws<ArgumentException>(() => Rotations3D.FromAxisAngle(new[] { 0.0, 0, 0 }, 1));
        Assert.Throws<ArgumentException>(() => Rotations3D.FromAxisAngle(new[] { 1.0, 0 }, 1));
        Assert.Throws<ArgumentException>(() => Rotations3D.FromQuaternion(0, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => Rotations3D.ToAxisAngle(2 * Matrix<double>.Build.DenseIdentity(3)));
        Assert.Throws<ArgumentException>(() => Rotations3D.ToAxisAngle(-Matrix<double>.Build.DenseIdentity(3)));
    }

    private static double MaxAbs(Matrix<double> m) => m.Enumerate().Max(Math.Abs);
}
