using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TorchSharp;

namespace Noether.Runtime;

/// <summary>Loads TorchSharp's native backend, including on systems whose libstdc++ is older than
/// the one <c>libLibTorchSharp.so</c> was linked against.</summary>
/// <remarks>
/// TorchSharp-cpu 0.107.0 asks libstdc++ for <c>GLIBCXX_3.4.32</c> (GCC 13); Debian 12 and Ubuntu 22.04
/// stop at 3.4.30. The requirement exists for one symbol that no relocation uses, so the loader would
/// accept the library if the requirement were weak. When (and only when) the system libstdc++ lacks a
/// required version, this class writes a private copy of <c>libLibTorchSharp.so</c> with those
/// requirements marked weak (never touching the NuGet cache), preloads libtorch and the copy, and
/// routes TorchSharp's <c>DllImport("LibTorchSharp")</c> to it. Everywhere else it changes nothing.
/// Call <see cref="EnsureLoaded"/> before the first TorchSharp call; Noether's own entry points do.
/// </remarks>
public static class TorchRuntime
{
    private const string TorchSharpNative = "libLibTorchSharp.so";
    private static readonly string[] LibTorchPreload = { "libc10.so", "libtorch_cpu.so", "libtorch.so" };
    private static readonly object Gate = new();
    private static NativeBackend? _backend;
    private static IntPtr _patchedHandle;

    /// <summary>Makes TorchSharp usable; idempotent and thread-safe. Throws
    /// <see cref="InvalidOperationException"/> naming every step tried when the backend cannot load.</summary>
    public static NativeBackend EnsureLoaded()
    {
        lock (Gate)
        {
            if (_backend is not null) return _backend;
            var log = new List<string>();
            string? patched = null;
            try
            {
                if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
                {
                    TuneNativeAllocator(log);
                    CapOneDnnIsa(log);
                    ShortenOpenMpSpin(log);
                    patched = PrepareLinux(log);
                }
                else
                    log.Add($"{RuntimeInformation.OSDescription}: no libstdc++ check needed.");
                // The first real TorchSharp call runs its own native loading (static constructor of torch).
                using (torch.NewDisposeScope())
                {
                    var probe = torch.ones(2, 2).MatMulChecked(torch.ones(2, 2)).sum().ToDoubleChecked();
                    if (Math.Abs(probe - 8.0) > 1e-9)
                        throw new InvalidOperationException($"libtorch computed {probe} for a 2x2 matmul check (expected 8).");
                }
            }
            catch (Exception e) when (e is not InvalidOperationException || !e.Message.StartsWith("Noether could not", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    "Noether could not load TorchSharp's native backend (libtorch). Steps tried:\n  - " +
                    string.Join("\n  - ", log) + "\nLast error: " + Innermost(e).Message, e);
            }
            _backend = new NativeBackend(
                TorchSharpVersion: TorchSharpVersionString(),
                LibTorchVersion: LibTorchVersionString(),
                PatchedLibrary: patched,
                Steps: log.ToArray());
            return _backend;
        }
    }

    /// <summary>The number of threads libtorch uses for intra-op parallelism (and Noether's own kernels split their
    /// work over). Setting it is an explicit choice: <see cref="PreferThreads"/> leaves it alone from then on.</summary>
    public static int Threads
    {
        get { EnsureLoaded(); return torch.get_num_threads(); }
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "Thread count must be at least 1.");
            EnsureLoaded();
            torch.set_num_threads(value);
            ChosenThreads = value;
        }
    }

    /// <summary>The thread count last set through <see cref="Threads"/> (the user's choice, e.g. <c>--threads</c>),
    /// or null when none was set.</summary>
    public static int? ChosenThreads { get; private set; }

    /// <summary>Forgets the explicit choice (tests that set <see cref="Threads"/> restore the process as they found it).</summary>
    internal static void ForgetThreadChoice() => ChosenThreads = null;

    /// <summary>Sets the thread count a task or command prefers for its models (e.g. one thread for tiny models,
    /// where libtorch's threads cost more than they save), unless the user chose one through <see cref="Threads"/>.
    /// Returns the count in effect.</summary>
    public static int PreferThreads(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Thread count must be at least 1.");
        EnsureLoaded();
        if (ChosenThreads is null) torch.set_num_threads(count);
        return torch.get_num_threads();
    }

    /// <summary>Seeds libtorch's global generator; every random choice Noether makes without an explicit
    /// generator flows from this seed.</summary>
    public static void Seed(long seed)
    {
        EnsureLoaded();
        torch.manual_seed(seed);
    }

    /// <summary>Runs <paramref name="create"/> with libtorch's global generator seeded by <paramref name="seed"/> and puts
    /// the generator's state back afterwards: for constructors whose TorchSharp initialisers (Linear, Conv2d) draw from the
    /// global generator, so that their weights follow from their seed without reseeding the caller's random stream.</summary>
    public static T WithSeed<T>(long seed, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        EnsureLoaded();
        using var saved = torch.random.get_rng_state();
        torch.manual_seed(seed);
        try
        {
            return create();
        }
        finally
        {
            torch.random.set_rng_state(saved);
        }
    }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255",
        Justification = "The backend must be loadable before any user code calls TorchSharp; loading is idempotent.")]
    internal static void InitializeOnAssemblyLoad()
    {
        // Prepare (patch + preload) eagerly but never throw from a module initializer: the
        // explicit EnsureLoaded call at first use reports the failure with its steps.
        try { EnsureLoaded(); } catch (InvalidOperationException) { }
    }

    /// <summary>glibc's malloc serves blocks above its mmap threshold (128 KiB at first) with fresh mappings and returns
    /// them to the system on free, so every large temporary tensor — a (10⁵ × 16) float32 block is 6 MB — costs a
    /// kernel mapping plus a page fault per 4 KiB touched, on every operation. Measured on this project's 2-core
    /// machine, spherical harmonics of 10⁵ vectors forward + backward took 63 ms that way and 12 ms with freed blocks
    /// kept for reuse. Raising the threshold to its maximum (32 MiB) and the trim threshold to 1 GiB keeps them in the
    /// heap (growing it 64 MiB at a time) (PyTorch users get the same from jemalloc or tcmalloc). Memory still stays flat: freed blocks are reused,
    /// not leaked. Set NOETHER_MALLOC=system to leave glibc's defaults.</summary>
    private static void TuneNativeAllocator(List<string> log)
    {
        if (Environment.GetEnvironmentVariable("NOETHER_MALLOC") == "system")
        {
            log.Add("NOETHER_MALLOC=system: glibc malloc left at its defaults");
            return;
        }
        const int trimThreshold = -1, topPad = -2, mmapThreshold = -3;
        try
        {
            var ok = MallocOptions(mmapThreshold, 32 * 1024 * 1024) == 1 & MallocOptions(trimThreshold, 1 << 30) == 1
                     & MallocOptions(topPad, 64 * 1024 * 1024) == 1;
            log.Add(ok ? "glibc malloc: mmap threshold 32 MiB, trim threshold 1 GiB, top pad 64 MiB (large temporaries reuse freed memory)"
                       : "glibc malloc refused the mmap/trim thresholds; left at its defaults");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            log.Add($"no glibc mallopt ({e.GetType().Name}); allocator left as it is");
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallocOptions(int parameter, int value);

    /// <summary>libtorch 2.10's oneDNN (3.7.1) computes float32 convolutions wrongly with its JIT kernels on some
    /// machines. On this project's development VM (AMD EPYC, AVX-512 with bfloat16) a 5×5 convolution from 70 to 98
    /// channels on 28×28 images came out 18% off (against unfold + matmul in float64) with every ISA from AVX to
    /// AVX-512 — deterministic, so not noise — which broke the equivariance tests of the image models; only the SSE4.1
    /// kernels are correct there (about 3.6× slower than AVX2 on that layer). Correct results come first: unless the
    /// user set <c>DNNL_MAX_CPU_ISA</c> themselves (e.g. to <c>ALL</c> on a machine where the runtime test
    /// <c>Conv2d_MatchesUnfoldAndMatmul_OnThisCpu</c> passes with it), Noether sets it to SSE41 in the process
    /// environment before libtorch first reads it. (Set in the native environment: .NET's
    /// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach <c>getenv</c>.)</summary>
    private static void CapOneDnnIsa(List<string> log) => SetNativeDefault(log, "DNNL_MAX_CPU_ISA", "SSE41",
        "oneDNN's AVX and AVX-512 convolution kernels are wrong on some CPUs", "oneDNN left at its defaults");

    /// <summary>libtorch's OpenMP workers (libgomp) busy-wait after every parallel region for <c>GOMP_SPINCOUNT</c>
    /// iterations before they sleep; the default, 300,000, keeps an idle worker spinning for about a millisecond. Noether's
    /// own kernels (the fused EGNN layer, the spherical-harmonics kernel) split their work over the .NET thread pool,
    /// and on a 2-core machine the spinning worker took half the second core from them: the fused EGNN layer ran
    /// slower on two threads than on one. Unless the user set <c>GOMP_SPINCOUNT</c> or <c>OMP_WAIT_POLICY</c>,
    /// Noether sets 10,000 (tens of microseconds: back-to-back libtorch operations still find the workers awake)
    /// before libtorch loads. Measured with BenchmarkDotNet on this project's 2-core VM (docs/results/points.md):
    /// the EGNN training step 10.6 → 7.0 ms, spherical harmonics 3.7 → 2.2 ms, the other benchmarks unchanged within
    /// their error bars.</summary>
    private static void ShortenOpenMpSpin(List<string> log) => SetNativeDefault(log, "GOMP_SPINCOUNT", "10000",
        "idle OpenMP workers sleep after tens of microseconds instead of spinning for a millisecond", "OpenMP left at its defaults",
        "OMP_WAIT_POLICY");

    /// <summary>Sets <paramref name="variable"/> to <paramref name="value"/> in the native environment (libtorch's
    /// libraries read <c>getenv</c>, which .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does
    /// not reach) and in .NET's, unless the user set it or one of <paramref name="respected"/>; logs which.</summary>
    private static void SetNativeDefault(List<string> log, string variable, string value, string reason, string otherwise,
        params string[] respected)
    {
        foreach (var given in respected.Prepend(variable))
            if (Environment.GetEnvironmentVariable(given) is { Length: > 0 } set)
            {
                log.Add($"{given}={set} (set by the user) left as it is");
                return;
            }
        try
        {
            var ok = SetEnvironment(variable, value, 0) == 0;
            Environment.SetEnvironmentVariable(variable, value);
            log.Add(ok ? $"{variable}={value}: {reason}" : $"could not set {variable}; {otherwise}");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            log.Add($"no libc setenv ({e.GetType().Name}); {variable} not set");
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnvironment([MarshalAs(UnmanagedType.LPStr)] string name, [MarshalAs(UnmanagedType.LPStr)] string value, int overwrite);

    private static string? PrepareLinux(List<string> log)
    {
        var nativeDirs = CandidateNativeDirectories().ToList();
        var original = nativeDirs.Select(d => Path.Combine(d, TorchSharpNative)).FirstOrDefault(File.Exists);
        if (original is null)
        {
            log.Add($"{TorchSharpNative} not found in: {string.Join(", ", nativeDirs)}; leaving loading to TorchSharp.");
            return null;
        }
        log.Add($"found {original}");
        var image = File.ReadAllBytes(original);
        var elf = new ElfVersionPatcher(image);
        var stdcpp = SystemLibStdCpp(log);
        if (stdcpp is null) return null;
        var defined = new ElfVersionPatcher(File.ReadAllBytes(stdcpp)).DefinedVersions();
        var missing = elf.Requirements
            .Where(r => r.File.StartsWith("libstdc++", StringComparison.Ordinal) && !r.IsWeak && !defined.Contains(r.Version))
            .ToList();
        if (missing.Count == 0)
        {
            log.Add($"{stdcpp} defines every version {TorchSharpNative} needs; no patch.");
            return null;
        }
        log.Add($"{stdcpp} lacks {string.Join(", ", missing.Select(m => m.Version))}");
        var bound = elf.VersionsUsedByRelocations();
        var unsafeOnes = missing.Where(m => bound.Contains(m.Index)).Select(m => m.Version).ToList();
        if (unsafeOnes.Count > 0)
            throw new InvalidOperationException(
                $"Noether could not load TorchSharp: {TorchSharpNative} binds symbols of {string.Join(", ", unsafeOnes)}, " +
                $"which the system libstdc++ ({stdcpp}) lacks. Install a newer libstdc++ (GCC 13 or later).");
        foreach (var m in missing) elf.MarkWeak(m.Version);
        var copy = WritePatchedCopy(original, elf.Bytes, log);

        var libtorchDir = nativeDirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch_cpu.so")))
            ?? throw new InvalidOperationException(
                $"Noether could not load TorchSharp: libtorch_cpu.so not found in {string.Join(", ", nativeDirs)}. " +
                "Restore the TorchSharp-cpu package (dotnet restore).");
        foreach (var lib in LibTorchPreload)
        {
            var path = Path.Combine(libtorchDir, lib);
            NativeLibrary.Load(path);
            log.Add($"preloaded {path}");
        }
        _patchedHandle = NativeLibrary.Load(copy);
        log.Add($"preloaded patched copy {copy}");
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, ResolveTorchSharpNative);
            log.Add("routed DllImport(LibTorchSharp) to the patched copy");
        }
        catch (InvalidOperationException)
        {
            // TorchSharp has its own resolver; the loader then finds the copy by its SONAME.
            log.Add("TorchSharp has its own DllImport resolver; relying on SONAME lookup");
        }
        return copy;
    }

    private static IntPtr ResolveTorchSharpNative(string name, Assembly assembly, DllImportSearchPath? path) =>
        name is "LibTorchSharp" or TorchSharpNative && _patchedHandle != IntPtr.Zero ? _patchedHandle : IntPtr.Zero;

    private static string WritePatchedCopy(string original, byte[] patched, List<string> log)
    {
        var hash = Convert.ToHexString(SHA256.HashData(patched))[..16].ToLowerInvariant();
        foreach (var root in CacheRoots())
        {
            try
            {
                var dir = Path.Combine(root, "native", hash);
                var target = Path.Combine(dir, TorchSharpNative);
                if (File.Exists(target) && SHA256.HashData(File.ReadAllBytes(target)).AsSpan().SequenceEqual(SHA256.HashData(patched)))
                {
                    log.Add($"reusing patched copy {target}");
                    return target;
                }
                Directory.CreateDirectory(dir);
                // Atomic: concurrent processes (parallel test hosts) never see a half-written library.
                var temp = Path.Combine(dir, $".{TorchSharpNative}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
                File.WriteAllBytes(temp, patched);
                File.Move(temp, target, overwrite: true);
                log.Add($"wrote patched copy of {original} to {target}");
                return target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.Add($"cannot write under {root}: {e.Message}");
            }
        }
        throw new InvalidOperationException("Noether could not load TorchSharp: no writable directory for the patched copy " +
            "(set NOETHER_NATIVE_CACHE to a writable folder).");
    }

    private static IEnumerable<string> CacheRoots()
    {
        var env = Environment.GetEnvironmentVariable("NOETHER_NATIVE_CACHE");
        if (!string.IsNullOrWhiteSpace(env)) yield return env;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) yield return Path.Combine(xdg, "noether");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrWhiteSpace(home)) yield return Path.Combine(home, ".cache", "noether");
        yield return Path.Combine(Path.GetTempPath(), $"noether-{Environment.UserName}");
    }

    private static IEnumerable<string> CandidateNativeDirectories()
    {
        const string rid = "runtimes/linux-x64/native";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bases = new List<string> { AppContext.BaseDirectory };
        var torchSharpDir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpDir)) bases.Add(torchSharpDir);
        foreach (var b in bases)
        {
            foreach (var d in new[] { b, Path.Combine(b, rid), Path.Combine(b, "cpu") })
                if (Directory.Exists(d) && seen.Add(Path.GetFullPath(d))) yield return Path.GetFullPath(d);
        }
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var v = typeof(torch).Assembly.GetName().Version;
        if (v is not null)
        {
            var tsDir = Path.Combine(packages, "torchsharp", $"{v.Major}.{v.Minor}.{v.Build}", rid);
            if (Directory.Exists(tsDir) && seen.Add(tsDir)) yield return tsDir;
        }
        var libtorch = Path.Combine(packages, "libtorch-cpu-linux-x64");
        if (Directory.Exists(libtorch))
            foreach (var d in Directory.GetDirectories(libtorch).OrderDescending())
            {
                var native = Path.Combine(d, rid);
                if (Directory.Exists(native) && seen.Add(native)) yield return native;
            }
    }

    /// <summary>The libstdc++ this process uses (or would use): the one already mapped, else the one
    /// the loader finds for <c>libstdc++.so.6</c>.</summary>
    private static string? SystemLibStdCpp(List<string> log)
    {
        var mapped = MappedLibStdCpp();
        if (mapped is null && NativeLibrary.TryLoad("libstdc++.so.6", out _)) mapped = MappedLibStdCpp();
        if (mapped is null) log.Add("could not locate the system libstdc++.so.6; leaving loading to TorchSharp.");
        return mapped;
    }

    private static string? MappedLibStdCpp()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var i && i >= 0 ? line[i..] : null)
                .FirstOrDefault(p => p is not null && Path.GetFileName(p).StartsWith("libstdc++.so", StringComparison.Ordinal));
        }
        catch (IOException) { return null; }
    }

    private static string TorchSharpVersionString()
    {
        var asm = typeof(torch).Assembly;
        var info = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var v = asm.GetName().Version;
        return info?.Split('+')[0] ?? $"{v?.Major}.{v?.Minor}.{v?.Build}";
    }

    private static string LibTorchVersionString()
    {
        var version = torch.__version__;
        if (string.IsNullOrWhiteSpace(version)) return "unknown";
        // TorchSharp reports the libtorch package version with four parts ("2.10.0.0"); libtorch itself has three.
        var parts = version.Split('.');
        return parts.Length == 4 && parts[3] == "0" ? string.Join('.', parts[..3]) : version;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}

/// <summary>What <see cref="TorchRuntime.EnsureLoaded"/> did.</summary>
/// <param name="TorchSharpVersion">the TorchSharp package version.</param>
/// <param name="LibTorchVersion">the libtorch version it wraps.</param>
/// <param name="PatchedLibrary">path of the private patched copy, or null where none was needed.</param>
/// <param name="Steps">what was checked and done, in order.</param>
public sealed record NativeBackend(string TorchSharpVersion, string LibTorchVersion, string? PatchedLibrary, IReadOnlyList<string> Steps);
