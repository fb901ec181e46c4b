using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public sealed class SetAndGraphGeneratorTests
{
    [Fact]
    public void DigitSum_TargetsAreTheSumsOfTheOneHotDigits_SizesInRange_AndSeedDeterministic()
    {
        using var scope = NewDisposeScope();
        using var sets = SetGenerators.DigitSum(200, 1, 9, seed: 4);
        using var again = SetGenerators.DigitSum(200, 1, 9, seed: 4);
        var digits = sets.Features.argmax(2) * sets.Mask;
        Assert.True(allclose(digits.sum(1, type: ScalarType.Float32), sets.Targets.squeeze(1)));
        var sizes = sets.Mask.sum(1, type: ScalarType.Int64);
        Assert.Equal(1, sizes.min().ToInt64());
        Assert.Equal(9, sizes.max().ToInt64());
        Assert.True(sets.Features.equal(again.Features).all().ToBoolean());
        // Real elements come first.
        Assert.True(sets.Mask.to_type(ScalarType.Int32).diff(dim: 1).le(0).all().ToBoolean());
    }

    [Fact]
    public void SetMax_TargetIsTheLargestInteger_InOneToNinetyNine()
    {
        using var scope = NewDisposeScope();
        using var sets = SetGenerators.SetMax(300, seed: 1);
        var values = (sets.Features.squeeze(2) * 100).round().masked_fill(sets.Mask.logical_not(), 0);
        Assert.True(allclose(values.amax(new long[] { 1 }), sets.Targets.squeeze(1)));
        Assert.True(values.masked_select(sets.Mask).min().ToDouble() >= 1 && values.max().ToDouble() <= 99);
    }

    [Fact]
    public void MixtureOfGaussians_OracleLogLikelihood_IsThatOfTightClusters()
    {
        using var scope = NewDisposeScope();
        using var sets = SetGenerators.MixtureOfGaussians(20, 100, 120, seed: 2);
        // One isotropic Gaussian of σ = 0.3 has E[log p] = −log(2πσ²) − 1 ≈ 0.489; mixing weights lower it, overlaps raise it.
        var oracle = sets.Targets.mean().ToDouble();
        Assert.InRange(oracle, -1.5, 1.0);
        Assert.Equal(20, sets.Features.shape[0]);
        Assert.Equal(2, sets.Features.shape[2]);
        var sizes = sets.Mask.sum(1, type: ScalarType.Int64);
        Assert.True(sizes.min().ToInt64() >= 100 && sizes.max().ToInt64() <= 120);
    }

    [Fact]
    public void RandomGraphs_CountTrianglesAndComponents_OfKnownGraphs_AndStayInTheSizeRange()
    {
        var k4 = new[] { (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3) };
        Assert.Equal(4, RandomGraphs.CountTriangles(4, k4));
        Assert.Equal(1, RandomGraphs.CountComponents(4, k4));
        Assert.Equal(0, RandomGraphs.CountTriangles(6, new[] { (0, 1), (1, 2), (3, 4) }));
        Assert.Equal(3, RandomGraphs.CountComponents(6, new[] { (0, 1), (1, 2), (3, 4) }));
        var graphs = RandomGraphs.Generate(200, seed: 3);
        Assert.All(graphs, g => Assert.InRange(g.Nodes, RandomGraphs.MinNodes, RandomGraphs.MaxNodes));
        Assert.All(graphs, g => Assert.All(g.Edges, e => Assert.True(e.I < e.J && e.J < g.Nodes)));
        Assert.Equal(graphs.Select(g => g.Triangles), RandomGraphs.Generate(200, seed: 3).Select(g => g.Triangles));
        // Random regular graphs occur: some graphs have every degree equal and at least 2.
        Assert.Contains(graphs, g => g.Edges.Count > 0 && g.Edges.SelectMany(e => new[] { e.I, e.J }).GroupBy(v => v).Select(d => d.Count()).Distinct().Count() == 1
                                     && g.Edges.Count * 2 == g.Nodes * g.Edges.SelectMany(e => new[] { e.I, e.J }).Count(v => v == 0));
    }
}
