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

    [Theory]
    [InlineData("O3", 3, true)]
    [InlineData("SO4", 3, true)]
    [InlineData("lorentz", 3, true)]
    [InlineData("Sp4", 1, true)]
    [InlineData("D4", 3, true)]
    [InlineData("SO3", 3, false)]
    [InlineData("SO13+", 3, false)]
    public void MinusIdentity_IsKnownWhereItIsAnElement_AndOddRanksThenMatchTheDenseSolve(string group, int rank, bool minus)
    {
        var g = MatrixGroup.Parse(group);
        Assert.Equal(minus, g.ContainsMinusIdentity);
        var automatic = InvariantSolver.SolveUncached(g, TensorType.Of(rank, 0));
        var dense = InvariantSolver.SolveUncached(g, TensorType.Of(rank, 0), dense: true);
        Assert.Equal(dense.Length, automatic.Length);
        if (minus) Assert.Empty(dense);
    }

    [Fact]
    public void LargeOddRankHom_OfAGroupWithMinusIdentity_IsSolvedWithoutTheIterativeSolver()
    {
        // O(5): Hom(T(3), T(2)) is the invariants of a rank-5 type with 3,125 coordinates — beyond the dense limit,
        // where the iterative solver took minutes; −I ∈ O(5) settles it (no invariants) at once.
        var g = MatrixGroup.O(5);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var basis = EquivariantBasis.Solve(TensorRepresentation.Parse("T(3)", g), TensorRepresentation.Parse("T(2)", g), useCache: false);
        Assert.True(basis.IsEmpty);
        Assert.True(watch.Elapsed.TotalSeconds < 30, $"{watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void LargeHom_BeyondTheDenseLimit_IsSolvedIteratively_InSecondsAndBoundedMemory()
    {
        // SO(5): Hom(T(3), T(2)) has 3,125 coordinates (iterative path) and one map, the Levi-Civita symbol ε_{abcde}
        // (SO(5) lacks −I, so no shortcut). The solver frees its temporaries per operator and per sweep: this took
        // minutes and gigabytes before.
        var g = MatrixGroup.SO(5);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var basis = EquivariantBasis.Solve(TensorRepresentation.Parse("T(3)", g), TensorRepresentation.Parse("T(2)", g), useCache: false);
        Assert.Equal(1, basis.Dim);
        Assert.True(watch.Elapsed.TotalSeconds < 60, $"{watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(basis.MaxEquivarianceError(g.Sample(3, seed: 5)) < 1e-9);
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
