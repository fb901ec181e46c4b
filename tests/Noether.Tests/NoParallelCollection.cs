namespace Noether.Tests;

/// <summary>Tests that read thread-wide counters (dispose-scope statistics) run alone, one after another.</summary>
[CollectionDefinition("NoParallel", DisableParallelization = true)]
public class NoParallelCollection
{
}
