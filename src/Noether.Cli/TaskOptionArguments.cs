using Noether.Training;
using Noether.Training.Tasks;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary>Reads a task's own options (<c>--pooling mean</c>, <c>--symmetry-breaking 0,0.1</c> …) from the arguments the
/// parser left over, and checks them against the task's declarations before anything runs.</summary>
public static class TaskOptionArguments
{
    /// <summary>The leftover <c>--name value</c> pairs of <paramref name="context"/>, by name; a flag without a value, a
    /// flag given twice or a stray word is a user error.</summary>
    public static IReadOnlyDictionary<string, string> Read(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Remaining.Raw.Count > 0)
            throw new UserInputException($"Unexpected argument '{context.Remaining.Raw[0]}'.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in context.Remaining.Parsed)
        {
            var name = group.Key.TrimStart('-');
            var values = group.ToArray();
            if (name.Length == 0 || group.Key.Length - name.Length != 2)
                throw new UserInputException($"Unexpected argument '{group.Key}'; options are written --name value.");
            if (values.Length > 1) throw new UserInputException($"--{name} is given {values.Length} times; give it once.");
            if (values[0] is not { Length: > 0 } value) throw new UserInputException($"--{name} needs a value.");
            result[name] = value;
        }
        return result;
    }

    /// <summary>The options of <paramref name="task"/> given in <paramref name="context"/> for <paramref name="models"/>,
    /// checked and in canonical text; an option the task does not declare, or a bad value, is a user error.</summary>
    public static IReadOnlyDictionary<string, string> Check(CommandContext context, TaskInfo task, IEnumerable<string> models)
    {
        ArgumentNullException.ThrowIfNull(task);
        var given = Read(context);
        foreach (var (name, value) in given)
            if (task.Option(name) is { Sweepable: true } && value.Contains(','))
                throw new UserInputException($"train takes one --{name} value (got {value}); experiment sweeps several.");
        return CliErrors.UserInput(() => task.CheckOptions(given, models));
    }

    /// <summary>For <c>experiment</c>: the option sets of the grid, one per combination of the values of the sweepable
    /// options given as comma-separated lists (e.g. <c>--symmetry-breaking 0,0.1,0.5</c>), each checked.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Sweep(CommandContext context, TaskInfo task, IEnumerable<string> models)
    {
        ArgumentNullException.ThrowIfNull(task);
        var chosen = models.ToArray();
        var given = Read(context);
        IEnumerable<Dictionary<string, string>> sets = new[] { new Dictionary<string, string>(StringComparer.Ordinal) };
        foreach (var (name, value) in given)
        {
            var values = task.Option(name) is { Sweepable: true } option
                ? value.Split(',', StringSplitOptions.TrimEntries).Select(v => CliErrors.UserInput(() => option.Canonical(v)))
                    .Distinct().OrderBy(v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : 0)
                    .ToArray()
                : new[] { value };
            sets = sets.SelectMany(s => values.Select(v => new Dictionary<string, string>(s, StringComparer.Ordinal) { [name] = v })).ToArray();
        }
        return sets.Select(s => CliErrors.UserInput(() => task.CheckOptions(s, chosen))).ToArray();
    }

    /// <summary>Applies <c>--threads</c>.</summary>
    public static void ApplyThreads(int? threads)
    {
        if (threads is not int count) return;
        // More libtorch threads than cores only slows training down (threads wait on each other).
        if (count < 1 || count > Environment.ProcessorCount)
            throw new UserInputException($"--threads must be between 1 and {Environment.ProcessorCount}, the cores of this machine (got {count}).");
        Noether.Runtime.TorchRuntime.Threads = count;
    }

    /// <summary>Applies <c>--memory-limit</c>, or checks <c>NOETHER_MEMORY_LIMIT</c> when it is absent (before any work).</summary>
    public static void ApplyMemoryLimit(string? limit)
    {
        if (limit is null)
        {
            CliErrors.UserInput(() => Noether.Runtime.MemoryBudget.Limit);
            return;
        }
        try
        {
            Noether.Runtime.MemoryBudget.Limit = Math.Max(1L << 20, Noether.Runtime.MemoryBudget.ParseSize(limit));
        }
        catch (FormatException e)
        {
            throw new UserInputException($"--memory-limit: {e.Message}", e);
        }
    }

    /// <summary>The options as they are typed again, e.g. " --draw reference --lr 0.001" (for the command a report records).</summary>
    public static string Format(IReadOnlyDictionary<string, string> options) =>
        string.Concat(options.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $" --{kv.Key} {kv.Value}"));
}
