using Noether.Groups;

namespace Noether.Tests.Groups;

public class GroupAxiomsTests
{
    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void Product_IsAssociative(string name)
    {
        var group = Group.Parse(name);
        var random = new Random(11);
        for (int i = 0; i < 20; i++)
        {
            var (a, b, c) = (group.Sample(random), group.Sample(random), group.Sample(random));
            Assert.True(group.AreClose((a * b) * c, a * (b * c)), $"{name}: ({a}·{b})·{c} ≠ {a}·({b}·{c})");
        }
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void Identity_IsNeutral_AndInverse_Cancels(string name)
    {
        var group = Group.Parse(name);
        foreach (var g in TestCases.Elements(group))
        {
            Assert.True(group.AreClose(g * group.Identity, g));
            Assert.True(group.AreClose(group.Identity * g, g));
            Assert.True(group.AreClose(g * g.Inverse(), group.Identity), $"{name}: {g}·{g}⁻¹ ≠ e");
            Assert.True(group.AreClose(g.Inverse() * g, group.Identity));
        }
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void Parse_RoundTripsName(string name)
    {
        var group = Group.Parse(name);
        Assert.Equal(group, Group.Parse(group.Name));
        Assert.Same(group, Group.Parse(group.Name));
    }

    [Theory, MemberData(nameof(TestCases.FiniteGroups), MemberType = typeof(TestCases))]
    public void FiniteGroup_IsClosed_AndGeneratedByItsGenerators(string name)
    {
        var group = (FiniteGroup)Group.Parse(name);
        Assert.Equal(group.Order, group.Elements.Distinct().Count());
        // Closure of the generators under products reaches every element.
        var reached = new HashSet<GroupElement> { group.Identity };
        var frontier = new Queue<GroupElement>(reached);
        while (frontier.Count > 0)
        {
            var x = frontier.Dequeue();
            foreach (var s in group.Generators)
                if (reached.Add(x * s)) frontier.Enqueue(x * s);
        }
        Assert.Equal(group.Order, reached.Count);
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void ActionMatrix_IsOrthogonalHomomorphism(string name)
    {
        var group = Group.Parse(name);
        if (group.ActionDimension is null) return; // groups without a geometric action are covered by Standard tests
        foreach (var (a, b) in TestCases.Pairs(group))
        {
            var product = group.ActionMatrix(a * b);
            var expected = group.ActionMatrix(a) * group.ActionMatrix(b);
            Assert.True((product - expected).InfinityNorm() < 1e-12, $"{name}: action is not a homomorphism at {a}, {b}");
            var m = group.ActionMatrix(a);
            Assert.True((m.TransposeThisAndMultiply(m) - MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(m.RowCount)).InfinityNorm() < 1e-12);
        }
    }

    [Theory]
    [InlineData("C0", "positive")]
    [InlineData("D-3", "positive")]
    [InlineData("Q8", "Unknown group 'Q8'")]
    [InlineData("Cx", "Unknown group 'Cx'")]
    [InlineData("C2.5", "integer")]
    [InlineData("", "Unknown group")]
    public void Parse_RejectsBadNames_WithClearMessage(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Group.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Factories_RejectNonPositiveSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Group.Cyclic(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Group.Dihedral(-1));
    }

    [Fact]
    public void Compose_RejectsElementsOfAnotherGroup()
    {
        var e = Assert.Throws<ArgumentException>(() => Group.Cyclic(4).Compose(Group.Cyclic(4).Identity, Group.Cyclic(5).Identity));
        Assert.Contains("C5", e.Message);
    }

    [Fact]
    public void Sample_IsDeterministicForASeed()
    {
        var a = Group.SO2.Sample(5, seed: 3);
        var b = Group.SO2.Sample(5, seed: 3);
        Assert.All(a.Zip(b), p => Assert.True(Group.SO2.AreClose(p.First, p.Second, 0)));
    }

    [Fact]
    public void SO2_Sample_IsUniform()
    {
        // Haar on SO(2): the mean of cos θ and sin θ over many samples is ≈ 0 (std ≈ 1/sqrt(2n) ≈ 0.005).
        var samples = Group.SO2.Sample(20000, seed: 4).Cast<PlanarElement>().ToArray();
        Assert.InRange(samples.Average(s => Math.Cos(s.Angle)), -0.03, 0.03);
        Assert.InRange(samples.Average(s => Math.Sin(s.Angle)), -0.03, 0.03);
    }

    [Theory]
    [InlineData("C8", "C4")]
    [InlineData("D4", "C4")]
    [InlineData("D6", "D3")]
    [InlineData("D4", "D1")]
    [InlineData("SO2", "C8")]
    [InlineData("O2", "SO2")]
    [InlineData("O2", "D4")]
    [InlineData("O2", "C3")]
    public void SubgroupEmbedding_IsHomomorphism(string parentName, string subName)
    {
        var parent = Group.Parse(parentName);
        var embedding = parent.Subgroup(subName);
        foreach (var (a, b) in TestCases.Pairs(embedding.Subgroup))
            Assert.True(parent.AreClose(embedding.Apply(a * b), embedding.Apply(a) * embedding.Apply(b)));
        Assert.True(parent.AreClose(embedding.Apply(embedding.Subgroup.Identity), parent.Identity));
    }
}
