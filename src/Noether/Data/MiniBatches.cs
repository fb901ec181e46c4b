using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Mini-batches of a <see cref="LabeledSet"/> in a seeded shuffled order, a new order each epoch.</summary>
/// <remarks>
/// Epoch e visits every example exactly once, in the permutation <see cref="Order"/>(e) (Fisher–Yates
/// driven by <c>new Random(seed · 1000003 + e)</c>); the last batch is smaller when the batch size does not
/// divide the count. The set is not owned: keep it alive while iterating.
/// <para>Memory (STYLE.md §6): each batch's two tensors are made when the enumerator advances, in the
/// dispose scope current at that moment — the caller's; they are not detached. Either open one scope
/// around the loop and call <c>DisposeEverything()</c> after each batch (as TorchSharp's MNIST example
/// does), or dispose the batch's tensors yourself.</para>
/// </remarks>
/// <example><code>var batches = new MiniBatches(train, batchSize: 64, seed: 0);
/// using var scope = torch.NewDisposeScope();
/// foreach (var (x, y) in batches.Epoch(0))
/// {
///     var loss = functional.cross_entropy(model.forward(x), y);
///     // ... backward, step ...
///     scope.DisposeEverything();
/// }</code></example>
public sealed class MiniBatches
{
    /// <summary>Prepares batches of <paramref name="set"/>.</summary>
    /// <param name="set">the examples; not owned, not copied.</param>
    /// <param name="batchSize">the number of examples per batch (≥ 1).</param>
    /// <param name="seed">the seed of every epoch's order.</param>
    public MiniBatches(LabeledSet set, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Expected a batch size ≥ 1.");
        Set = set;
        BatchSize = batchSize;
        Seed = seed;
    }

    /// <summary>The examples batched.</summary>
    public LabeledSet Set { get; }

    /// <summary>The number of examples per batch (the last one may hold fewer).</summary>
    public int BatchSize { get; }

    /// <summary>The seed of every epoch's order.</summary>
    public int Seed { get; }

    /// <summary>The number of batches per epoch, ⌈count / batch size⌉.</summary>
    public int BatchesPerEpoch => (Set.Count + BatchSize - 1) / BatchSize;

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the examples: a permutation of 0..count−1.</summary>
    /// <param name="epoch">the epoch (≥ 0).</param>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Permutations.Shuffled(Set.Count, unchecked(Seed * 1_000_003 + epoch));
    }

    /// <summary>The batches of one epoch: (inputs (b, ...), labels (b,)) with b = <see cref="BatchSize"/>
    /// except possibly for the last batch, created in the caller's dispose scope.</summary>
    /// <param name="epoch">the epoch (≥ 0); each epoch has its own order.</param>
    public IEnumerable<(Tensor Inputs, Tensor Labels)> Epoch(int epoch)
    {
        var order = Order(epoch); // validates now, not at the first MoveNext
        return Batches(order);
    }

    private IEnumerable<(Tensor Inputs, Tensor Labels)> Batches(int[] order)
    {
        for (int start = 0; start < order.Length; start += BatchSize)
        {
            int n = Math.Min(BatchSize, order.Length - start);
            var indices = new long[n];
            for (int i = 0; i < n; i++) indices[i] = order[start + i];
            Tensor inputs, labels;
            using (var index = tensor(indices, ScalarType.Int64, Set.Inputs.device))
            {
                inputs = Set.Inputs.index_select(0, index);
                labels = Set.Labels.index_select(0, index);
            }
            yield return (inputs, labels);
        }
    }
}
