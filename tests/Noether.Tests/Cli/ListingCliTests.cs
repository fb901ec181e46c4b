namespace Noether.Tests.Cli;

/// <summary>Listings read well when written to a file or a pipe: `tasks` is one table row per task, `groups` explains
/// its notation.</summary>
public sealed class ListingCliTests
{
    [Fact]
    public void Tasks_IsATable_OneRowPerTask_NotWrappedAt80Columns()
    {
        var (code, stdout, stderr) = CliTests.Run("tasks");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("│ task ", StringComparison.Ordinal) && l.Contains("│ strategies", StringComparison.Ordinal));
        foreach (var task in Noether.Training.Tasks.TaskCatalog.All)
            Assert.Contains(lines, l => l.StartsWith($"│ {task.Name} ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Length > 120);
        Assert.Contains("noether tasks TASK", stdout);
    }

    [Fact]
    public void Groups_ExplainsGeneratorsAndCharacterTableColumns()
    {
        var (code, stdout, stderr) = CliTests.Run("groups", "D4");
        Assert.True(code == 0, stderr);
        Assert.Contains("r^k: the rotation by k·360°/4; f: the reflection", stdout);
        Assert.Contains("columns: conjugacy classes", stdout);
        Assert.Contains("(4a: elements of order 4)", stdout);
    }
}
