using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Tensors on which a symmetry acts trivially (τ·x = x): the output of an invariant model or an input that
/// does not move (edge attributes of a point cloud, a set's pooled features).</summary>
/// <remarks>For a group, <see cref="TrivialAction"/> is the same thing as an <see cref="IGroupAction"/>; this type
/// covers any <see cref="Equivariance.Symmetry"/> (permutations, gauge). Shape: (batch, <see cref="Shape"/>…), −1 for a free axis.</remarks>
public sealed class InvariantType : ITensorType, IEquatable<InvariantType>
{
    private readonly long[] _shape;

    /// <summary>Invariant tensors of <paramref name="symmetry"/> with non-batch axes <paramref name="shape"/>.</summary>
    public InvariantType(Symmetry symmetry, params long[] shape)
    {
        Symmetry = symmetry ?? throw new ArgumentNullException(nameof(symmetry));
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(n => n < 1 && n != -1))
            throw new ArgumentException($"Axis lengths must be ≥ 1 or −1 (free); got [{string.Join(", ", shape)}].", nameof(shape));
        _shape = shape.ToArray();
    }

    /// <summary>Whether the sampled tensors are complex (invariants of gauge fields such as traced loops may be).</summary>
    public bool IsComplex { get; init; }

    /// <inheritdoc />
    public Symmetry Symmetry { get; }

    /// <summary>The non-batch axes (−1 free).</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <inheritdoc />
    public bool AllowsPointwise => true;

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(x);
        return x.alias();
    }

    /// <inheritdoc />
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        var shape = new long[] { batch }.Concat(_shape.Select(n => n == -1 ? size : n)).ToArray();
        return randn(shape, dtype: IsComplex ? GaugeLinkType.ComplexOf(dtype) : dtype, generator: generator);
    }

    /// <inheritdoc />
    public bool Equals(InvariantType? other) => other is not null && other.Symmetry.Equals(Symmetry) && other._shape.SequenceEqual(_shape);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is InvariantType i && Equals(i);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Symmetry, _shape.Length);
    /// <inheritdoc />
    public override string ToString() =>
        $"invariant of {Symmetry.Name} [{string.Join(", ", _shape.Select(n => n == -1 ? "n" : n.ToString(CultureInfo.InvariantCulture)))}]";
}
