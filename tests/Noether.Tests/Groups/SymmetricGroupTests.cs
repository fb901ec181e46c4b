using Noether.Groups;
using Noether.Representations;

namespace Noether.Tests.Groups;

public class SymmetricGroupTests
{
    [Theory]
    [InlineData(3, 6, 3)]
    [InlineData(4, 24, 5)]
    [InlineData(5, 120, 7)]
    [InlineData(6, 720, 11)]
    public void Order_AndNumberOfIrreps_MatchPartitionCount(int n, int order, int partitions)
    {
        var group = Group.Symmetric(n);
        Assert.Equal(order, group.Order);
        Assert.Equal(partitions, group.Irreps.Count);
        Assert.Equal(partitions, group.ConjugacyClasses.Count);
        Assert.Equal(order, group.ConjugacyClasses.Sum(c => c.Size));
        Assert.Equal(order, group.Irreps.Sum(i => i.Dim * i.Dim));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void CharacterTable_FromMurnaghanNakayama_EqualsTracesOfTheIrreps(int n)
    {
        var group = Group.Symmetric(n);
        var table = group.CharacterTable;
        for (int i = 0; i < table.Irreps.Count; i++)
            for (int c = 0; c < table.Classes.Count; c++)
                Assert.Equal(table.Values[i, c], table.Irreps[i].Character(table.Classes[c].Representative), 9);
    }

    [Fact]
    public void S6_Irreps_AreOrthogonalHomomorphisms_AndCharactersOrthonormal()
    {
        var group = Group.Symmetric(6);
        foreach (var irrep in group.Irreps)
            Noether.Tests.Representations.RepresentationTests.AssertIsOrthogonalRepresentation(irrep, 5);
        var table = group.CharacterTable;
        for (int i = 0; i < table.Irreps.Count; i++)
            for (int j = 0; j < table.Irreps.Count; j++)
                Assert.Equal(i == j ? 1.0 : 0.0, table.InnerProduct(i, j), 10);
    }

    [Fact]
    public void S6_RegularRepresentation_ContainsEachIrrep_DimTimes()
    {
        // By characters: χ_reg(e) = 720, 0 elsewhere, so ⟨χ_reg, χ_λ⟩ = dim λ.
        var group = Group.Symmetric(6);
        var table = group.CharacterTable;
        for (int i = 0; i < table.Irreps.Count; i++)
            Assert.Equal(table.Irreps[i].Dim, 720.0 * table.Values[i, 0] / 720.0, 12);
    }

    [Fact]
    public void StandardRepresentation_IsTrivialPlusStandardIrrep()
    {
        // ℝⁿ = [n] ⊕ [n−1,1] (Fulton & Harris §3.1).
        var group = Group.Symmetric(4);
        var standard = group.Standard;
        Noether.Tests.Representations.RepresentationTests.AssertIsOrthogonalRepresentation(standard);
        Assert.Equal(new[] { "[4]", "[3,1]" }, standard.Irreps.Select(i => i.Name));
        Noether.Tests.Representations.RepresentationTests.AssertDecompositionReproduces(standard);
    }

    [Fact]
    public void Element_ParsesCycleNotation_AndSignIrrepMatchesParity()
    {
        var s4 = Group.Symmetric(4);
        var sign = s4.Irrep("[1,1,1,1]");
        Assert.Equal(-1.0, sign.Matrix(s4.Element("(1 2)"))[0, 0], 12);
        Assert.Equal(1.0, sign.Matrix(s4.Element("(1 2)(3 4)"))[0, 0], 12);
        Assert.Equal(-1.0, sign.Matrix(s4.Element("(1 2 3 4)"))[0, 0], 12);
    }

    [Fact]
    public void S9_IsRejectedWithAClearMessage()
    {
        var e = Assert.Throws<FormatException>(() => Group.Parse("S9"));
        Assert.Contains("up to S8", e.Message);
    }

    [Theory]
    [InlineData("S4", "S3")]
    [InlineData("S5", "C5")]
    [InlineData("full-octahedral", "octahedral")]
    [InlineData("full-icosahedral", "icosahedral")]
    public void Restriction_ToSubgroup_Decomposes(string parentName, string subName)
    {
        var parent = Group.Parse(parentName);
        foreach (var irrep in parent.Irreps)
        {
            var restricted = irrep.Restrict(subName);
            Noether.Tests.Representations.RepresentationTests.AssertIsOrthogonalRepresentation(restricted, 4);
            Noether.Tests.Representations.RepresentationTests.AssertDecompositionReproduces(restricted, 4);
        }
    }

    [Fact]
    public void Restriction_S4ToS3_FollowsTheBranchingRule()
    {
        // Removing one box: [3,1] → [3] ⊕ [2,1] (the branching rule for S_n).
        var restricted = Group.Symmetric(4).Irrep("[3,1]").Restrict("S3");
        Assert.Equal(new[] { "[3]", "[2,1]" }, restricted.Irreps.Select(i => i.Name).OrderBy(n => n.Length));
    }
}
