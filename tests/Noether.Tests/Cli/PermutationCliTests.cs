namespace Noether.Tests.Cli;

public class PermutationCliTests
{
    [Fact]
    public void Train_DigitSum_DeepSets_PrintsTestByLength_UpTo100()
    {
        var (code, stdout, _) = CliTests.Run("train", "--task", "digit-sum", "--model", "deepsets", "--train-size", "64", "--epochs", "1", "--threads", "1", "--json");
        Assert.Equal(0, code);
        var json = CliTests.LastJsonLine(stdout);
        Assert.Equal("accuracy", json.GetProperty("metric").GetString());
        Assert.InRange(json.GetProperty("test_by_length").GetProperty("100").GetDouble(), 0, 1);
        Assert.True(json.GetProperty("equivariance_error").GetDouble() <= 1e-5);
    }

    [Theory]
    [InlineData("--task", "set-max", "--model", "deepsets", "--pooling", "median")]
    [InlineData("--task", "graph-triangles", "--model", "deepsets")]
    [InlineData("--task", "digit-sum", "--model", "deepsets", "--strategy", "frame-average")]
    [InlineData("--task", "graph-components", "--model", "gin", "--train-size", "0")]
    public void BadSetOrGraphInput_ExitsWithCode2(params string[] args)
    {
        var (code, _, stderr) = CliTests.Run(new[] { "train", "--epochs", "1" }.Concat(args).ToArray());
        Assert.Equal(2, code);
        Assert.StartsWith("noether: ", stderr.Trim());
    }
}
