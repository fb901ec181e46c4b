using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static Noether.Tests.Representations.So3TestData;
using static TorchSharp.torch;

namespace Noether.Tests.Representations;

public class WignerDTests
{
    private const double Tight = 1e-10;

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void WignerD_IsHomomorphism(int l)
    {
        var rotations = RandomRotations(4, 10 + l);
        for (var i = 0; i < rotations.Length; i += 2)
        {
            var (a, b) = (rotations[i], rotations[i + 1]);
            var error = MaxAbsDifference(WignerD.Real(l, a * b), WignerD.Real(l, a) * WignerD.Real(l, b));
            Assert.True(error < Tight, $"l = {l}: {error:G3}");
        }
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void WignerD_OfInverse_IsTranspose(int l)
    {
        var rotation = RandomRotations(1, 20 + l)[0];
        var error = MaxAbsDifference(WignerD.Real(l, rotation.Transpose()), WignerD.Real(l, rotation).Transpose());
        Assert.True(error < Tight, $"l = {l}: {error:G3}");
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void WignerD_IsOrthogonal(int l)
    {
        var d = WignerD.Real(l, RandomRotations(1, 30 + l)[0]);
        var error = MaxAbsDifference(d.TransposeThisAndMultiply(d), Matrix<double>.Build.DenseIdentity(2 * l + 1));
        Assert.True(error < Tight, $"l = {l}: {error:G3}");
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void WignerD_OfIdentity_IsIdentity(int l)
    {
        var identity = Matrix<double>.Build.DenseIdentity(3);
        var error = MaxAbsDifference(WignerD.Real(l, identity), Matrix<double>.Build.DenseIdentity(2 * l + 1));
        Assert.True(error < Tight, $"l = {l}: {error:G3}");
    }

    [Fact]
    public void WignerD_Degree1_IsRotationInYZXOrder()
    {
        // Y_1 ∝ (y, z, x), so D^1(R) = P R Pᵀ with P the permutation (x, y, z) ↦ (y, z, x).
        var rotation = RandomRotations(1, 40)[0];
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } });
        Assert.True(MaxAbsDifference(WignerD.Real(1, rotation), p * rotation * p.Transpose()) < 1e-12);
    }

    [Fact]
    public void WignerD_AboutZ_RotatesOrdersPlusMinusM()
    {
        // Rz(α) moves azimuth φ to φ + α, and cos(m(φ + α)) = cos mα cos mφ − sin mα sin mφ, so
        // D[l+m, l+m] = cos mα, D[l+m, l−m] = −sin mα and D[l−m, l+m] = sin mα.
        const int l = 3;
        const double alpha = 0.7;
        var d = WignerD.Real(l, Rotations3D.FromAxisAngle(new[] { 0.0, 0, 1 }, alpha));
        for (var m = 1; m <= l; m++)
        {
            Assert.Equal(Math.Cos(m * alpha), d[l + m, l + m], 1e-12);
            Assert.Equal(-Math.Sin(m * alpha), d[l + m, l - m], 1e-12);
            Assert.Equal(Math.Sin(m * alpha), d[l - m, l + m], 1e-12);
        }
        Assert.Equal(1.0, d[l, l], 1e-12);
    }

    [Fact]
    public void WignerD_RejectsNonRotations()
    {
        var reflection = Matrix<double>.Build.DenseDiagonal(3, 3, 1.0);
        reflection[2, 2] = -1;
        Assert.Throws<ArgumentException>(() => WignerD.Real(2, reflection));
        Assert.Throws<ArgumentException>(() => WignerD.Real(2, 1.01 * Matrix<double>.Build.DenseIdentity(3)));
        Assert.Throws<ArgumentException>(() => WignerD.Real(2, Matrix<double>.Build.DenseIdentity(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WignerD.Real(-1, Matrix<double>.Build.DenseIdentity(3)));
    }

    [Theory, InlineData(0), InlineData(1), InlineData(2), InlineData(5), InlineData(10)]
    public void WignerDTensor_MatchesMatrixVersion(int l)
    {
        using var scope = torch.NewDisposeScope();
        var rotations = Rotations3D.Random(6, seed: 50 + l).reshape(2, 3, 3, 3);
        var d = WignerD.Real(l, rotations);
        Assert.Equal(new long[] { 2, 3, 2 * l + 1, 2 * l + 1 }, d.shape);
        Assert.Equal(ScalarType.Float64, d.dtype);
        var flatRotations = rotations.reshape(-1, 3, 3);
        var flatD = d.reshape(-1, 2 * l + 1, 2 * l + 1);
        for (var i = 0; i < 6; i++)
        {
            var expected = WignerD.Real(l, ToMatrix(flatRotations[i]));
            Assert.True(MaxAbsDifference(expected, ToMatrix(flatD[i])) < 1e-12);
        }
    }

    [Fact]
    public void WignerDTensor_LargeBatch_EqualsPerRotationResults()
    {
        // Batches above the internal chunk size (8192) are processed in pieces; the seams must not show.
        using var scope = torch.NewDisposeScope();
        var rotations = Rotations3D.Random(20000, seed: 70);
        var d = WignerD.Real(2, rotations);
        Assert.Equal(new long[] { 20000, 5, 5 }, d.shape);
        foreach (var i in new[] { 0, 8191, 8192, 16384, 19999 })
        {
            var single = WignerD.Real(2, rotations.narrow(0, i, 1));
            Assert.True((single[0] - d[i]).abs().max().ToDouble() < 1e-14);
            Assert.True(MaxAbsDifference(WignerD.Real(2, ToMatrix(rotations[i])), ToMatrix(d[i])) < 1e-12);
        }
    }

    [Fact]
    public void WignerDTensor_Float32_KeepsDtypeAndIsHomomorphism()
    {
        using var scope = torch.NewDisposeScope();
        var a = Rotations3D.Random(64, seed: 60, ScalarType.Float32);
        var b = Rotations3D.Random(64, seed: 61, ScalarType.Float32);
        var dab = WignerD.Real(3, a.matmul(b));
        Assert.Equal(ScalarType.Float32, dab.dtype);
        var error = (dab - WignerD.Real(3, a).matmul(WignerD.Real(3, b))).abs().max().ToDouble();
        Assert.True(error < 1e-4, $"{error:G3}");
    }

    [Fact]
    public void WignerDTensor_RejectsBadShape()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => WignerD.Real(1, torch.eye(4, dtype: ScalarType.Float64)));
        Assert.Throws<ArgumentException>(() => WignerD.Real(1, torch.ones(3)));
        Assert.Throws<ArgumentException>(() => WignerD.Real(1, torch.eye(3, dtype: ScalarType.Int32)));
    }

    [Fact]
    public void Sampling_IsWellConditionedUpToDegree20()
    {
        // The exactness of D = Y(RX)ᵀ pinv(Y(X))ᵀ rests on Y(X) being well conditioned.
        for (var l = 0; l <= 20; l++)
        {
            var projector = WignerD.GetSampling(l).ProjectorTransposed;
            var svd = projector.Svd(computeVectors: false);
            var condition = svd.S.Maximum() / svd.S.Minimum();
            Assert.True(condition < 10, $"l = {l}: condition number {condition:G3}");
        }
    }

    private static Matrix<double> ToMatrix(Tensor t)
    {
        var rows = (int)t.shape[0];
        var columns = (int)t.shape[1];
        var values = t.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => values[i * columns + j]);
    }
}
