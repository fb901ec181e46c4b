using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Noether.Tests.Reliability;

/// <summary>What one parser did with the fuzzed inputs: how many gave a value, how many each exception type, the slowest
/// input, the most memory one input allocated, and the inputs that broke the contract (an undocumented exception, or
/// more than <see cref="Fuzz.TimeLimit"/> or <see cref="Fuzz.AllocationLimit"/>).</summary>
internal sealed record FuzzReport(string Parser, long Inputs, long Values, IReadOnlyDictionary<string, long> Exceptions,
    double SlowestMilliseconds, string SlowestInput, long MaxAllocatedBytes, IReadOnlyList<string> Violations)
{
    public string Summary() =>
        $"{Parser}: {Inputs:N0} inputs, {Values:N0} values, " +
        string.Join(", ", Exceptions.Select(kv => $"{kv.Value:N0} {kv.Key}")) +
        $"; slowest {SlowestMilliseconds:F1} ms ({SlowestInput}); max allocated {MaxAllocatedBytes / 1024.0:N0} KiB";
}

/// <summary>The fuzzing harness of the parser and loader tests: inputs drawn from CsCheck generators with a fixed PCG seed
/// per parser (the same inputs on every run), each parsed on the test thread with its time and allocations measured.</summary>
/// <remarks>
/// <para>The bounded CI run draws <see cref="DefaultIterations"/> inputs per parser. <c>NOETHER_FUZZ_ITERATIONS=N</c>
/// draws N instead (the long mode, e.g. 1000000); <c>NOETHER_FUZZ_REPORT=FILE</c> appends one JSON line per parser to
/// FILE (what <c>docs/results/reliability.md</c> records). A parser that has not returned after
/// <see cref="HangLimit"/> fails the test naming the input (the thread is left behind: a hang is a bug to fix).</para>
/// </remarks>
internal static class Fuzz
{
    public const int DefaultIterations = 10_000;

    /// <summary>The most time one input may take.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(1);

    /// <summary>The most managed memory one input may allocate.</summary>
    public const long AllocationLimit = 256L << 20;

    /// <summary>How long a whole run may go without an input finishing before it counts as a hang.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    public static long Iterations =>
        long.TryParse(Environment.GetEnvironmentVariable("NOETHER_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : DefaultIterations;

    /// <summary>Draws <see cref="Iterations"/> inputs from <paramref name="gen"/> and gives each to <paramref name="parse"/>;
    /// a value or an exception of a <paramref name="documented"/> type (or a subtype) is fine, anything else is a violation.
    /// Fails the test with every violation (at most 20 listed) and returns the report otherwise.</summary>
    public static FuzzReport Run<T>(string parser, Gen<T> gen, Action<T> parse, Func<T, string> show, params Type[] documented)
    {
        var report = Measure(parser, gen, parse, show, documented);
        Record(report);
        Assert.True(report.Violations.Count == 0,
            $"{report.Violations.Count} inputs broke the contract of {parser}:\n" + string.Join("\n", report.Violations.Take(20)));
        return report;
    }

    /// <summary>As <see cref="Run{T}"/> for text, shown quoted and shortened.</summary>
    public static FuzzReport Run(string parser, Gen<string> gen, Action<string> parse, params Type[] documented) =>
        Run(parser, gen, parse, Show, documented);

    private static FuzzReport Measure<T>(string parser, Gen<T> gen, Action<T> parse, Func<T, string> show, Type[] documented)
    {
        long iterations = Iterations;
        var pcg = new PCG((uint)StableHash(parser), 20261207UL);
        var exceptions = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var violations = new List<string>();
        long values = 0, maxAllocated = 0;
        double slowest = 0;
        string slowestInput = "";
        object? current = null;
        long finished = 0;
        var worker = new Thread(() =>
        {
            var clock = new Stopwatch();
            for (long i = 0; i < iterations; i++)
            {
                var input = gen.Generate(pcg, null, out _);
                Volatile.Write(ref current, input);
                long before = GC.GetAllocatedBytesForCurrentThread();
                clock.Restart();
                string? outcome = null;
                try
                {
                    parse(input);
                    values++;
                }
                catch (Exception e)
                {
                    outcome = e.GetType().Name;
                    if (!documented.Any(t => t.IsInstanceOfType(e)))
                        violations.Add($"undocumented {e.GetType().FullName} for {show(input)}: {e.Message}");
                    else if (string.IsNullOrWhiteSpace(e.Message))
                        violations.Add($"{e.GetType().Name} without a message for {show(input)}");
                    else if (e is FormatException or InvalidDataException && (e.Message.Contains("(Parameter '", StringComparison.Ordinal) || e.Message.Contains("Actual value was", StringComparison.Ordinal)))
                        violations.Add($"{e.GetType().Name} with .NET argument details for {show(input)}: {e.Message}");
                }
                clock.Stop();
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                if (outcome is not null) exceptions[outcome] = exceptions.GetValueOrDefault(outcome) + 1;
                double ms = clock.Elapsed.TotalMilliseconds;
                if (ms > slowest) (slowest, slowestInput) = (ms, show(input));
                if (clock.Elapsed > TimeLimit) violations.Add($"{ms:F0} ms for {show(input)}");
                maxAllocated = Math.Max(maxAllocated, allocated);
                if (allocated > AllocationLimit) violations.Add($"{allocated:N0} bytes allocated for {show(input)}");
                Interlocked.Increment(ref finished);
            }
        }, 64 << 20) { IsBackground = true, Name = "fuzz " + parser };
        worker.Start();
        long seen = -1;
        while (!worker.Join(HangLimit))
        {
            long now = Interlocked.Read(ref finished);
            if (now == seen)
                Assert.Fail($"{parser} did not return within {HangLimit.TotalSeconds:F0} s for {(Volatile.Read(ref current) is T t ? show(t) : "?")}.");
            seen = now;
        }
        return new FuzzReport(parser, iterations, values, exceptions, slowest, slowestInput, maxAllocated, violations);
    }

    private static void Record(FuzzReport report)
    {
        var file = Environment.GetEnvironmentVariable("NOETHER_FUZZ_REPORT");
        if (string.IsNullOrWhiteSpace(file)) return;
        var line = JsonSerializer.Serialize(new
        {
            parser = report.Parser,
            inputs = report.Inputs,
            values = report.Values,
            exceptions = report.Exceptions,
            slowest_ms = Math.Round(report.SlowestMilliseconds, 2),
            slowest_input = report.SlowestInput,
            max_allocated_bytes = report.MaxAllocatedBytes,
            peak_rss_bytes = PeakResidentBytes(),
            violations = report.Violations.Count,
        });
        lock (typeof(Fuzz)) File.AppendAllText(file, line + "\n");
    }

    /// <summary>The process's peak resident memory (VmHWM), or −1 where /proc is absent.</summary>
    public static long PeakResidentBytes()
    {
        try
        {
            foreach (var l in File.ReadLines("/proc/self/status"))
                if (l.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(l["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return -1;
    }

    public static string Show(string s) =>
        s.Length <= 80 ? JsonSerializer.Serialize(s) : $"{JsonSerializer.Serialize(s[..60])}… ({s.Length:N0} characters)";

    public static string Show(byte[] b) => $"{b.Length:N0} bytes, starting {Convert.ToHexString(b.AsSpan(0, Math.Min(16, b.Length)))}";

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }

    // ---- Generators ----------------------------------------------------------------------------------------------

    private const string Noise = "0123456789 ()[]{},.;:+-*/^x×⊗⊕_=!?'\"\\\t\n\0eoEOTVPSCDAZUabcdéπ∞\u200b\ud83d";

    /// <summary>Text for a parser whose grammar has the given tokens: mutations of valid inputs (inserting, deleting,
    /// repeating and swapping pieces, numbers pushed to their limits), token soup, random characters and, rarely,
    /// texts past the length limits.</summary>
    public static Gen<string> Text(IReadOnlyList<string> valid, IReadOnlyList<string> tokens)
    {
        var mutated = Gen.Select(Gen.Int[0, valid.Count - 1], Gen.UInt.Array[1, 8], (i, ops) => Mutate(valid[i], ops, tokens));
        var soup = Gen.Select(Gen.Int[0, tokens.Count - 1].Array[0, 24], ix => string.Concat(ix.Select(i => tokens[i])));
        var noise = Gen.Select(Gen.Int[0, Noise.Length - 1].Array[0, 40], ix => new string(ix.Select(i => Noise[i]).ToArray()));
        var unicode = Gen.String[0, 40];
        var long_ = Gen.Select(Gen.Int[0, valid.Count - 1], Gen.Int[1_000, 40_000], Gen.Int[0, 3], (i, n, how) => Long(valid[i], n, how));
        return Gen.Frequency((50, (IGen<string>)mutated), (20, soup), (10, noise), (10, unicode), (2, long_), (8, Gen.OneOf(valid.ToArray())));
    }

    private static readonly string[] ExtremeNumbers =
        { "0", "-1", "1", "2", "1024", "1025", "65", "2147483647", "2147483648", "-2147483648", "99999999999999999999", "1e9", "0x10", "٣", "+5", "00" };

    private static string Mutate(string s, uint[] ops, IReadOnlyList<string> tokens)
    {
        var b = new StringBuilder(s);
        foreach (uint op in ops)
        {
            int at = b.Length == 0 ? 0 : (int)((op >> 8) % (uint)(b.Length + 1));
            switch (op % 8)
            {
                case 0: b.Insert(at, Noise[(int)((op >> 3) % (uint)Noise.Length)]); break;
                case 1:
                    if (b.Length > 0)
                    {
                        int start = Math.Min(at, b.Length - 1);
                        b.Remove(start, Math.Min(1 + (int)((op >> 4) % 3u), b.Length - start));
                    }
                    break;
                case 2: b.Insert(at, tokens[(int)((op >> 3) % (uint)tokens.Count)]); break;
                case 3: // a number pushed to an extreme
                    {
                        var text = b.ToString();
                        int digit = text.IndexOfAny("0123456789".ToCharArray(), Math.Min(at, text.Length));
                        if (digit < 0) digit = text.IndexOfAny("0123456789".ToCharArray());
                        if (digit < 0) { b.Insert(at, ExtremeNumbers[(op >> 3) % (uint)ExtremeNumbers.Length]); break; }
                        int end = digit;
                        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
                        b.Remove(digit, end - digit).Insert(digit, ExtremeNumbers[(op >> 3) % (uint)ExtremeNumbers.Length]);
                        break;
                    }
                case 4: // repeat a piece
                    if (b.Length > 0)
                    {
                        int start = Math.Min(at, b.Length - 1), length = 1 + (int)((op >> 3) % (uint)Math.Min(8, b.Length - start));
                        string piece = b.ToString(start, length);
                        int times = 1 + (int)((op >> 20) % 12u);
                        b.Insert(start, string.Concat(Enumerable.Repeat(piece, times)));
                    }
                    break;
                case 5: // joined with itself by an operator
                    b.Append(tokens[(int)((op >> 3) % (uint)tokens.Count)]).Append(s);
                    break;
                case 6: // swap two characters
                    if (b.Length > 1)
                    {
                        int i = Math.Min(at, b.Length - 1), j = (int)((op >> 3) % (uint)b.Length);
                        (b[i], b[j]) = (b[j], b[i]);
                    }
                    break;
                default: b.Insert(at, ' '); break;
            }
            if (b.Length > 50_000) break;
        }
        return b.ToString();
    }

    private static string Long(string valid, int n, int how) => how switch
    {
        0 => string.Join("+", Enumerable.Repeat(valid, Math.Max(1, n / Math.Max(1, valid.Length)))),
        1 => new string('(', n / 2) + valid + new string(')', n / 2),
        2 => string.Join(" x ", Enumerable.Repeat(valid, Math.Max(1, n / Math.Max(1, valid.Length + 3)))),
        _ => new string('9', n),
    };

    /// <summary>Files: mutations of valid ones (bytes flipped, inserted, removed, truncated, header fields set to extremes,
    /// pieces repeated) and, rarely, random bytes.</summary>
    public static Gen<byte[]> Bytes(IReadOnlyList<byte[]> valid)
    {
        var mutated = Gen.Select(Gen.Int[0, valid.Count - 1], Gen.UInt.Array[1, 6], (i, ops) => MutateBytes(valid[i], ops));
        var random = Gen.Byte.Array[0, 64];
        return Gen.Frequency((90, (IGen<byte[]>)mutated), (8, random), (2, Gen.OneOf(valid.ToArray())));
    }

    private static byte[] MutateBytes(byte[] data, uint[] ops)
    {
        var b = new List<byte>(data);
        foreach (uint op in ops)
        {
            // Most structure lives in the first bytes (headers): aim half of the changes there.
            int span = (op & 0x10) != 0 ? Math.Min(64, b.Count + 1) : b.Count + 1;
            int at = (int)((op >> 8) % (uint)Math.Max(1, span));
            switch (op % 7)
            {
                case 0: if (at < b.Count) b[at] ^= (byte)(1 << (int)((op >> 5) % 8u)); break;
                case 1: if (at < b.Count) b[at] = (byte)(op >> 24); break;
                case 2: b.Insert(Math.Min(at, b.Count), (byte)(op >> 24)); break;
                case 3: if (at < b.Count) b.RemoveAt(at); break;
                case 4: if (b.Count > 0) b.RemoveRange(Math.Min(at, b.Count), b.Count - Math.Min(at, b.Count)); break; // truncate
                case 5: // a 32-bit field set to an extreme, either byte order
                    if (at + 4 <= b.Count)
                    {
                        uint value = (op >> 24 & 3) switch { 0 => 0u, 1 => 0xFFFFFFFFu, 2 => 0x7FFFFFFFu, _ => 0x80000000u };
                        for (int k = 0; k < 4; k++) b[at + k] = (byte)(value >> (8 * k));
                    }
                    break;
                default: // repeat a piece
                    if (b.Count > 0)
                    {
                        int start = Math.Min(at, b.Count - 1), length = 1 + (int)((op >> 3) % (uint)Math.Min(64, b.Count - start));
                        b.InsertRange(start, b.GetRange(start, length));
                    }
                    break;
            }
        }
        return b.ToArray();
    }
}
