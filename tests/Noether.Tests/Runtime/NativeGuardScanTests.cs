using System.Diagnostics;
using System.Text.RegularExpressions;
using Noether.Tests.Training;

namespace Noether.Tests.Runtime;

/// <summary>The native functions without a catch clause are found from the library's unwind tables, and every one that
/// Noether can reach is handled: guarded by a checked call, or shown unable to fail on user input.</summary>
public class NativeGuardScanTests
{
    private static readonly Lazy<NativeGuardScan> Scan = new(() => NativeGuardScan.Read(NativeGuardScan.ShippedLibrary));
    private static readonly Lazy<TorchSharpCallGraph> Graph = new(() => new TorchSharpCallGraph(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll")));
    private static readonly string[] Roots = { Path.Combine(AppContext.BaseDirectory, "Noether.dll"), Path.Combine(AppContext.BaseDirectory, "Noether.Cli.dll") };
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> Reached = new(() => Graph.Value.ReachableFrom(Roots));

    private static IReadOnlySet<string> ReachedUnguarded() =>
        Reached.Value.Keys.Where(n => Scan.Value.Functions.TryGetValue(n, out var f) && !f.HasCatch).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Scan_FindsTheExportedFunctions_AndClassifiesKnownOnes()
    {
        var scan = Scan.Value;
        Assert.InRange(scan.Functions.Count, 1000, 1500);           // 1,164 in TorchSharp 0.107.0
        Assert.InRange(scan.Unguarded.Count, 50, 400);              // 196
        Assert.Contains(scan.Cies, c => c.Augmentation == "zPLR" && c.Personality != 0);
        Assert.False(scan.Functions["THSTensor_matmul"].HasCatch);
        Assert.False(scan.Functions["THSAutograd_grad"].HasCatch);
        Assert.True(scan.Functions["THSTensor_mm"].HasCatch);
        Assert.True(scan.Functions["THSTensor_add"].HasCatch);
        // An FDE with an LSDA covers each of the guarded ones.
        Assert.All(new[] { "THSTensor_mm", "THSTensor_add" }, n => Assert.Contains(scan.Functions[n].Fdes, f => f.Lsda != 0));
    }

    [Fact]
    public void Scan_OfAStrippedLibrary_GivesTheSameAnswer()
    {
        var stripped = new NativeGuardScan(File.ReadAllBytes(NativeGuardScan.ShippedLibrary), readSymtab: false);
        Assert.Equal(Scan.Value.Unguarded, stripped.Unguarded);
    }

    /// <summary>The disassembly method: a function has a catch when it (or its <c>.cold</c> part) calls
    /// <c>__cxa_begin_catch</c>. Needs binutils; where <c>objdump</c> is missing there is nothing to compare with.</summary>
    [Fact]
    public void Scan_AgreesWithObjdump_WhereObjdumpIsInstalled()
    {
        string? objdump = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "objdump")).FirstOrDefault(File.Exists);
        if (objdump is null) return;
        var info = new ProcessStartInfo(objdump) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-d", "--no-show-raw-insn", NativeGuardScan.ShippedLibrary }) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var catching = new HashSet<string>(StringComparer.Ordinal);
        var header = new Regex(@"^[0-9a-f]+ <(.+)>:$");
        string? current = null;
        for (string? line; (line = process.StandardOutput.ReadLine()) is not null;)
        {
            var m = header.Match(line);
            if (m.Success) current = m.Groups[1].Value;
            else if (current is not null && line.Contains("call", StringComparison.Ordinal) && line.Contains("<__cxa_begin_catch@plt>", StringComparison.Ordinal))
                catching.Add(current.EndsWith(".cold", StringComparison.Ordinal) ? current[..^5] : current);
        }
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        var byObjdump = Scan.Value.Functions.Keys.Where(n => !catching.Contains(n)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(byObjdump, Scan.Value.Unguarded);
    }

    [Fact]
    public void Scan_RefusesMalformedLibraries()
    {
        var good = File.ReadAllBytes(NativeGuardScan.ShippedLibrary);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(new byte[100])).Message);
        var bits32 = (byte[])good.Clone();
        bits32[4] = 1;
        Assert.Contains("64-bit", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(bits32)).Message);
        Assert.Contains("section", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(good[..(good.Length / 2)])).Message);
        // The first record of .eh_frame is a CIE: length (4), id 0 (4), version (1), augmentation "zR".
        int ehFrame = checked((int)Scan.Value.SectionFileOffset(".eh_frame"));
        var version = (byte[])good.Clone();
        version[ehFrame + 8] = 7;
        Assert.Contains("version 7", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(version)).Message);
        var letter = (byte[])good.Clone();
        Assert.Equal((byte)'R', letter[ehFrame + 10]);
        letter[ehFrame + 10] = (byte)'Q';
        Assert.Contains("unknown letter 'Q'", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(letter)).Message);
        var length = (byte[])good.Clone();
        BitConverter.TryWriteBytes(length.AsSpan(ehFrame), 0x7fff_fff0);
        Assert.Contains("runs past", Assert.Throws<InvalidDataException>(() => new NativeGuardScan(length)).Message);
    }

    [Fact]
    public void ScanAndReachability_TakeUnderTwoSeconds()
    {
        var clock = Stopwatch.StartNew();
        var scan = NativeGuardScan.Read(NativeGuardScan.ShippedLibrary);
        using var graph = new TorchSharpCallGraph(Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll"));
        var reached = graph.ReachableFrom(Roots);
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(Reached.Value.Keys, reached.Keys);             // deterministic
        Assert.Equal(Scan.Value.Unguarded, scan.Unguarded);
    }

    [Fact]
    public void Reachability_FollowsNoethersCalls()
    {
        var reached = Reached.Value;
        Assert.Contains("THSTensor_matmul", reached.Keys);         // through Guarded.MatMulChecked
        Assert.Contains("THSAutograd_grad", reached.Keys);         // through Guarded.Grad
        Assert.Contains("THSTensor_dispose", reached.Keys);        // through IDisposable.Dispose on tensors
        Assert.DoesNotContain("THSTensor_cummax", reached.Keys);   // Noether calls no cummax
        Assert.DoesNotContain("THSTensor_upsample_nearest2d_backward", reached.Keys);
        Assert.InRange(reached.Count, 100, Graph.Value.NativeEntryPoints.Count);
    }

    /// <summary>The table lists exactly the unguarded functions Noether reaches: a TorchSharp upgrade, or a new call in
    /// Noether, that reaches another one fails here until the table says how it is handled.</summary>
    [Fact]
    public void EveryReachedUnguardedFunction_IsInTheTable_AndNothingElse()
    {
        var reached = ReachedUnguarded();
        var table = UnguardedNativeCalls.Table.Select(e => e.Native).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(table.Count, UnguardedNativeCalls.Table.Count);
        var missing = reached.Except(table).Order(StringComparer.Ordinal)
            .Select(n => $"  {n}: reached by {string.Join(" -> ", Reached.Value[n])}").ToArray();
        var stale = table.Except(reached).Order(StringComparer.Ordinal)
            .Select(n => $"  {n}: " + (!Scan.Value.Functions.TryGetValue(n, out var f) ? "not exported" : f.HasCatch ? "now has a catch" : "no longer reached")).ToArray();
        Assert.True(missing.Length == 0 && stale.Length == 0,
            (missing.Length > 0 ? "Reached without a catch and not in UnguardedNativeCalls.Table:\n" + string.Join("\n", missing) + "\n" : "") +
            (stale.Length > 0 ? "In UnguardedNativeCalls.Table but not reached-and-unguarded:\n" + string.Join("\n", stale) : ""));
        foreach (var e in UnguardedNativeCalls.Table)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Reason), e.Native);
            if (e.Handling == UnguardedNativeCalls.Handling.Guarded)
                Assert.True(e.Guard is not null && e.GuardFile is not null && e.RawCall is not null, $"{e.Native} is guarded but names no guard, file or raw call");
        }
    }

    /// <summary>Where the table says a function is reached only through some TorchSharp methods, the IL agrees: every
    /// TorchSharp method Noether calls that reaches the function matches the pattern.</summary>
    [Fact]
    public void FunctionsReachedOnlyThroughNamedCalls_AreReachedOnlyThroughThem()
    {
        var calls = Graph.Value.RootCalls(Roots);
        var offenders = new List<string>();
        foreach (var e in UnguardedNativeCalls.Table.Where(e => e.OnlyVia is not null))
        {
            var via = new Regex(e.OnlyVia!);
            var callers = Graph.Value.Callers(e.Native);
            var through = calls.Keys.Where(callers.Contains).ToArray();
            Assert.True(through.Length > 0 || e.Native == "THSNN_Module_to_dtype", $"{e.Native}: no direct caller found; the OnlyVia pattern checks nothing");
            offenders.AddRange(through.Where(c => !via.IsMatch(c)).Select(c => $"{e.Native} via {c} (called by {calls[c]})"));
        }
        Assert.True(offenders.Count == 0, "reached through calls the table does not name:\n" + string.Join("\n", offenders));
    }

    /// <summary>The committed document is what the scan gives; <c>NOETHER_REGENERATE_DOCS=1</c> rewrites it.</summary>
    [Fact]
    public void Document_MatchesTheScan()
    {
        string text = UnguardedDocument.Generate(Scan.Value, Graph.Value, ReachedUnguarded());
        string path = Path.Combine(TrainerTests.RepositoryRoot(), UnguardedDocument.RelativePath);
        if (Environment.GetEnvironmentVariable("NOETHER_REGENERATE_DOCS") == "1") File.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{UnguardedDocument.RelativePath} is missing; run the test with NOETHER_REGENERATE_DOCS=1.");
        string committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == text, $"{UnguardedDocument.RelativePath} differs from the scan; run the test with NOETHER_REGENERATE_DOCS=1 and review the diff.");
        Assert.Contains("`THSTensor_matmul` — use `Guarded.MatMulChecked` (Noether reaches)", text);
    }
}
