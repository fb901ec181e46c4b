using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Tests.Equivariance;

public class EquivariantBasisTests
{
    // Closed-form dimensions (EMLP paper §6 and standard invariant theory):
    // SO(3)/O(3) commute with V only as scalars; O(3) maps on T(2) are a·I + b·X + c·Xᵀ-type (identity, transpose, trace);
    // the cross product is SO(3)-equivariant but flips sign under −I; S(n) edge maps have Bell(4) = 15 terms, node maps 2;
    // the Minkowski metric is the only Lorentz-invariant bilinear form.
    [Theory]
    [InlineData("SO3", "V", "V", 1)]
    [InlineData("O3", "V", "V", 1)]
    [InlineData("O3", "T(2)", "T(2)", 3)]
    [InlineData("SO3", "V⊗V", "V", 1)]
    [InlineData("O3", "V⊗V", "V", 0)]
    [InlineData("S4", "T(2)", "T(2)", 15)]
    [InlineData("S5", "T(2)", "T(2)", 15)]
    [InlineData("S5", "V", "V", 2)]
    [InlineData("lorentz", "V⊗V", "1", 1)]
    [InlineData("SO13+", "V⊗V", "1", 1)]
    [InlineData("SO5", "(2V)⊗(2V)", "1", 4)]
    [InlineData("SL3", "V⊗V*", "1", 1)]
    [InlineData("Sp4", "V⊗V", "1", 1)]
    [InlineData("Z5", "V", "V", 5)]
    public void Dimension_MatchesTheClosedForm(string group, string input, string output, int dim)
    {
        var g = MatrixGroup.Parse(group);
        var basis = EquivariantBasis.Solve(TensorRepresentation.Parse(input, g), TensorRepresentation.Parse(output, g));
        Assert.Equal(dim, basis.Dim);
    }

    [Theory]
    [InlineData("O5", "2V+T(2)", "V+1")]
    [InlineData("lorentz", "V+V⊗V", "1+V")]
    [InlineData("SO13+", "V⊗V*", "V*⊗V")]
    [InlineData("S5", "V+1", "T(2)")]
    [InlineData("SL3", "V⊗V*+1", "1+V⊗V*")]
    [InlineData("Sp4", "V", "V+T(2)")]
    public void EveryBasisMap_IsEquivariant_OnRandomElements(string group, string input, string output)
    {
        var g = MatrixGroup.Parse(group);
        var basis = EquivariantBasis.Solve(TensorRepresentation.Parse(input, g), TensorRepresentation.Parse(output, g));
        Assert.True(basis.Dim > 0);
        double error = basis.MaxEquivarianceError(g.Sample(4, seed: 21));
        Assert.True(error < Tolerance.Representation, $"{basis}: error {error:e2}");
    }

    [Fact]
    public void RepeatedBlocks_ReuseOneSolve_AndScaleTheCount()
    {
        var g = MatrixGroup.O(3);
        var one = EquivariantBasis.Solve(TensorRepresentation.Parse("V", g), TensorRepresentation.Parse("V", g));
        var many = EquivariantBasis.Solve(TensorRepresentation.Parse("4V", g), TensorRepresentation.Parse("3V", g));
        Assert.Equal(12 * one.Dim, many.Dim);
        Assert.Single(many.Pairs);
    }

    [Fact]
    public void UncachedSolve_OfRepresentationsWithScalars_MatchesTheCachedOne()
    {
        // The benchmark's 270-dimensional O(5) representation; its scalar blocks once crashed the uncached path.
        var g = MatrixGroup.O(5);
        var rep = TensorRepresentation.Parse("20+20V+6T(2)", g);
        var uncached = EquivariantBasis.Solve(rep, rep, useCache: false);
        var cached = EquivariantBasis.Solve(rep, rep);
        Assert.Equal(270, rep.Dim);
        Assert.Equal(cached.Dim, uncached.Dim);
        // Hom(1,1) = Hom(V,V) = 1, Hom(T(2),T(2)) = 3, Hom(1,T(2)) = Hom(T(2),1) = 1 (δ_ij and the trace) for O(5).
        Assert.Equal(20 * 20 + 20 * 20 + 6 * 6 * 3 + 2 * 20 * 6, uncached.Dim);
    }

    [Theory]
    [InlineData("SO3", 4)]
    [InlineData("lorentz", 3)]
    [InlineData("S4", 3)]
    [InlineData("O3", 3)]
    public void IterativeSolver_FindsTheSameInvariants_AsTheDenseSolver(string group, int rank)
    {
        // Both paths on one mid-sized type: same dimension, and each iterative vector lies in the dense span.
        var g = MatrixGroup.Parse(group);
        var type = TensorType.Of(rank, 0);
        var dense = InvariantSolver.SolveUncached(g, type, dense: true);
        var iterative = InvariantSolver.SolveUncached(g, type, dense: false);
        Assert.Equal(dense.Length, iterative.Length);
        Assert.True(InvariantSolver.LastIterativeSweeps < 100, $"{InvariantSolver.LastIterativeSweeps} sweeps");
        foreach (var v in iterative)
        {
            double inSpan = dense.Sum(d => Math.Pow(d.Zip(v, (x, y) => x * y).Sum(), 2));
            Assert.True(Math.Abs(inSpan - 1) < 1e-10, $"{group}: an iterative vector is off the dense span by {1 - inSpan:e2}");
        }
    }

    [Fact]
    public void EmptyBasis_IsReported_NotAnError()
    {
        var g = MatrixGroup.O(3);
        var basis = EquivariantBasis.Solve(TensorRepresentation.Parse("V", g), TensorRepresentation.Parse("1", g));
        Assert.True(basis.IsEmpty);
        Assert.Empty(basis.ToMatrices());
    }
}
