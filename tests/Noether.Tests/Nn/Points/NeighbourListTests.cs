using Noether.Nn.Points;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class NeighbourListTests
{
    private static HashSet<(long, long, long, long, long)> EdgeSet(NeighbourGraph graph, Tensor positions)
    {
        var vectors = graph.EdgeVectors(positions.to_type(ScalarType.Float64)).data<double>().ToArray();
        var source = graph.Source.data<long>().ToArray();
        var target = graph.Target.data<long>().ToArray();
        // Edges are identified by their endpoints and (rounded) edge vectors.
        return source.Select((s, k) => (target[k], s, (long)Math.Round(vectors[3 * k] * 1e6), (long)Math.Round(vectors[3 * k + 1] * 1e6), (long)Math.Round(vectors[3 * k + 2] * 1e6))).ToHashSet();
    }

    [Theory]
    [InlineData(200, 1.0, 6.0)]
    [InlineData(50, 2.5, 3.0)]
    public void CellList_EqualsBruteForce_OpenBoundaries(int n, double radius, double extent)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(n);
        var positions = torch.rand(n, 3, dtype: ScalarType.Float64) * extent;
        using var fast = NeighbourList.Build(positions, radius);
        using var slow = NeighbourList.BuildBruteForce(positions, radius);
        Assert.Equal(slow.Count, fast.Count);
        Assert.True(fast.Count > 0);
        Assert.True(EdgeSet(fast, positions).SetEquals(EdgeSet(slow, positions)));
        // Every edge is shorter than the radius.
        Assert.True(fast.EdgeVectors(positions).norm(1).max().ToDouble() < radius);
    }

    [Theory]
    [InlineData(150, 1.2, new[] { 5.0, 6.0, 4.5 })]
    [InlineData(20, 1.9, new[] { 2.0, 3.9, 4.0 })]
    [InlineData(5, 1.99, new[] { 2.0, 2.0, 2.0 })]
    public void CellList_EqualsBruteForce_PeriodicBox(int n, double radius, double[] box)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(n + 1);
        // Points partly outside the box: the shifts must refer to the given (unwrapped) positions.
        var positions = torch.rand(n, 3, dtype: ScalarType.Float64) * torch.tensor(box) * 1.6 - 0.3;
        using var fast = NeighbourList.Build(positions, radius, box);
        using var slow = NeighbourList.BuildBruteForce(positions, radius, box);
        var (a, b) = (EdgeSet(fast, positions), EdgeSet(slow, positions));
        Assert.True(a.SetEquals(b), $"{fast.Count} vs {slow.Count}; only fast: {string.Join(" ", a.Except(b))}; only slow: {string.Join(" ", b.Except(a))}");
    }

    [Fact]
    public void Build_RejectsBadRadiusNaNAndSmallBox()
    {
        using var scope = NewDisposeScope();
        var positions = torch.randn(4, 3);
        Assert.Contains("radius", Assert.Throws<ArgumentException>(() => NeighbourList.Build(positions, 0)).Message);
        Assert.Contains("radius", Assert.Throws<ArgumentException>(() => NeighbourList.Build(positions, -1)).Message);
        var nan = positions.clone();
        nan[2, 1] = torch.tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => NeighbourList.Build(nan, 1)).Message);
        Assert.Contains("box", Assert.Throws<ArgumentException>(() => NeighbourList.Build(positions, 2, new[] { 1.0, 5, 5 })).Message);
    }

    [Fact]
    public void CellList_ScalesLinearly_WithAtomsAtFixedDensity()
    {
        // 8× the atoms in 8× the volume: edges grow ~8×, and time stays far below the brute force's 64×.
        using var scope = NewDisposeScope();
        torch.manual_seed(12);
        var small = torch.rand(1000, 3, dtype: ScalarType.Float64) * 10;
        var large = torch.rand(8000, 3, dtype: ScalarType.Float64) * 20;
        NeighbourList.Build(small, 1.0).Dispose();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var a = NeighbourList.Build(small, 1.0);
        var tSmall = watch.Elapsed.TotalSeconds;
        watch.Restart();
        using var b = NeighbourList.Build(large, 1.0);
        var tLarge = watch.Elapsed.TotalSeconds;
        Assert.InRange(b.Count / (double)a.Count, 6, 10);
        Assert.True(tLarge < 30 * tSmall + 0.05, $"{tSmall:F4}s for 1,000 atoms, {tLarge:F4}s for 8,000.");
    }
}
