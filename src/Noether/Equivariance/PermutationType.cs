using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Tensors whose element axis (or axes) is permuted by π: set features (batch, n, F) and masks (batch, n),
/// graph node features (nodes, F), higher-order tensors (batch, C, n, n) of invariant graph networks.</summary>
/// <remarks>π acts by x' = x.index_select(axis, π) on every listed axis (<see cref="PermutationTransformation"/>);
/// all of them must have one length n. Symmetry: <see cref="PermutationSymmetry"/>.</remarks>
public sealed class PermutationType : ITensorType, IEquatable<PermutationType>
{
    private readonly long[] _shape;
    private readonly int[] _axes;

    /// <summary>Tensors of <paramref name="shape"/> whose <paramref name="axes"/> are permuted.</summary>
    /// <param name="shape">the non-batch axes when <paramref name="batched"/>, else every axis; −1 marks an axis of length n.</param>
    /// <param name="axes">the permuted axes of the whole tensor (batch axis included when batched; never 0 then).</param>
    /// <param name="batched">whether axis 0 is a batch axis.</param>
    /// <param name="mask">whether the tensor is a boolean mask (sampled all true).</param>
    public PermutationType(IReadOnlyList<long> shape, IReadOnlyList<int> axes, bool batched = true, bool mask = false)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(axes);
        _shape = shape.ToArray();
        _axes = axes.ToArray();
        int rank = _shape.Length + (batched ? 1 : 0);
        if (_axes.Length == 0 || _axes.Any(a => a < (batched ? 1 : 0) || a >= rank))
            throw new ArgumentException($"Permuted axes must be {(batched ? "non-batch " : "")}axes of a rank-{rank} tensor; got [{string.Join(", ", _axes)}].", nameof(axes));
        if (_axes.Any(a => _shape[a - (batched ? 1 : 0)] != -1))
            throw new ArgumentException($"Permuted axes must be free (−1) in the shape [{string.Join(", ", _shape)}].", nameof(shape));
        HasBatchAxis = batched;
        IsMask = mask;
    }

    /// <summary>Set features (batch, n, <paramref name="features"/>).</summary>
    public static PermutationType SetFeatures(int features) => new(new long[] { -1, CheckPositive(features, nameof(features)) }, new[] { 1 });

    /// <summary>A set mask (batch, n), true at real elements.</summary>
    public static PermutationType SetMask() => new(new long[] { -1 }, new[] { 1 }, mask: true);

    /// <summary>Node features of one graph or a batch of graphs (nodes, <paramref name="features"/>); no batch axis.</summary>
    public static PermutationType NodeFeatures(int features) => new(new long[] { -1, CheckPositive(features, nameof(features)) }, new[] { 0 }, batched: false);

    /// <summary>The declared axes (non-batch when batched; −1 for n).</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>The permuted axes.</summary>
    public IReadOnlyList<int> Axes => _axes;

    /// <summary>Whether the tensor is a boolean mask.</summary>
    public bool IsMask { get; }

    /// <inheritdoc />
    public Symmetry Symmetry => PermutationSymmetry.Instance;

    /// <inheritdoc />
    public bool HasBatchAxis { get; }

    /// <inheritdoc />
    public bool AllowsPointwise => true;

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (t is not PermutationTransformation p)
            throw new ArgumentException($"Permutation types need a permutation; got '{t}' ({t?.GetType().Name}).", nameof(t));
        if (_axes.Any(a => a >= x.dim()))
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", x.shape)}] has no axis {_axes.Max()}.", nameof(x));
        long n = x.shape[_axes[0]];
        if (_axes.Any(a => x.shape[a] != n))
            throw new ArgumentException($"Permuted axes must have one length; got shape [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var pi = tensor(p.Permutation(n), ScalarType.Int64, x.device);
        var result = x;
        foreach (var axis in _axes) result = result.index_select(axis, pi);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        var shape = (HasBatchAxis ? new long[] { batch } : Array.Empty<long>()).Concat(_shape.Select(n => n == -1 ? size : n)).ToArray();
        return IsMask ? ones(shape, ScalarType.Bool) : randn(shape, dtype: dtype, generator: generator);
    }

    /// <inheritdoc />
    public bool Equals(PermutationType? other) => other is not null && other._shape.SequenceEqual(_shape) && other._axes.SequenceEqual(_axes) &&
        other.HasBatchAxis == HasBatchAxis && other.IsMask == IsMask;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PermutationType p && Equals(p);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_shape.Length, _axes.Length, HasBatchAxis, IsMask);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(IsMask ? "mask" : "permuted")} [{(HasBatchAxis ? "batch, " : "")}{string.Join(", ", _shape.Select(n => n == -1 ? "n" : n.ToString(CultureInfo.InvariantCulture)))}]";

    private static long CheckPositive(int value, string name) =>
        value >= 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Expected ≥ 1.");
}
