using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Symmetrize;

/// <summary>Data augmentation: applies an independent uniformly random element of a finite group to
/// each example, x_i ↦ ρ(g_i) x_i.</summary>
/// <remarks>Shapes: (batch, ρ.Dim) → (batch, ρ.Dim). Randomness comes from the generator passed in, so a
/// seeded generator gives the same augmentations every run.</remarks>
public sealed class RandomGroupAction : IDisposable
{
    private readonly Tensor _matrices; // (|G|, d, d)

    /// <summary>Augmentation by the finite group of <paramref name="representation"/>.</summary>
    public RandomGroupAction(Representation representation)
    {
        ArgumentNullException.ThrowIfNull(representation);
        if (!representation.Group.IsFinite)
            throw new ArgumentException($"{representation.Group.Name} is continuous; this augmentation enumerates a finite group.", nameof(representation));
        Representation = representation;
        _matrices = GroupMatrices.Stack(representation).DetachFromDisposeScope();
    }

    /// <summary>The representation acting.</summary>
    public Representation Representation { get; }

    /// <summary>ρ(g_i) x_i with g_i uniform and independent, drawn from <paramref name="generator"/>.</summary>
    public Tensor Apply(Tensor x, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Representation.Dim)
            throw new ArgumentException($"Augmentation expects (batch, {Representation.Dim}); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var index = randint(_matrices.shape[0], new long[] { x.shape[0] }, generator: generator);
        var chosen = _matrices.index_select(0, index).to(x.dtype, x.device);
        return chosen.bmm(x.unsqueeze(2)).squeeze(2).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _matrices.Dispose();
}
