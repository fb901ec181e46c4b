using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Runtime;

[Collection("NoParallel")]
public class TorchRuntimeTests
{
    private static string OriginalLibrary()
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        };
        return candidates.First(File.Exists);
    }

    private static string SystemLibStdCpp() =>
        File.ReadLines("/proc/self/maps").Select(l => l.IndexOf('/') is var i && i >= 0 ? l[i..] : "")
            .First(p => Path.GetFileName(p).StartsWith("libstdc++.so", StringComparison.Ordinal));

    [Fact]
    public void EnsureLoaded_ReportsVersions_AndIsIdempotent()
    {
        var backend = TorchRuntime.EnsureLoaded();
        Assert.Equal("0.107.0", backend.TorchSharpVersion);
        Assert.Equal("2.10.0", backend.LibTorchVersion);
        Assert.Same(backend, TorchRuntime.EnsureLoaded());
        Assert.NotEmpty(backend.Steps);
    }

    [Fact]
    public void EnsureLoaded_OnGlibc_KeepsLargeFreedBlocksInTheHeap_UnlessToldNot()
    {
        // The allocator step is logged with the thresholds it set (or why it set none); only Linux x64 has the step.
        if (!OperatingSystem.IsLinux()) return;
        var backend = TorchRuntime.EnsureLoaded();
        var step = Assert.Single(backend.Steps, s => s.Contains("malloc", StringComparison.Ordinal) || s.Contains("mallopt", StringComparison.Ordinal));
        if (Environment.GetEnvironmentVariable("NOETHER_MALLOC") == "system")
            Assert.Contains("defaults", step);
        else
            Assert.Contains("mmap threshold 32 MiB", step);
    }

    [Theory]
    [InlineData(24, 32, 5, 28)]
    [InlineData(40, 70, 5, 14)]
    [InlineData(70, 98, 5, 28)]
    [InlineData(98, 140, 7, 14)]
    [InlineData(64, 64, 3, 7)]
    public void Conv2d_MatchesUnfoldAndMatmul_OnThisCpu(int inputs, int outputs, int kernel, int size)
    {
        // oneDNN's AVX/AVX-512 kernels got all but the last wrong by 10–26% on an AMD EPYC; the runtime caps oneDNN at SSE4.1.
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(1);
        var x = torch.randn(new long[] { 3, inputs, size, size }, generator: generator);
        var w = torch.randn(new long[] { outputs, inputs, kernel, kernel }, generator: generator);
        var y = torch.nn.functional.conv2d(x, w, padding: new long[] { kernel / 2, kernel / 2 });
        var columns = torch.nn.functional.unfold(x.to(torch.ScalarType.Float64), kernel, padding: kernel / 2);
        var reference = w.to(torch.ScalarType.Float64).reshape(outputs, -1).matmul(columns).reshape(3, outputs, size, size);
        var error = (y.to(torch.ScalarType.Float64) - reference).abs().max().ToDouble() / reference.abs().max().ToDouble();
        Assert.True(error < 1e-5, $"conv2d is off by {error:E2} of its largest output ({string.Join("; ", TorchRuntime.EnsureLoaded().Steps.Where(s => s.Contains("DNNL")))})");
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnvironment([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPStr)] string name);

    [Fact]
    public void EnsureLoaded_ShortensTheOpenMpSpin_InTheNativeEnvironment_UnlessTheUserSetIt()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return;
        var step = Assert.Single(TorchRuntime.EnsureLoaded().Steps, s => s.Contains("GOMP_SPINCOUNT", StringComparison.Ordinal)
            || s.Contains("OMP_WAIT_POLICY", StringComparison.Ordinal));
        if (step.Contains("set by the user", StringComparison.Ordinal)) return;
        // libgomp reads getenv, not .NET's environment block: the value must be in the native environment.
        Assert.Equal("10000", System.Runtime.InteropServices.Marshal.PtrToStringAnsi(NativeGetEnvironment("GOMP_SPINCOUNT")));
        Assert.Contains("GOMP_SPINCOUNT=10000", step);
    }

    [Fact]
    public void Patch_IsMadeExactlyWhenTheSystemLibStdCppLacksAVersion()
    {
        var backend = TorchRuntime.EnsureLoaded();
        var defined = new ElfVersionPatcher(File.ReadAllBytes(SystemLibStdCpp())).DefinedVersions();
        bool systemIsNewEnough = defined.Contains("GLIBCXX_3.4.32");
        if (systemIsNewEnough)
        {
            Assert.Null(backend.PatchedLibrary);
            return;
        }
        Assert.NotNull(backend.PatchedLibrary);
        Assert.True(File.Exists(backend.PatchedLibrary));
        Assert.DoesNotContain(".nuget", backend.PatchedLibrary); // never the package cache
        var patched = new ElfVersionPatcher(File.ReadAllBytes(backend.PatchedLibrary!));
        Assert.True(patched.Requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        // Everything else is untouched.
        Assert.All(patched.Requirements.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void ElfPatcher_FindsTheGccThirteenRequirement_UnusedByRelocations()
    {
        var elf = new ElfVersionPatcher(File.ReadAllBytes(OriginalLibrary()));
        var requirement = elf.Requirements.Single(r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", requirement.File);
        Assert.False(requirement.IsWeak);
        var bound = elf.VersionsUsedByRelocations();
        Assert.DoesNotContain(requirement.Index, bound);
        // Versions that are really used (e.g. GLIBCXX_3.4) are among those the relocations bind.
        Assert.Contains(elf.Requirements.Single(r => r.Version == "GLIBCXX_3.4").Index, bound);
        Assert.True(elf.MarkWeak("GLIBCXX_3.4.32"));
        Assert.True(elf.Requirements.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.False(elf.MarkWeak("NO_SUCH_VERSION"));
    }

    [Fact]
    public void ElfPatcher_RejectsNonElfInput()
    {
        Assert.Throws<InvalidDataException>(() => new ElfVersionPatcher(new byte[128]));
        Assert.Throws<InvalidDataException>(() => new ElfVersionPatcher("\u007fELF"u8.ToArray()));
    }

    [Fact]
    public void Seed_MakesRandomTensorsReproducible()
    {
        using var scope = NewDisposeScope();
        TorchRuntime.Seed(42);
        var a = randn(5);
        TorchRuntime.Seed(42);
        var b = randn(5);
        Assert.Equal(0.0, (a - b).abs().max().ToDouble());
    }

    [Fact]
    public void Threads_CanBeSetAndRead_AndRejectZero()
    {
        int before = TorchRuntime.Threads;
        try
        {
            TorchRuntime.Threads = 1;
            Assert.Equal(1, TorchRuntime.Threads);
        }
        finally
        {
            TorchRuntime.Threads = before;
            TorchRuntime.ForgetThreadChoice();
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.Threads = 0);
    }

    [Fact]
    public void PreferThreads_AppliesATasksPreference_UntilTheUserChooses()
    {
        int before = TorchRuntime.Threads;
        try
        {
            TorchRuntime.ForgetThreadChoice();
            torch.set_num_threads(2);
            Assert.Equal(1, TorchRuntime.PreferThreads(1));                 // no choice made: the task's preference
            Assert.Null(TorchRuntime.ChosenThreads);
            TorchRuntime.Threads = 2;                                       // e.g. --threads 2
            Assert.Equal(2, TorchRuntime.PreferThreads(1));                 // the user's choice stands
            Assert.Equal(2, TorchRuntime.ChosenThreads);
            Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.PreferThreads(0));
        }
        finally
        {
            torch.set_num_threads(before);
            TorchRuntime.ForgetThreadChoice();
        }
    }
}
