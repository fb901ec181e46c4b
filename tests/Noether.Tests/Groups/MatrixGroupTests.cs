using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Tests.Groups;

public class MatrixGroupTests
{
    public static TheoryData<string> Names => new() { "SO5", "O5", "SL3", "Sp4", "lorentz", "SO13+", "S5", "Z5", "D4", "O3", "C8", "octahedral" };

    [Theory, MemberData(nameof(Names))]
    public void Samples_PreserveTheGroupsInvariantForm(string name)
    {
        // Each family preserves a form: orthogonal gᵀg = I, Lorentz gᵀηg = η, symplectic gᵀJg = J, SL det = 1.
        var group = MatrixGroup.Parse(name);
        var random = new Random(3);
        for (int i = 0; i < 10; i++)
        {
            var g = ((MatrixElement)group.Sample(random)).Matrix;
            int n = g.RowCount;
            Matrix<double>? form = name switch
            {
                "lorentz" or "SO13+" => Matrix<double>.Build.DenseOfDiagonalArray(new[] { 1.0, -1, -1, -1 }),
                "Sp4" => Symplectic(4),
                "SL3" => null,
                _ => Matrix<double>.Build.DenseIdentity(n),
            };
            if (form is null)
                Assert.InRange(g.Determinant(), 1 - 1e-9, 1 + 1e-9);
            else
                Assert.True((g.Transpose() * form * g - form).InfinityNorm() < 1e-9 * Math.Max(1, g.InfinityNorm() * g.InfinityNorm()), $"{name}: sample leaves the form");
        }
    }

    [Theory, MemberData(nameof(Names))]
    public void Product_IsAssociative_AndInverseCancels(string name)
    {
        var group = MatrixGroup.Parse(name);
        var random = new Random(5);
        for (int i = 0; i < 5; i++)
        {
            var (a, b, c) = (group.Sample(random), group.Sample(random), group.Sample(random));
            Assert.True(group.AreClose((a * b) * c, a * (b * c)));
            Assert.True(group.AreClose(a * a.Inverse(), group.Identity, 1e-8));
        }
    }

    [Fact]
    public void FiniteGroups_EnumerateTheirOrder()
    {
        Assert.Equal(120, MatrixGroup.Parse("S5").Elements.Count);
        Assert.Equal(5, MatrixGroup.Parse("Z5").Elements.Count);
        Assert.Equal(8, MatrixGroup.Parse("D4").Elements.Count);
        Assert.Equal(24, MatrixGroup.Parse("octahedral").Elements.Count);
    }

    [Fact]
    public void Exp_OfAnAlgebraElement_IsInTheGroup_AndANonMemberIsRejected()
    {
        var so3 = MatrixGroup.SO(3);
        var a = so3.LieAlgebra[0] * 0.7 + so3.LieAlgebra[2] * -1.3;
        var r = so3.Exp(a).Matrix;
        Assert.True((r.Transpose() * r - Matrix<double>.Build.DenseIdentity(3)).InfinityNorm() < 1e-13);
        var symmetric = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } });
        var error = Assert.Throws<ArgumentException>(() => so3.Exp(symmetric));
        Assert.Contains("not in the Lie algebra", error.Message);
    }

    [Fact]
    public void FromGenerators_RejectsInconsistentSizes()
    {
        var a = Matrix<double>.Build.Dense(3, 3);
        var h = Matrix<double>.Build.DenseIdentity(4);
        var error = Assert.Throws<ArgumentException>(() => MatrixGroup.FromGenerators("bad", new[] { a }, new[] { h }));
        Assert.Contains("inconsistent size", error.Message);
    }

    [Theory]
    [InlineData("SO0")]
    [InlineData("Sp3")]
    [InlineData("banana")]
    public void Parse_RejectsBadNames_QuotingThem(string name)
    {
        var error = Assert.Throws<FormatException>(() => MatrixGroup.Parse(name));
        Assert.Contains(name, error.Message);
    }

    private static Matrix<double> Symplectic(int n)
    {
        int m = n / 2;
        var j = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < m; i++) { j[i, m + i] = 1; j[m + i, i] = -1; }
        return j;
    }
}
