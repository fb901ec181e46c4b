using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using Noether.Runtime;
using Noether.Tests.Cli;
using Noether.Training.Tasks;

namespace Noether.Tests.Runtime;

/// <summary>Work whose memory estimate is above the limit is refused before it starts, with a message giving the estimate,
/// the limit and how to raise it; raising it lets the same work run. The limit is process-wide: these tests run alone.</summary>
[Collection("NoParallel")]
public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData("512M", 512L << 20)]
    [InlineData("16G", 16L << 30)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("2048", 2048)]
    [InlineData(" 64 gb ", 64L << 30)]
    [InlineData("1k", 1024)]
    public void Sizes_ParseWithBinaryUnits(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.ParseSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1G")]
    [InlineData("0")]
    [InlineData("12X")]
    [InlineData("2000T")]
    [InlineData("NaN")]
    public void BadSizes_AreFormatExceptions(string text) =>
        Assert.Contains("is not a memory size", Assert.Throws<FormatException>(() => MemoryBudget.ParseSize(text)).Message);

    [Fact]
    public void Require_RefusesAboveTheLimit_NamingEstimateLimitAndRemedy()
    {
        try
        {
            MemoryBudget.Limit = 64L << 20;
            MemoryBudget.Require(64L << 20, "Exactly the limit");
            var e = Assert.Throws<MemoryLimitException>(() => MemoryBudget.Require(3L << 30, "A big solve"));
            Assert.StartsWith("A big solve would need about 3 GiB, above the memory limit of 64 MiB", e.Message);
            Assert.Contains("--memory-limit", e.Message);
            Assert.Contains(MemoryBudget.Variable, e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBudget.Limit = 1000);
        }
        finally
        {
            MemoryBudget.Reset();
        }
        Assert.True(MemoryBudget.Limit >= 1L << 30);
    }

    [Fact]
    public void AnInvariantSolveAboveTheLimit_IsRefusedBeforeItStarts_AndRunsOnceTheLimitIsRaised()
    {
        var group = MatrixGroup.SO(3);
        var type = TensorType.Of(7, 0); // 2,187 coordinates: the iterative solver
        try
        {
            MemoryBudget.Limit = 1L << 20;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var e = Assert.Throws<MemoryLimitException>(() => InvariantSolver.Invariants(group, type));
            Assert.True(clock.Elapsed.TotalSeconds < 1, $"refused after {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Contains("T(7,0) of SO3 (2,187 coordinates)", e.Message);
            MemoryBudget.Limit = 1L << 30;
            // The refusal was not cached: the same call now solves (36 invariants: SO(3) on V^⊗7).
            Assert.Equal(36, InvariantSolver.Invariants(group, type).Count);
        }
        finally
        {
            MemoryBudget.Reset();
        }
    }

    [Theory]
    [InlineData("S3", 3, 0)]
    [InlineData("S4", 2, 1)]
    [InlineData("S2", 4, 0)]
    [InlineData("Z5", 2, 0)]
    [InlineData("Z4", 1, 2)]
    [InlineData("D4", 2, 0)]
    [InlineData("D3", 3, 1)]
    public void InvariantCounts_OfFiniteGroups_MatchTheSolvedInvariants(string name, int p, int q)
    {
        var group = MatrixGroup.Parse(name);
        var type = TensorType.Of(p, q);
        Assert.Equal(InvariantSolver.Invariants(group, type).Count, InvariantSolver.InvariantCount(group, type));
    }

    [Fact]
    public void InvariantCounts_OfSymmetricGroups_AreSetPartitionCounts_AndLieGroupsHaveNone()
    {
        // S_n on V^⊗k: set partitions of k modes into at most n blocks — Bell numbers once n ≥ k.
        Assert.Equal(15, InvariantSolver.InvariantCount(MatrixGroup.Symmetric(5), TensorType.Of(4, 0)));
        Assert.Equal(4140, InvariantSolver.InvariantCount(MatrixGroup.Symmetric(8), TensorType.Of(8, 0)));
        Assert.Equal(1 + 255 + 3025 + 7770 + 6951, InvariantSolver.InvariantCount(MatrixGroup.Symmetric(5), TensorType.Of(9, 0)));
        Assert.Null(InvariantSolver.InvariantCount(MatrixGroup.SO(3), TensorType.Of(2, 0)));
    }

    [Fact]
    public void ATrainingSetAboveTheLimit_IsRefusedBeforeAnyDataIsMade()
    {
        var info = TaskCatalog.Get("mnist-sum").Info;
        try
        {
            MemoryBudget.Limit = 1L << 30;
            var e = Assert.Throws<MemoryLimitException>(() => info.Require(new TaskRunOptions("deepsets", TrainSize: 100_000)));
            Assert.StartsWith("The 100,000 training examples of mnist-sum (about 64 KiB each) would need about 6.1 GiB", e.Message);
            info.Require(new TaskRunOptions("deepsets", TrainSize: 10_000));
        }
        finally
        {
            MemoryBudget.Reset();
        }
    }

    [Fact]
    public void TheCli_RefusesWithExit2_BeforeTheWork_AndTakesALimitToRaise()
    {
        foreach (var args in new[]
                 {
                     new[] { "basis", "--group", "S5", "--in", "T(5,0)", "--out", "T(4,0)" },
                     new[] { "basis", "--group", "SO3", "--in", "T(0,6)", "--out", "V", "--memory-limit", "1M" },
                     new[] { "train", "--task", "mnist-sum", "--model", "deepsets", "--train-size", "100000", "--memory-limit", "1G" },
                 })
        {
            var (code, stdout, stderr) = CliTests.RunWithin(60, args);
            Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}: {stderr}{stdout}");
            Assert.Matches("^noether: .* would need about .*, above the memory limit of .*--memory-limit", stderr.Trim());
            Assert.DoesNotContain("epoch", stderr);
        }
        var (badCode, _, badError) = CliTests.Run("basis", "--group", "SO3", "--in", "V", "--out", "V", "--memory-limit", "lots");
        Assert.Equal(2, badCode);
        Assert.Contains("--memory-limit: 'lots' is not a memory size", badError);
        var (okCode, okOut, _) = CliTests.Run("basis", "--group", "SO3", "--in", "T(2)", "--out", "T(2)", "--memory-limit", "1G", "--json");
        Assert.Equal(0, okCode);
        Assert.Equal(3, CliTests.LastJsonLine(okOut).GetProperty("basis_dim").GetInt32());
    }
}
