using Noether.Groups;
using Noether.Tests.Cli;

namespace Noether.Tests.Groups;

/// <summary>Group names are read in any case, products with " x ", " X " or " × "; the group keeps its canonical name.</summary>
public sealed class GroupNameTests
{
    [Theory]
    [InlineData("d4", "D4")]
    [InlineData("c8", "C8")]
    [InlineData("s4", "S4")]
    [InlineData("so3", "SO3")]
    [InlineData("o2", "O2")]
    [InlineData("Full-Octahedral", "full-octahedral")]
    [InlineData("ICOSAHEDRAL", "icosahedral")]
    [InlineData("Trivial", "trivial")]
    [InlineData("c2 X d4", "C2 x D4")]
    [InlineData("C2 × C3", "C2 x C3")]
    public void Groups_ParseInAnyCase_ToTheirCanonicalName(string typed, string name)
    {
        Assert.Equal(name, Group.Parse(typed).Name);
        Assert.True(Group.TryParse(typed, out var group));
        Assert.Equal(name, group!.Name);
    }

    [Theory]
    [InlineData("so5", "SO5")]
    [InlineData("o3", "O3")]
    [InlineData("sl3", "SL3")]
    [InlineData("sp4", "Sp4")]
    [InlineData("SP4", "Sp4")]
    [InlineData("s5", "S5")]
    [InlineData("z5", "Z5")]
    [InlineData("LORENTZ", "lorentz")]
    [InlineData("so13+", "SO13+")]
    public void MatrixGroups_ParseInAnyCase(string typed, string name) => Assert.Equal(name, MatrixGroup.Parse(typed).Name);

    [Fact]
    public void UnknownNames_AreStillRefused() =>
        Assert.Throws<FormatException>(() => Group.Parse("dd4"));

    [Fact]
    public void TheCli_TakesLowerCaseNames()
    {
        var (code, stdout, stderr) = CliTests.Run("groups", "d4", "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("D4", CliTests.LastJsonLine(stdout).GetProperty("name").GetString());
        (code, stdout, stderr) = CliTests.Run("basis", "--group", "so3", "--in", "V(x)V", "--out", "V", "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("SO3", CliTests.LastJsonLine(stdout).GetProperty("group").GetString());
    }
}
