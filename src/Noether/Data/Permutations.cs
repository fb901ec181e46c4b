using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Seeded permutations and subsets of labelled sets, shared by the split, subset and mini-batch helpers.</summary>
internal static class Permutations
{
    /// <summary>A uniformly random permutation of 0..count−1: Fisher–Yates driven by <c>new Random(seed)</c>
    /// (deterministic across runs and platforms).</summary>
    internal static int[] Shuffled(int count, int seed)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var random = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>A new set holding the examples of <paramref name="set"/> at <paramref name="indices"/>, in that order.</summary>
    internal static LabeledSet Select(LabeledSet set, ReadOnlySpan<int> indices)
    {
        using var scope = NewDisposeScope();
        var index = tensor(Array.ConvertAll(indices.ToArray(), i => (long)i), ScalarType.Int64, set.Inputs.device);
        return new LabeledSet(set.Inputs.index_select(0, index), set.Labels.index_select(0, index));
    }
}
