using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Tests.Groups;

public class PointGroupTests
{
    [Theory]
    [InlineData("octahedral", 24, new[] { "A1", "A2", "E", "T1", "T2" })]
    [InlineData("icosahedral", 60, new[] { "A", "T1", "T2", "G", "H" })]
    [InlineData("full-octahedral", 48, new[] { "A1g", "A2g", "Eg", "T1g", "T2g", "A1u", "A2u", "Eu", "T1u", "T2u" })]
    [InlineData("full-icosahedral", 120, new[] { "Ag", "T1g", "T2g", "Gg", "Hg", "Au", "T1u", "T2u", "Gu", "Hu" })]
    public void Irreps_HaveMullikenNames_InOrder(string name, int order, string[] irreps)
    {
        var group = Group.Parse(name);
        Assert.Equal(order, group.Order);
        Assert.Equal(irreps, group.Irreps.Select(i => i.Name));
    }

    [Theory]
    [InlineData("octahedral", "T1")]
    [InlineData("icosahedral", "T1")]
    [InlineData("full-octahedral", "T1u")]
    [InlineData("full-icosahedral", "T1u")]
    public void StandardAction_IsTheVectorIrrep(string name, string vector)
    {
        var group = Group.Parse(name);
        var standard = group.Standard;
        Assert.Equal(vector, Assert.Single(standard.Irreps).Name);
        Noether.Tests.Representations.RepresentationTests.AssertDecompositionReproduces(standard);
    }

    [Fact]
    public void Octahedral_CharacterTable_MatchesS4()
    {
        // O ≅ S4: class sizes 1, 3, 6, 8, 6 (identity, 180° face, 180° edge, 120°, 90°) in some order.
        var table = Group.Octahedral.CharacterTable;
        Assert.Equal(new[] { 1, 3, 6, 6, 8 }, table.Classes.Select(c => c.Size).OrderBy(s => s));
        Assert.Equal(new[] { 1, 2, 2, 3, 4 }, table.Classes.Select(c => c.ElementOrder).OrderBy(s => s));
    }

    [Fact]
    public void FromMatrix_RejectsANonMember()
    {
        var m = Matrix<double>.Build.DenseIdentity(3) * 2;
        Assert.Throws<ArgumentException>(() => Group.Octahedral.FromMatrix(m));
    }
}
