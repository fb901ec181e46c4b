using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using static TorchSharp.torch;

namespace Noether.Tests;

/// <summary>The README's C# examples, line for line, with their printed values asserted.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void RepresentationExample_PrintsWhatTheReadmeSays()
    {
        var d4 = (FiniteGroup)Group.Parse("D4");
        Assert.Equal("A1 ⊕ A2 ⊕ B1 ⊕ B2 ⊕ 2×E1", d4.Regular.Decomposition.ToString());
        var o3 = Group.O3;
        var product = o3.Irrep("1o") * o3.Irrep("1o");
        Assert.Equal("0e ⊕ 1e ⊕ 2e", product.Decomposition.ToString());
        var g = o3.Sample(new Random(1));
        var q = product.ChangeOfBasis;
        var blocks = Representation.FromIrreps(product.Irreps);
        Assert.True((product.Matrix(g) - q * blocks.Matrix(g) * q.Transpose()).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void EquivarianceExample_ReportsATinyError()
    {
        using var scope = NewDisposeScope();
        var action = new RepresentationAction(Group.SO2.Irrep(1));
        var report = EquivarianceCheck.Invariance(x => x.pow(2).sum(1, keepdim: true), action,
            randn(16, 2, dtype: float64), samples: 8, seed: 0);
        Assert.True(report.MaxRelativeError < 1e-12, report.ToString());
    }
}
