using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class PointDataTests
{
    [Fact]
    public void NBody_IsDeterministicFromSeed_WithUnitChargesAndProtocolSpeed()
    {
        using var scope = NewDisposeScope();
        using var a = NBodySimulation.Generate(20, seed: 3);
        using var b = NBodySimulation.Generate(20, seed: 3);
        using var c = NBodySimulation.Generate(20, seed: 4);
        Assert.Equal(0.0, (a.Targets - b.Targets).abs().max().ToDouble());
        Assert.True((a.Targets - c.Targets).abs().max().ToDouble() > 0);
        Assert.Equal(new long[] { 20, 5, 3 }, a.Positions.shape);
        Assert.True((a.Charges.abs() - 1).abs().max().ToDouble() == 0);
        // Frame 0 is step 100: velocities have moved little from their initial norm 0.5.
        using var early = NBodySimulation.Generate(50, seed: 5, inputFrame: 0, targetFrame: 1);
        var speed = early.Velocities.norm(2).mean().ToDouble();
        Assert.InRange(speed, 0.3, 1.0);
        // One frame later positions moved by about 100 dt · v.
        var drift = (early.Targets - early.Positions - 0.1 * early.Velocities).abs().median().ToDouble();
        Assert.True(drift < 0.02, drift.ToString("G3"));
    }

    [Fact]
    public void NBody_RejectsBadFrames()
    {
        Assert.Throws<ArgumentException>(() => NBodySimulation.Generate(1, 0, inputFrame: 40, targetFrame: 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => NBodySimulation.Generate(0, 0));
    }

    private static double[] SortedDistances(Tensor shape) =>
        torch.cdist(shape.to_type(ScalarType.Float64), shape.to_type(ScalarType.Float64)).flatten().data<double>().Select(d => Math.Round(d, 6)).OrderBy(d => d).ToArray();

    [Fact]
    public void Tetris_OnlyTheChiralPairShareTheirDistances_AndRotationsKeepThem()
    {
        using var scope = NewDisposeScope();
        var (shapes, labels) = TetrisShapes.Canonical();
        Assert.Equal(8, TetrisShapes.Classes);
        for (var i = 0; i < 8; i++)
            for (var j = i + 1; j < 8; j++)
            {
                var same = SortedDistances(shapes[i]).SequenceEqual(SortedDistances(shapes[j]));
                Assert.Equal(i == 0 && j == 1, same);
            }
        // The chiral pair: shape 1 is shape 0 reflected in the xz-plane (y → −y).
        var mirrored = shapes[0] * torch.tensor(new float[] { 1, -1, 1 });
        var sortedMirror = mirrored.data<float>().Chunk(3).Select(p => string.Join(",", p)).OrderBy(s => s);
        var sortedB = shapes[1].data<float>().Chunk(3).Select(p => string.Join(",", p)).OrderBy(s => s);
        Assert.Equal(sortedB, sortedMirror);
        var (rotated, rotatedLabels) = TetrisShapes.Rotated(3, seed: 1);
        Assert.Equal(24, rotatedLabels.shape[0]);
        Assert.Equal(SortedDistances(shapes[5]), SortedDistances(rotated[5 * 3 + 2]));
    }

    [Fact]
    public void LennardJones_ForcesAreMinusEnergyGradient()
    {
        var random = new Random(2);
        var x = new double[6, 3];
        for (var i = 0; i < 6; i++)
            for (var d = 0; d < 3; d++) x[i, d] = 1.2 * (i + random.NextDouble() * 0.3) * (d == i % 3 ? 1 : 0.3);
        var forces = new double[6, 3];
        LennardJonesClusters.LennardJones(x, forces);
        const double h = 1e-6;
        var scratch = new double[6, 3];
        x[2, 1] += h;
        var plus = LennardJonesClusters.LennardJones(x, scratch);
        x[2, 1] -= 2 * h;
        var minus = LennardJonesClusters.LennardJones(x, scratch);
        Assert.Equal(-(plus - minus) / (2 * h), forces[2, 1], 5);
        // Two atoms at the minimum 2^{1/6}: energy −1, no force.
        var pair = new double[,] { { 0, 0, 0 }, { Math.Pow(2, 1.0 / 6), 0, 0 } };
        var pairForces = new double[2, 3];
        Assert.Equal(-1.0, LennardJonesClusters.LennardJones(pair, pairForces), 12);
        Assert.True(Math.Abs(pairForces[0, 0]) < 1e-12);
    }

    [Fact]
    public void LennardJones_ClustersAreBoundDeterministicAndLabelled()
    {
        using var scope = NewDisposeScope();
        using var set = LennardJonesClusters.Generate(30, seed: 7);
        using var again = LennardJonesClusters.Generate(30, seed: 7);
        Assert.Equal(0.0, (set.Energies - again.Energies).abs().max().ToDouble());
        var atoms = set.Mask.sum(1).data<float>().ToArray();
        Assert.All(atoms, n => Assert.InRange(n, LennardJonesClusters.MinAtoms, LennardJonesClusters.MaxAtoms));
        // Bound clusters: energy per atom clearly negative; forces of padded atoms zero and net force zero.
        var perAtom = (set.Energies / set.Mask.sum(1)).max().ToDouble();
        Assert.True(perAtom < -1.5, perAtom.ToString("G3"));
        Assert.Equal(0.0, (set.Forces * (1 - set.Mask).unsqueeze(-1)).abs().max().ToDouble());
        Assert.True(set.Forces.sum(1).abs().max().ToDouble() < 1e-3 * set.Forces.abs().max().ToDouble() + 1e-3);
    }
}
