namespace Noether.Tests.Cli;

public class BasisCommandTests
{
    [Theory]
    [InlineData("SO3", "V(x)V", "V", 9, 3, 1)]
    [InlineData("O3", "V⊗V", "V", 9, 3, 0)]
    [InlineData("S5", "T(2)", "T(2)", 25, 25, 15)]
    public void Basis_Json_ReportsTheDimensions(string group, string input, string output, int inDim, int outDim, int basisDim)
    {
        var (code, stdout, _) = CliTests.Run("basis", "--group", group, "--in", input, "--out", output, "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal(group, json.GetProperty("group").GetString());
        Assert.Equal(inDim, json.GetProperty("in_dim").GetInt32());
        Assert.Equal(outDim, json.GetProperty("out_dim").GetInt32());
        Assert.Equal(basisDim, json.GetProperty("basis_dim").GetInt32());
    }

    [Theory]
    [InlineData("SO3", "T(2", "T(2")]
    public void Basis_BadInput_ExitsWith2_AndOneLine(string group, string input, string quoted)
    {
        var (code, _, stderr) = CliTests.Run("basis", "--group", group, "--in", input, "--out", "V");
        Assert.Equal(2, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(quoted, stderr);
    }
}
