using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Representations.So3TestData;

namespace Noether.Tests.Representations;

public class ClebschGordanTests
{
    private const double Tight = 1e-10;

    /// <summary>Every allowed triple with l1, l2 ≤ 6, and spot checks with degrees up to 10.</summary>
    public static TheoryData<int, int, int> Triples
    {
        get
        {
            var data = new TheoryData<int, int, int>();
            for (var l1 = 0; l1 <= 6; l1++)
                for (var l2 = 0; l2 <= 6; l2++)
                    for (var l3 = Math.Abs(l1 - l2); l3 <= l1 + l2; l3++)
                        data.Add(l1, l2, l3);
            foreach (var (l1, l2, l3) in new[] { (10, 10, 20), (10, 10, 0), (10, 7, 5), (8, 9, 12), (10, 3, 9) })
                data.Add(l1, l2, l3);
            return data;
        }
    }

    [Theory, MemberData(nameof(Triples))]
    public void ClebschGordan_IntertwinesWignerD(int l1, int l2, int l3)
    {
        var c = ClebschGordan.Real(l1, l2, l3);
        var map = AsMatrix(c, l1, l2, l3); // column k = vec(C[:, :, k]) with row index i·(2l2 + 1) + j
        foreach (var rotation in RandomRotations(2, 1000 * l1 + 100 * l2 + l3))
        {
            var left = WignerD.Real(l1, rotation).KroneckerProduct(WignerD.Real(l2, rotation)) * map;
            var right = map * WignerD.Real(l3, rotation);
            var error = MaxAbsDifference(left, right);
            Assert.True(error < Tight, $"({l1}, {l2}, {l3}): {error:G3}");
        }
    }

    [Theory, MemberData(nameof(Triples))]
    public void ClebschGordan_HasOrthonormalColumns(int l1, int l2, int l3)
    {
        var map = AsMatrix(ClebschGordan.Real(l1, l2, l3), l1, l2, l3);
        var error = MaxAbsDifference(map.TransposeThisAndMultiply(map), Matrix<double>.Build.DenseIdentity(2 * l3 + 1));
        Assert.True(error < 1e-12, $"({l1}, {l2}, {l3}): {error:G3}");
    }

    [Theory, MemberData(nameof(Triples))]
    public void ClebschGordan_FirstNonZeroEntryIsPositive(int l1, int l2, int l3)
    {
        var first = ClebschGordan.Real(l1, l2, l3).Cast<double>().First(v => Math.Abs(v) > 1e-9);
        Assert.True(first > 0);
    }

    public static TheoryData<int, int> Pairs
    {
        get
        {
            var data = new TheoryData<int, int>();
            for (var l1 = 0; l1 <= 4; l1++)
                for (var l2 = 0; l2 <= 4; l2++)
                    data.Add(l1, l2);
            data.Add(6, 5);
            return data;
        }
    }

    [Theory, MemberData(nameof(Pairs))]
    public void TensorProductChangeOfBasis_BlockDiagonalizesKroneckerProduct(int l1, int l2)
    {
        var q = ClebschGordan.TensorProductChangeOfBasis(l1, l2);
        var size = (2 * l1 + 1) * (2 * l2 + 1);
        Assert.True(MaxAbsDifference(q.TransposeThisAndMultiply(q), Matrix<double>.Build.DenseIdentity(size)) < 1e-12);
        var rotation = RandomRotations(1, 10 * l1 + l2)[0];
        var blocks = Matrix<double>.Build.Dense(size, size);
        var offset = 0;
        for (var l3 = Math.Abs(l1 - l2); l3 <= l1 + l2; l3++)
        {
            blocks.SetSubMatrix(offset, offset, WignerD.Real(l3, rotation));
            offset += 2 * l3 + 1;
        }
        var kronecker = WignerD.Real(l1, rotation).KroneckerProduct(WignerD.Real(l2, rotation));
        Assert.True(MaxAbsDifference(kronecker, q * blocks * q.Transpose()) < Tight);
    }

    [Fact]
    public void ComplexCoefficient_MatchesTable()
    {
        // Wikipedia, "Table of Clebsch–Gordan coefficients", j1 = j2 = 1 and j1 = 2, j2 = 1 (Condon–Shortley).
        Assert.Equal(1 / Math.Sqrt(3), ClebschGordan.ComplexCoefficient(1, 1, 1, -1, 0), 1e-15);
        Assert.Equal(-1 / Math.Sqrt(3), ClebschGordan.ComplexCoefficient(1, 0, 1, 0, 0), 1e-15);
        Assert.Equal(1 / Math.Sqrt(2), ClebschGordan.ComplexCoefficient(1, 1, 1, 0, 1), 1e-15);
        Assert.Equal(-1 / Math.Sqrt(2), ClebschGordan.ComplexCoefficient(1, 0, 1, 1, 1), 1e-15);
        Assert.Equal(Math.Sqrt(2.0 / 3), ClebschGordan.ComplexCoefficient(1, 0, 1, 0, 2), 1e-15);
        Assert.Equal(1 / Math.Sqrt(6), ClebschGordan.ComplexCoefficient(1, 1, 1, -1, 2), 1e-15);
        Assert.Equal(-Math.Sqrt(3.0 / 10), ClebschGordan.ComplexCoefficient(2, 1, 1, 0, 1), 1e-15);
        Assert.Equal(0.0, ClebschGordan.ComplexCoefficient(1, 0, 1, 0, 1));
    }

    [Fact]
    public void Real_1x1To0_IsScaledIdentity()
    {
        // The invariant in V1 ⊗ V1 is the dot product; both factors use the same basis order, so C = I/√3.
        var c = ClebschGordan.Real(1, 1, 0);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(i == j ? 1 / Math.Sqrt(3) : 0.0, c[i, j, 0], 1e-15);
    }

    [Fact]
    public void Real_1x1To1_IsCrossProduct()
    {
        // V1 ⊗ V1 → V1 is the cross product, which commutes with the cyclic reorder (x, y, z) ↦ (y, z, x):
        // C[i, j, k] = ± ε_ijk/√2.
        var c = ClebschGordan.Real(1, 1, 1);
        var sign = Math.Sign(c[0, 1, 2]);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var k = 0; k < 3; k++)
                    Assert.Equal(sign * LeviCivita(i, j, k) / Math.Sqrt(2), c[i, j, k], 1e-15);
    }

    [Fact]
    public void Real_ReturnsACopy()
    {
        var first = ClebschGordan.Real(2, 1, 2);
        var original = first[0, 0, 0];
        first[0, 0, 0] = 42;
        Assert.Equal(original, ClebschGordan.Real(2, 1, 2)[0, 0, 0]);
    }

    [Fact]
    public void RealTensor_IsCachedFloat64CopyOfReal()
    {
        var tensor = ClebschGordan.RealTensor(2, 3, 4);
        Assert.Same(tensor, ClebschGordan.RealTensor(2, 3, 4));
        Assert.Equal(ScalarType.Float64, tensor.dtype);
        Assert.Equal(new long[] { 5, 7, 9 }, tensor.shape);
        var expected = ClebschGordan.Real(2, 3, 4).Cast<double>().ToArray();
        Assert.True(MaxAbsDifference(expected, tensor.data<double>().ToArray()) == 0);
    }

    [Theory]
    [InlineData(-1, 1, 1)]
    [InlineData(1, -1, 1)]
    [InlineData(1, 1, -1)]
    [InlineData(1, 1, 3)]
    [InlineData(4, 1, 2)]
    public void Real_InvalidTriple_Throws(int l1, int l2, int l3)
    {
        Assert.False(ClebschGordan.IsAllowed(l1, l2, l3));
        var error = Assert.Throws<ArgumentException>(() => ClebschGordan.Real(l1, l2, l3));
        Assert.Contains($"({l1}, {l2}, {l3})", error.Message);
        Assert.Throws<ArgumentException>(() => ClebschGordan.RealTensor(l1, l2, l3));
    }

    [Fact]
    public void IsAllowed_FollowsTriangleRule()
    {
        Assert.True(ClebschGordan.IsAllowed(0, 0, 0));
        Assert.True(ClebschGordan.IsAllowed(2, 3, 1));
        Assert.True(ClebschGordan.IsAllowed(2, 3, 5));
        Assert.False(ClebschGordan.IsAllowed(2, 3, 6));
        Assert.False(ClebschGordan.IsAllowed(2, 3, 0));
        Assert.Throws<ArgumentException>(() => ClebschGordan.TensorProductChangeOfBasis(-1, 2));
    }

    private static Matrix<double> AsMatrix(double[,,] c, int l1, int l2, int l3)
    {
        int n2 = 2 * l2 + 1;
        return Matrix<double>.Build.Dense((2 * l1 + 1) * n2, 2 * l3 + 1, (row, k) => c[row / n2, row % n2, k]);
    }

    private static double LeviCivita(int i, int j, int k) => (i - j) * (j - k) * (k - i) / 2.0;
}
