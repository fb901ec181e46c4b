using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>A data set of padded sets with regression targets: features (count, maxSize, features), mask
/// (count, maxSize) bool with real elements first, targets (count, targets). Owns its tensors.</summary>
public sealed class SetExamples : IDisposable
{
    /// <summary>Wraps the tensors (detached from any dispose scope: the set owns them).</summary>
    public SetExamples(Tensor features, Tensor mask, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.dim() != 3 || mask.dim() != 2 || targets.dim() != 2 || mask.shape[0] != features.shape[0] ||
            mask.shape[1] != features.shape[1] || targets.shape[0] != features.shape[0])
            throw new ArgumentException(
                $"Expected features (n, size, f), mask (n, size), targets (n, t); got [{string.Join(", ", features.shape)}], [{string.Join(", ", mask.shape)}], [{string.Join(", ", targets.shape)}].");
        Features = features.DetachFromDisposeScope();
        Mask = mask.DetachFromDisposeScope();
        Targets = targets.DetachFromDisposeScope();
    }

    /// <summary>(count, maxSize, features).</summary>
    public Tensor Features { get; }

    /// <summary>(count, maxSize), true at real elements (which come first).</summary>
    public Tensor Mask { get; }

    /// <summary>(count, targets).</summary>
    public Tensor Targets { get; }

    /// <summary>The number of sets.</summary>
    public int Count => (int)Features.shape[0];

    /// <summary>Sets at <paramref name="index"/> (int64), trimmed to their largest size; in the caller's scope.</summary>
    public (Tensor Features, Tensor Mask, Tensor Targets) Batch(Tensor index)
    {
        var mask = Mask.index_select(0, index);
        long size = Math.Max(1, mask.sum(1, type: ScalarType.Int64).max().ToInt64Checked());
        return (Features.index_select(0, index).narrow(1, 0, size), mask.narrow(1, 0, size), Targets.index_select(0, index));
    }

    /// <summary>Builds a set of examples from per-set element rows (each float[size][features]) and targets.</summary>
    public static SetExamples FromArrays(IReadOnlyList<float[][]> sets, IReadOnlyList<float[]> targets, int features)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(targets);
        int max = Math.Max(1, sets.Max(s => s.Length));
        var x = new float[sets.Count * max * features];
        var m = new bool[sets.Count * max];
        for (int i = 0; i < sets.Count; i++)
            for (int j = 0; j < sets[i].Length; j++)
            {
                m[i * max + j] = true;
                Array.Copy(sets[i][j], 0, x, (i * max + j) * features, features);
            }
        int t = targets[0].Length;
        var y = targets.SelectMany(v => v).ToArray();
        using var scope = NewDisposeScope();
        return new SetExamples(tensor(x).reshape(sets.Count, max, features), tensor(m).reshape(sets.Count, max), tensor(y).reshape(sets.Count, t));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Features.Dispose();
        Mask.Dispose();
        Targets.Dispose();
    }
}
