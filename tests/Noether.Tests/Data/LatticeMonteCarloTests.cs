using Noether.Data;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class LatticeMonteCarloTests
{
    /// <summary>Average plaquette over chains and measurement sweeps after thermalisation.</summary>
    private static double MeasuredPlaquette(LatticeMonteCarlo mc, int chains, long size, int thermalization, int measurements, ulong seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        var links = mc.Run(GaugeLinks.Hot(mc.Group, chains, new[] { size, size }, generator), thermalization, generator);
        double sum = 0;
        for (int i = 0; i < measurements; i++)
        {
            links = mc.Sweep(links, generator);
            sum += WilsonLoops.AveragePlaquette(links).mean().ToDouble();
        }
        return sum / measurements;
    }

    // Exact values (ExactPlaquette2D): U(1) I1/I0 = 0.4464 (β=1), 0.6978 (β=2), 0.8635 (β=4);
    // SU(2) I2/I1 = 0.4331 (β=2), 0.6580 (β=4), 0.8192 (β=8). Checked against tabulated Bessel functions
    // (Abramowitz & Stegun table 9.8) in ExactPlaquette_MatchesTabulatedBesselRatios.
    [Theory]
    [InlineData(GaugeGroup.U1, LinkUpdate.Metropolis, 1.0)]
    [InlineData(GaugeGroup.U1, LinkUpdate.Metropolis, 2.0)]
    [InlineData(GaugeGroup.U1, LinkUpdate.Metropolis, 4.0)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.HeatBath, 2.0)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.HeatBath, 4.0)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.HeatBath, 8.0)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.Metropolis, 2.0)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.Metropolis, 4.0)]
    public void AveragePlaquette_MatchesTheExact2DValue_WithinTwoPercent(GaugeGroup group, LinkUpdate update, double beta)
    {
        var mc = new LatticeMonteCarlo(group, beta, update, step: 0.5, hits: 3);
        double measured = MeasuredPlaquette(mc, chains: 32, size: 8, thermalization: 30, measurements: 30, seed: 17);
        double exact = LatticeMonteCarlo.ExactPlaquette2D(group, beta);
        Assert.True(Math.Abs(measured - exact) < 0.02 * exact, $"measured {measured:F4}, exact {exact:F4}");
    }

    [Fact]
    public void ExactPlaquette_MatchesTabulatedBesselRatios()
    {
        // A&S table 9.8: I0(1) = 1.266066, I1(1) = 0.565159, I1(2) = 1.590637, I2(2) = 0.688948.
        Assert.Equal(0.565159 / 1.266066, LatticeMonteCarlo.ExactPlaquette2D(GaugeGroup.U1, 1), 5);
        Assert.Equal(0.688948 / 1.590637, LatticeMonteCarlo.ExactPlaquette2D(GaugeGroup.SU2, 2), 5);
    }

    [Theory]
    [InlineData(GaugeGroup.U1, LinkUpdate.Metropolis)]
    [InlineData(GaugeGroup.SU2, LinkUpdate.HeatBath)]
    public void Generate_IsSeededAndKeepsLinksInTheGroup(GaugeGroup group, LinkUpdate update)
    {
        using var scope = NewDisposeScope();
        var mc = new LatticeMonteCarlo(group, 2.0, update);
        var a = mc.Generate(chains: 3, perChain: 2, new long[] { 4, 6 }, thermalization: 5, decorrelation: 2, seed: 9);
        var b = mc.Generate(chains: 3, perChain: 2, new long[] { 4, 6 }, thermalization: 5, decorrelation: 2, seed: 9);
        var c = mc.Generate(chains: 3, perChain: 2, new long[] { 4, 6 }, thermalization: 5, decorrelation: 2, seed: 10);
        Assert.Equal(new long[] { 6, 2, 4, 6, group.MatrixSize(), group.MatrixSize() }, a.shape);
        Assert.True(a.equal(b).all().ToBoolean());
        Assert.False(a.equal(c).all().ToBoolean());
        GaugeLinks.Validate(a, 1e-12);
    }

    [Fact]
    public void Sweep_WorksInFourDimensions()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(1);
        var mc = new LatticeMonteCarlo(GaugeGroup.SU2, 2.3, LinkUpdate.HeatBath);
        var links = mc.Run(GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 4, 4, 4, 4 }, generator), 4, generator);
        GaugeLinks.Validate(links, 1e-12);
        double plaquette = WilsonLoops.AveragePlaquette(links).mean().ToDouble();
        Assert.InRange(plaquette, 0.3, 0.9); // far from the hot start's 0, as ordering sets in at β = 2.3
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new LatticeMonteCarlo(GaugeGroup.U1, 1, LinkUpdate.HeatBath));
        Assert.Throws<ArgumentException>(() => new LatticeMonteCarlo(GaugeGroup.U1, -1));
        var mc = new LatticeMonteCarlo(GaugeGroup.SU2, 1);
        var odd = GaugeLinks.Hot(GaugeGroup.SU2, 1, new long[] { 5, 4 }, new Generator(1));
        Assert.Contains("even", Assert.Throws<ArgumentException>(() => mc.Sweep(odd, new Generator(1))).Message);
        var u1 = GaugeLinks.Hot(GaugeGroup.U1, 1, new long[] { 4, 4 }, new Generator(1));
        Assert.Throws<ArgumentException>(() => mc.Sweep(u1, new Generator(1)));
    }
}
