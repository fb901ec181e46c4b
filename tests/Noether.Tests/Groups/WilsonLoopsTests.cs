using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Groups;

public class WilsonLoopsTests
{
    public static IEnumerable<object[]> Lattices => new[]
    {
        new object[] { GaugeGroup.U1, new long[] { 6, 4 } },
        new object[] { GaugeGroup.SU2, new long[] { 6, 4 } },
        new object[] { GaugeGroup.U1, new long[] { 2, 3, 2, 4 } },
        new object[] { GaugeGroup.SU2, new long[] { 2, 3, 2, 4 } },
    };

    private static double MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().ToDouble();

    [Theory, MemberData(nameof(Lattices))]
    public void TracedLoops_AreGaugeInvariant_InFloat64(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(3);
        var links = GaugeLinks.Hot(group, 2, extents, gen);
        var omega = GaugeTransformation.Random(links, gen);
        var transformed = GaugeTransformation.ApplyToLinks(omega, links);
        int d = extents.Length;
        // Every observable: plaquettes and rectangles in every plane, Polyakov loops in every direction.
        for (int mu = 0; mu < d; mu++)
        {
            Assert.True(MaxDifference(WilsonLoops.NormalizedTrace(WilsonLoops.Polyakov(links, mu)),
                WilsonLoops.NormalizedTrace(WilsonLoops.Polyakov(transformed, mu))) < Tolerance.Representation);
            for (int nu = 0; nu < d; nu++)
            {
                if (mu == nu) continue;
                foreach (var (a, b) in new[] { (1, 1), (1, 2), (2, 3) })
                {
                    var before = WilsonLoops.NormalizedTrace(WilsonLoops.Rectangle(links, mu, nu, a, b));
                    var after = WilsonLoops.NormalizedTrace(WilsonLoops.Rectangle(transformed, mu, nu, a, b));
                    Assert.True(MaxDifference(before, after) < Tolerance.Representation, $"{a}x{b} loop in plane ({mu},{nu})");
                }
            }
        }
        Assert.True(MaxDifference(WilsonLoops.AveragePlaquette(links), WilsonLoops.AveragePlaquette(transformed)) < Tolerance.Representation);
    }

    [Theory, MemberData(nameof(Lattices))]
    public void UntracedLoops_TransformInTheAdjoint(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var links = GaugeLinks.Hot(group, 2, extents, gen);
        var omega = GaugeTransformation.Random(links, gen);
        var loop = WilsonLoops.Rectangle(links, 0, 1, 2, 1);
        var loopOfTransformed = WilsonLoops.Rectangle(GaugeTransformation.ApplyToLinks(omega, links), 0, 1, 2, 1);
        Assert.True(MaxDifference(loopOfTransformed, GaugeTransformation.ApplyToAdjoint(omega, loop)) < Tolerance.Representation);
    }

    [Theory, MemberData(nameof(Lattices))]
    public void RandomLinksAndTransformedLinks_AreUnitary(GaugeGroup group, long[] extents)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        var links = GaugeLinks.Hot(group, 3, extents, gen);
        Assert.Equal(new[] { 3L, extents.Length }.Concat(extents).Concat(new long[] { group.MatrixSize(), group.MatrixSize() }), links.shape);
        GaugeLinks.Validate(links, 1e-12);
        GaugeLinks.Validate(GaugeTransformation.ApplyToLinks(GaugeTransformation.Random(links, gen), links), 1e-12);
        GaugeLinks.Validate(links.to_type(ScalarType.ComplexFloat32));
    }

    [Fact]
    public void Validate_RejectsNonUnitaryLinks_WithTheDeviation()
    {
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.SU2, 1, new long[] { 4, 4 }, new Generator(1));
        var broken = links.clone();
        broken[0, 1, 2, 3, 0, 0] = broken[0, 1, 2, 3, 0, 0] * 1.01;
        var error = Assert.Throws<ArgumentException>(() => GaugeLinks.Validate(broken));
        Assert.Contains("not unitary", error.Message);
        // A unitary matrix of determinant −1 is not in SU(2).
        var flipped = links.clone();
        flipped[0, 0, 0, 0, 0] = -flipped[0, 0, 0, 0, 0];
        Assert.Contains("determinant 1", Assert.Throws<ArgumentException>(() => GaugeLinks.Validate(flipped)).Message);
        Assert.Contains("complex", Assert.Throws<ArgumentException>(() => GaugeLinks.Validate(real(links))).Message);
    }

    [Fact]
    public void ColdStart_HasUnitPlaquettes()
    {
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Cold(GaugeGroup.SU2, 2, new long[] { 4, 4, 4, 4 });
        Assert.True(MaxDifference(WilsonLoops.AveragePlaquette(links), ones(2, dtype: float64)) < 1e-14);
    }

    [Fact]
    public void U1Rectangle_IsTheProductOfThePlaquettesItEncloses()
    {
        // Abelian Stokes theorem: the 2×3 loop at x is the product of the six plaquettes inside it.
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.U1, 2, new long[] { 5, 7 }, new Generator(11));
        var plaquette = WilsonLoops.Plaquette(links, 0, 1);
        var product = ones_like(plaquette);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                product = product * GaugeLinks.Shift(GaugeLinks.Shift(plaquette, 0, i, 1), 1, j, 1);
        Assert.True(MaxDifference(WilsonLoops.Rectangle(links, 0, 1, 2, 3), product) < 1e-12);
    }

    [Fact]
    public void U1TopologicalCharge_IsAnIntegerAndGaugeInvariant()
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(13);
        var links = GaugeLinks.Hot(GaugeGroup.U1, 8, new long[] { 6, 6 }, gen);
        var q = WilsonLoops.TopologicalCharge(links);
        Assert.True(MaxDifference(q, q.round()) < 1e-10);
        Assert.True(q.abs().max().ToDouble() > 0.5, "random fields carry non-zero charge");
        var transformed = GaugeTransformation.ApplyToLinks(GaugeTransformation.Random(links, gen), links);
        Assert.True(MaxDifference(WilsonLoops.TopologicalChargeDensity(transformed), WilsonLoops.TopologicalChargeDensity(links)) < Tolerance.Representation);
    }

    [Fact]
    public void SU2Links_AreTheQuaternionMatrices()
    {
        using var scope = NewDisposeScope();
        // a = (0, 1, 0, 0) is i σ_1 = [[0, i], [i, 0]].
        var u = GaugeLinks.FromQuaternion(tensor(new double[] { 0, 1, 0, 0 }));
        var expected = torch.complex(zeros(2, 2, dtype: float64), tensor(new double[,] { { 0, 1 }, { 1, 0 } }));
        Assert.True(MaxDifference(u, expected) < 1e-15);
    }

    [Fact]
    public void Loops_RejectBadDirections()
    {
        using var scope = NewDisposeScope();
        var links = GaugeLinks.Hot(GaugeGroup.U1, 1, new long[] { 4, 4 }, new Generator(1));
        Assert.Throws<ArgumentException>(() => WilsonLoops.Rectangle(links, 0, 0, 1, 1));
        Assert.Throws<ArgumentException>(() => WilsonLoops.Plaquette(links, 0, 2));
        Assert.Throws<ArgumentException>(() => WilsonLoops.Line(links, 0, 0));
    }
}
