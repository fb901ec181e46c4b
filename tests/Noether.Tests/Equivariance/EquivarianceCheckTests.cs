using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

public class EquivarianceCheckTests
{
    /// <summary>An equivariant linear map W = |G|⁻¹ Σ_g ρ_out(g) A ρ_in(g)ᵀ (averaged over the group).</summary>
    private static Matrix<double> AveragedMap(Representation rhoIn, Representation rhoOut, int seed)
    {
        var random = new Random(seed);
        var a = Matrix<double>.Build.Dense(rhoOut.Dim, rhoIn.Dim, (_, _) => random.NextDouble() - 0.5);
        var sum = Matrix<double>.Build.Dense(rhoOut.Dim, rhoIn.Dim);
        foreach (var g in rhoIn.Group.Elements) sum += rhoOut.Matrix(g) * a * rhoIn.Matrix(g).Transpose();
        return sum / rhoIn.Group.Order!.Value;
    }

    private static Tensor Linear(Tensor x, Matrix<double> w) =>
        x.matmul(tensor(w.ToArray(), dtype: x.dtype).t());

    [Theory]
    [InlineData("C8")]
    [InlineData("D4")]
    [InlineData("S4")]
    [InlineData("octahedral")]
    public void AveragedLinearMap_IsEquivariant_ToFloat64Precision(string name)
    {
        using var scope = NewDisposeScope();
        var group = (FiniteGroup)Group.Parse(name);
        var rhoIn = group.Regular;
        var rhoOut = group.Irreps[^1] + group.Irreps[0];
        var w = AveragedMap(rhoIn, rhoOut, 3);
        var x = randn(new long[] { 5, rhoIn.Dim }, dtype: ScalarType.Float64, generator: new Generator(1));
        var report = EquivarianceCheck.Run(v => Linear(v, w), new RepresentationAction(rhoIn), new RepresentationAction(rhoOut), x, samples: 100);
        Assert.Equal(group.Order, report.PerElement.Count);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void Float32Function_IsComparedInFloat64_WithinFloat32Tolerance()
    {
        using var scope = NewDisposeScope();
        var group = Group.Dihedral(6);
        var rhoIn = group.Regular;
        var rhoOut = group.Irrep("E2") + group.Irrep("B1");
        var w = AveragedMap(rhoIn, rhoOut, 5);
        var x = randn(new long[] { 8, rhoIn.Dim }, generator: new Generator(2));
        var report = EquivarianceCheck.Run(v =>
        {
            Assert.Equal(ScalarType.Float32, v.dtype); // f sees its own dtype
            return Linear(v, w);
        }, new RepresentationAction(rhoIn), new RepresentationAction(rhoOut), x);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void NonEquivariantMap_HasLargeError()
    {
        using var scope = NewDisposeScope();
        var group = Group.Cyclic(4);
        var rho = group.Regular;
        var random = new Random(1);
        var w = Matrix<double>.Build.Dense(4, 4, (_, _) => random.NextDouble());
        var x = randn(new long[] { 6, 4 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var report = EquivarianceCheck.Run(v => Linear(v, w), new RepresentationAction(rho), new RepresentationAction(rho), x);
        Assert.True(report.MaxRelativeError > 0.1, report.ToString());
        // The identity element is always exact.
        Assert.Equal(0.0, report.PerElement.Single(e => group.Identity.Equals(e.GroupElement)).MaxRelativeError, 12);
    }

    [Fact]
    public void NormNonlinearity_IsEquivariant_UnderO2_OnSampledElements()
    {
        using var scope = NewDisposeScope();
        // f(x) = x · tanh(|x|) commutes with every orthogonal map of the plane.
        var o2 = Group.O2;
        var x = randn(new long[] { 10, 2 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var action = new RepresentationAction(o2.Standard);
        var report = EquivarianceCheck.Run(v => v * v.norm(1, keepdim: true).tanh(), action, action, x, samples: 12, seed: 1);
        Assert.Equal(12, report.PerElement.Count);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void SquaredNorm_IsInvariant_AndASingleCoordinateIsNot()
    {
        using var scope = NewDisposeScope();
        var so2 = Group.SO2;
        var x = randn(new long[] { 10, 2 }, dtype: ScalarType.Float64, generator: new Generator(5));
        var action = new RepresentationAction(so2.Irrep(3));
        var invariant = EquivarianceCheck.Invariance(v => v.pow(2).sum(1, keepdim: true), action, x, samples: 8, seed: 2);
        Assert.True(invariant.MaxRelativeError < Tolerance.Float64, invariant.ToString());
        var broken = EquivarianceCheck.Invariance(v => v.narrow(1, 0, 1), action, x, samples: 8, seed: 2);
        Assert.True(broken.MeanRelativeError > 0.1, broken.ToString());
    }

    [Fact]
    public void RepresentationAction_OnAMiddleAxis_MatchesTheMatrix()
    {
        using var scope = NewDisposeScope();
        var d4 = Group.Dihedral(4);
        var g = d4.Element(1, 1);
        var x = randn(new long[] { 2, 2, 3 }, dtype: ScalarType.Float64, generator: new Generator(6));
        var moved = new RepresentationAction(d4.Standard, axis: 1).Apply(g, x);
        var m = tensor(d4.ActionMatrix(g).ToArray(), dtype: ScalarType.Float64);
        var expected = einsum("ij,bjc->bic", m, x);
        Assert.True((moved - expected).abs().max().ToDouble() < 1e-14);
    }

    [Fact]
    public void WrongShape_GivesAClearError()
    {
        using var scope = NewDisposeScope();
        var action = new RepresentationAction(Group.Cyclic(4).Regular);
        var e = Assert.Throws<ArgumentException>(() => action.Apply(Group.Cyclic(4).Identity, zeros(3, 5)));
        Assert.Contains("needs 4", e.Message);
        Assert.Throws<ArgumentException>(() => new RepresentationAction(Group.Cyclic(4).Regular, axis: 0));
    }

    [Fact]
    public void MismatchedGroups_AreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => EquivarianceCheck.Run(v => v.alias(),
            new RepresentationAction(Group.Cyclic(4).Regular), new RepresentationAction(Group.Cyclic(5).Regular), zeros(1, 4)));
    }

    [Fact]
    public void Elements_CoverFiniteGroups_AndIncludeGeneratorsWhenSampling()
    {
        Assert.Equal(8, EquivarianceCheck.Elements(Group.Dihedral(4), 16, 0).Count);
        var s5 = Group.Symmetric(5);
        var sampled = EquivarianceCheck.Elements(s5, 10, 0);
        Assert.All(s5.Generators, g => Assert.Contains(g, sampled));
    }
}

[Collection("NoParallel")]
public class EquivarianceCheckLeakTests
{
    [Fact]
    public void Run_LeaksNoTensors()
    {
        using var scope = NewDisposeScope();
        var group = Group.Dihedral(4);
        var action = new RepresentationAction(group.Regular);
        var x = randn(new long[] { 3, 8 }, dtype: ScalarType.Float64);
        EquivarianceCheck.Run(v => v * 2, action, action, x); // warm-up: caches, lazy tables
        DisposeScopeManager.Statistics.Reset();
        EquivarianceCheck.Run(v => v * 2, action, action, x);
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
