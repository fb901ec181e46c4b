namespace Noether.Tests;

/// <summary>Tests that read global TorchSharp counters (leak tests) run alone.</summary>
[CollectionDefinition("NoParallel", DisableParallelization = true)]
public sealed class NoParallelCollection
{
}
