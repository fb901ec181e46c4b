using System.Runtime.CompilerServices;
using Noether.Runtime;

namespace Noether.Tests;

internal static class TestSetup
{
    /// <summary>Every test may touch TorchSharp; load its native backend (patched where needed) first.</summary>
    [ModuleInitializer]
    internal static void LoadTorch() => TorchRuntime.EnsureLoaded();
}
