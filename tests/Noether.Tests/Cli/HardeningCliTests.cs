namespace Noether.Tests.Cli;

/// <summary>Inputs that crashed, hung or took all memory (issue: hardening) now exit with code 2 and one line naming
/// the problem, before any work; an output path that cannot hold the run is refused before training.</summary>
public sealed class HardeningCliTests
{
    private static readonly string NestedRepresentation = new string('(', 3000) + "V" + new string(')', 3000);
    private static readonly string LongRepresentation = string.Join("+", Enumerable.Repeat("V", 20_000));

    public static IEnumerable<object[]> Commands() => new[]
    {
        // Parser depth and length (a stack overflow before).
        new object[] { new[] { "basis", "--group", "SO3", "--in", NestedRepresentation, "--out", "V" }, "nest deeper" },
        new object[] { new[] { "basis", "--group", "SO3", "--in", LongRepresentation, "--out", "V" }, "at most 10,000 characters" },
        // Sizes that overflowed or took all memory.
        new object[] { new[] { "basis", "--group", "SO3", "--in", "T(20,0)", "--out", "V" }, "coordinates" },
        new object[] { new[] { "groups", "O3", "--band-limit", "2000000000" }, "--band-limit must be between 0 and 1,000" },
        new object[] { new[] { "groups", "O3", "--irrep", "1000000e" }, "between 0 and 1,000" },
        new object[] { new[] { "groups", "C100000" }, "above 1,024" },
        new object[] { new[] { "groups", "C2 x C2 x C2 x C2 x C2 x C2 x C2 x C2 x C2 x C2 x C2 x C2" }, "at most 10 factors" },
        new object[] { new[] { "groups", "C64 x C32" }, "above 1,024" },
        new object[] { new[] { "train", "--task", "ring-patterns", "--model", "mlp", "--train-size", "2147483647" }, "--train-size must be between 1 and 1,000,000" },
        new object[] { new[] { "train", "--task", "ring-patterns", "--model", "mlp", "--train-size", "2147483648" }, "is not a valid value" },
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "16", "--seeds", "2147483647" }, "--seeds must be between 1 and 1000" },
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "2000000" }, "between 1 and 1,000,000" },
        new object[] { new[] { "train", "--task", "ring-patterns", "--model", "mlp", "--threads", "100000" }, "--threads must be between 1 and" },
        // Empty lists (a crash after half a report before).
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "" }, "--sizes needs at least one value" },
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", ",," }, "--sizes needs at least one value" },
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "", "--sizes", "16" }, "--models needs at least one value" },
        new object[] { new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--strategies", "", "--sizes", "16" }, "--strategies needs at least one value" },
        // Messages that leaked .NET details.
        new object[] { new[] { "basis", "--group", "Sp3", "--in", "V", "--out", "V" }, "Sp(n) needs an even matrix size" },
        new object[] { new[] { "basis", "--group", "SO200", "--in", "V", "--out", "V" }, "between 1 and 32" },
        new object[] { new[] { "basis", "--group", "S4 x C2", "--in", "V", "--out", "V" }, "no standard (matrix) representation" },
    };

    [Theory, MemberData(nameof(Commands))]
    public void BadInput_ExitsWithCode2_AndOneClearLine(string[] args, string expected)
    {
        var (code, stdout, stderr) = CliTests.RunWithin(60, args);
        Assert.True(code == 2, $"exit {code}: {stderr}{stdout}");
        var line = stderr.Trim();
        Assert.StartsWith("noether: ", line);
        Assert.Single(line.Split('\n'));
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stderr + stdout);
        Assert.DoesNotContain("Parameter '", line);
        Assert.DoesNotContain("Actual value", line);
        Assert.DoesNotContain("Nullable", line);
        Assert.True(line.Length < 400, line);
    }

    [Fact]
    public void AnOutputPathThatCannotHoldTheRun_IsRefusedBeforeTraining()
    {
        var file = Path.Combine(Path.GetTempPath(), $"noether-out-{Guid.NewGuid():N}");
        File.WriteAllText(file, "a user's file");
        var folder = Path.Combine(Path.GetTempPath(), $"noether-out-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(folder, "runs.json"));
        try
        {
            foreach (var args in new[]
                     {
                         new[] { "train", "--task", "ring-patterns", "--model", "mlp", "--train-size", "16", "--epochs", "1", "--out", file },
                         new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "16", "--epochs", "1", "--out", file },
                         new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "16", "--epochs", "1", "--out", Path.Combine(file, "sub") },
                         new[] { "experiment", "--task", "ring-patterns", "--models", "mlp", "--sizes", "16", "--epochs", "1", "--out", folder },
                     })
            {
                var (code, _, stderr) = CliTests.Run(args);
                Assert.True(code == 2, stderr);
                Assert.StartsWith("noether: --out", stderr.Trim());
                // Refused before any training: no progress line was printed.
                Assert.DoesNotContain("epoch", stderr);
            }
            Assert.Equal("a user's file", File.ReadAllText(file));
        }
        finally
        {
            File.Delete(file);
            Directory.Delete(folder, recursive: true);
        }
    }
}
