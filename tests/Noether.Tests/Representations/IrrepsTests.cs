using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Representations;

public class IrrepsTests
{
    [Theory]
    [InlineData("16x0e+8x1o+4x2e")]
    [InlineData("1x0o")]
    [InlineData("3x1e+0x2o+2x0e")]
    [InlineData("")]
    public void Parse_RoundTripsCanonicalString(string canonical)
    {
        var irreps = Irreps.Parse(canonical);
        Assert.Equal(canonical, irreps.ToString());
        Assert.Equal(irreps, Irreps.Parse(irreps.ToString()));
    }

    [Fact]
    public void Parse_AcceptsSpacesAndImplicitMultiplicity()
    {
        var irreps = Irreps.Parse(" 16x0e + 1o +4x2e ");
        Assert.Equal("16x0e+1x1o+4x2e", irreps.ToString());
        Assert.Equal(16 + 3 + 20, irreps.Dim);
        Assert.Equal(21, irreps.Count);
        Assert.Equal(2, irreps.MaxDegree);
        Assert.Equal(new[] { (0, 16), (16, 3), (19, 20) }, irreps.Slices);
    }

    [Theory]
    [InlineData("16x0e + 8y1o", "'8y1o'")]
    [InlineData("16x0e + 8x1", "'8x1'")]
    [InlineData("ax0e", "'ax0e'")]
    [InlineData("2x0e++1o", "empty term")]
    [InlineData("-1x0e", "'-1x0e'")]
    [InlineData("1x-1e", "'1x-1e'")]
    public void Parse_RejectsBadStrings_QuotingInputAndToken(string text, string token)
    {
        var error = Assert.Throws<FormatException>(() => Irreps.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(token, error.Message);
        Assert.False(Irreps.TryParse(text, out _));
    }

    [Fact]
    public void Simplify_MergesNeighboursAndDropsZeros()
    {
        Assert.Equal("3x0e+1x1o+1x0e", Irreps.Parse("1x0e+2x0e+0x2e+1o+0e").Simplify().ToString());
    }

    [Fact]
    public void Sort_OrdersByDegreeNaturalParityFirst_AndReportsPermutation()
    {
        var irreps = Irreps.Parse("2x1e+3x0o+1x1o+4x0e");
        var (sorted, permutation) = irreps.Sort();
        Assert.Equal("4x0e+3x0o+1x1o+2x1e", sorted.ToString());
        Assert.Equal(new[] { 3, 1, 2, 0 }, permutation);
        // The component index moves each term's block with it.
        var index = irreps.SortedComponentIndex();
        Assert.Equal(irreps.Dim, index.Length);
        Assert.Equal(irreps.Slices[3].Start, (int)index[0]);
    }

    [Fact]
    public void Matrix_IsHomomorphism_OnO3WithParity()
    {
        var irreps = Irreps.Parse("2x0e+1x0o+1x1o+1x1e+1x2e+1x2o+1x3o");
        foreach (var (a, b) in TestCases.Pairs(Group.O3, count: 6, seed: 5))
        {
            var error = (irreps.Matrix(a * b) - irreps.Matrix(a) * irreps.Matrix(b)).Enumerate().Max(Math.Abs);
            Assert.True(error < 1e-10, $"{a} · {b}: {error:G3}");
        }
    }

    [Fact]
    public void Matrix_AgreesWithO3IrrepRepresentation()
    {
        var irreps = Irreps.Parse("1x0o+2x1o+1x2e");
        var rep = irreps.ToRepresentation();
        foreach (var g in Group.O3.Sample(4, 11))
        {
            var error = (irreps.Matrix(g) - rep.Matrix(g)).Enumerate().Max(Math.Abs);
            Assert.True(error < 1e-10, error.ToString("G3"));
        }
    }

    [Fact]
    public void Matrix_OfInversion_IsParity()
    {
        var irreps = Irreps.Parse("1x0e+1x0o+1x1o+1x1e");
        var d = irreps.Matrix(Group.O3.Inversion);
        var expected = Matrix<double>.Build.DiagonalOfDiagonalArray(new double[] { 1, -1, -1, -1, -1, 1, 1, 1 });
        Assert.True((d - expected).Enumerate().Max(Math.Abs) < 1e-12);
    }

    [Fact]
    public void Vector_Irrep_RotatesCartesianVectorsInYZXOrder()
    {
        // "1o" components are (y, z, x): D(g) P v = P g v with P the (x, y, z) ↦ (y, z, x) permutation.
        var g = (OrthogonalElement)Group.O3.Sample(1, 3)[0];
        var p = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } });
        var error = (Irreps.Parse("1o").Matrix(g) * p - p * g.Matrix).Enumerate().Max(Math.Abs);
        Assert.True(error < 1e-12, error.ToString("G3"));
    }

    [Fact]
    public void Matrices_Batched_EqualsPerElementMatrix()
    {
        using var scope = NewDisposeScope();
        var irreps = Irreps.Parse("2x0e+1x0o+1x1o+1x2e+1x2o");
        var elements = Group.O3.Sample(5, 21).Cast<OrthogonalElement>().ToArray();
        var stacked = torch.stack(elements.Select(g => torch.tensor(g.Matrix.ToArray(), dtype: ScalarType.Float64)).ToArray());
        var batched = irreps.Matrices(stacked);
        Assert.Equal(new long[] { 5, irreps.Dim, irreps.Dim }, batched.shape);
        for (var i = 0; i < elements.Length; i++)
        {
            var error = (batched[i] - irreps.MatrixTensor(elements[i])).abs().max().ToDouble();
            Assert.True(error < 1e-10, error.ToString("G3"));
        }
    }

    [Fact]
    public void SphericalHarmonicsIrreps_HaveNaturalParity()
    {
        Assert.Equal("1x0e+1x1o+1x2e+1x3o", Irreps.SphericalHarmonics(3).ToString());
    }
}
