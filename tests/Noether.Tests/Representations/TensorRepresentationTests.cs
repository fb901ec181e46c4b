using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Tests.Representations;

public class TensorRepresentationTests
{
    [Theory]
    [InlineData("SO3", "V", 3)]
    [InlineData("SO3", "V*", 3)]
    [InlineData("O5", "T(2,0)", 25)]
    [InlineData("lorentz", "3V+T(1,1)", 28)]
    [InlineData("SO3", "V⊗V", 9)]
    [InlineData("SO3", "V(x)V", 9)]
    [InlineData("S5", "1", 1)]
    [InlineData("S5", "S+2*V", 11)]
    [InlineData("SL3", "(V+1)⊗V*", 12)]
    [InlineData("Sp4", "4", 4)]
    public void Parse_GivesTheDimension_AndRoundTripsItsName(string group, string text, int dim)
    {
        var g = MatrixGroup.Parse(group);
        var rep = TensorRepresentation.Parse(text, g);
        Assert.Equal(dim, rep.Dim);
        Assert.Equal(rep, TensorRepresentation.Parse(rep.Name, g));
    }

    [Theory]
    [InlineData("V+")]
    [InlineData("T(2")]
    [InlineData("W")]
    [InlineData("")]
    [InlineData("0V")]
    public void Parse_RejectsBadText_QuotingIt(string text)
    {
        var error = Assert.Throws<FormatException>(() => TensorRepresentation.Parse(text, MatrixGroup.SO(3)));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Theory]
    [InlineData("SO13+", "(V+V*)⊗(V+1)")]
    [InlineData("SL3", "2V⊗V*+T(0,2)")]
    [InlineData("S5", "V⊗(1+V)")]
    public void Rho_IsAHomomorphism_AndDRhoIsItsDerivative(string group, string text)
    {
        var g = MatrixGroup.Parse(group);
        var rep = TensorRepresentation.Parse(text, g);
        var random = new Random(9);
        var (a, b) = (g.Sample(random), g.Sample(random));
        var rab = rep.Matrix(a * b);
        Assert.True((rab - rep.Matrix(a) * rep.Matrix(b)).InfinityNorm() < 1e-9 * Math.Max(1, rab.InfinityNorm()));
        foreach (var algebra in g.LieAlgebra)
        {
            // dρ(A) = d/dt ρ(exp(tA)) at t = 0, by a central difference.
            double t = 1e-5;
            var plus = rep.Matrix(g.Exp(algebra * t));
            var minus = rep.Matrix(g.Exp(algebra * -t));
            var numeric = (plus - minus) / (2 * t);
            Assert.True((numeric - rep.LieAlgebraMatrix(algebra)).InfinityNorm() < 1e-6);
        }
    }

    [Fact]
    public void Dual_ActsByTheInverseTranspose()
    {
        var g = MatrixGroup.Lorentz;
        var element = (MatrixElement)g.Sample(new Random(2));
        var dual = TensorRepresentation.Parse("V*", g).Matrix(element);
        Assert.True((dual - element.Matrix.Inverse().Transpose()).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void LieAlgebraMatrix_RejectsAMatrixOutsideTheAlgebra()
    {
        var rep = TensorRepresentation.Parse("V", MatrixGroup.SO(3));
        Assert.Throws<ArgumentException>(() => rep.LieAlgebraMatrix(Matrix<double>.Build.DenseIdentity(3)));
    }
}
