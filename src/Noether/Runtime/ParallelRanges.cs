namespace Noether.Runtime;

/// <summary>How Noether's own CPU kernels (the spherical-harmonics kernel, the fused EGNN layer) split their work over
/// threads: [0, count) in at most <c>parts</c> contiguous, near-equal ranges, one per task of the .NET thread pool.</summary>
internal static class ParallelRanges
{
    /// <summary>Runs <paramref name="body"/>(range index, start, end) for each range; inline when there is one.</summary>
    public static void For(long count, int parts, Action<int, long, long> body)
    {
        if (count <= 0) return;
        parts = (int)Math.Clamp(parts, 1, count);
        if (parts == 1)
        {
            body(0, 0, count);
            return;
        }
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            k => body(k, count * k / parts, count * (k + 1) / parts));
    }
}
