using System.Globalization;

namespace Noether.Runtime;

/// <summary>The memory one piece of work may take (an equivariant basis solve, a task's data set), checked against an
/// estimate before the work starts, so a request that would take all memory is refused with a message instead of
/// swapping, being killed, or running for an hour.</summary>
/// <remarks>The limit is, in order: <see cref="Limit"/> when a program sets it (the CLI's <c>--memory-limit</c>), the
/// environment variable <c>NOETHER_MEMORY_LIMIT</c> (e.g. <c>64G</c>, <c>512M</c>, bytes), or half of the memory the
/// process may use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: physical memory or the container's limit).
/// Estimates are upper bounds of what the work allocates at its peak; raising the limit on purpose is always allowed.</remarks>
public static class MemoryBudget
{
    /// <summary>The environment variable that sets the limit (a size such as <c>16G</c>).</summary>
    public const string Variable = "NOETHER_MEMORY_LIMIT";

    private static long? _limit;

    /// <summary>The limit in bytes (see the remarks for where it comes from).</summary>
    /// <exception cref="ArgumentOutOfRangeException">set to less than 1 MiB.</exception>
    /// <exception cref="FormatException">the environment variable is set but is not a size.</exception>
    public static long Limit
    {
        get
        {
            if (_limit is long set) return set;
            var text = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrWhiteSpace(text))
            {
                try { return ParseSize(text); }
                catch (FormatException e) { throw new FormatException($"{Variable}: {e.Message}", e); }
            }
            return Default;
        }
        set
        {
            if (value < (1L << 20)) throw new ArgumentOutOfRangeException(nameof(value), value, "The memory limit must be at least 1 MiB.");
            _limit = value;
        }
    }

    /// <summary>Half of the memory available to the process.</summary>
    public static long Default => Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);

    /// <summary>Forgets a limit set by <see cref="Limit"/> (tests).</summary>
    internal static void Reset() => _limit = null;

    /// <summary>Refuses work estimated to need more than <see cref="Limit"/> bytes.</summary>
    /// <param name="bytes">the estimate (an upper bound of the peak).</param>
    /// <param name="what">the work, in words, e.g. "the invariants of T(4,4) of O5".</param>
    /// <exception cref="MemoryLimitException">the estimate is above the limit; the message gives both and how to raise it.</exception>
    public static void Require(double bytes, string what)
    {
        long limit = Limit;
        if (bytes > limit) throw new MemoryLimitException(what, bytes, limit);
    }

    /// <summary>A size in bytes from text: a number with an optional unit K, M, G or T (powers of 1024; "GiB", "GB"
    /// and lower case are read the same), e.g. <c>512M</c>, <c>1.5G</c>, <c>2147483648</c>.</summary>
    /// <exception cref="FormatException">not a positive size, or above 1 PiB.</exception>
    public static long ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        int end = s.Length;
        while (end > 0 && char.IsAsciiLetter(s[end - 1])) end--;
        var unit = s[end..].ToUpperInvariant();
        double scale = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => double.NaN,
        };
        if (double.IsNaN(scale) || !double.TryParse(s.AsSpan(0, end).Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)
            || !(number > 0) || number * scale > (1L << 50))
            throw new FormatException($"'{text}' is not a memory size (a positive number with an optional unit K, M, G or T, e.g. 16G; at most 1024T).");
        return (long)Math.Ceiling(number * scale);
    }

    /// <summary>Bytes in words: "1.5 GiB", "300 MiB".</summary>
    public static string Format(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):0.#} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):0.#} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):0.#} MiB",
        _ => $"{bytes / 1024:0.#} KiB",
    };
}

/// <summary>Work refused before it started because its memory estimate is above <see cref="MemoryBudget.Limit"/>.</summary>
public sealed class MemoryLimitException : InvalidOperationException
{
    /// <summary>Creates the error for <paramref name="what"/>.</summary>
    public MemoryLimitException(string what, double estimate, long limit)
        : base($"{what} would need about {MemoryBudget.Format(estimate)}, above the memory limit of {MemoryBudget.Format(limit)}; " +
               $"raise it with --memory-limit or {MemoryBudget.Variable} (e.g. {MemoryBudget.Variable}=64G) if the machine has the memory.")
    {
        Estimate = estimate;
        LimitBytes = limit;
    }

    /// <summary>The estimate, in bytes.</summary>
    public double Estimate { get; }

    /// <summary>The limit it exceeded, in bytes.</summary>
    public long LimitBytes { get; }
}
