using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Adjoint site fields (batch, C, L_1..L_d, N, N), complex: W(x) → Ω(x) W(x) Ω(x)†
/// (<see cref="GaugeTransformation.ApplyToAdjoint"/>), the features of a lattice gauge-equivariant network.</summary>
/// <remarks>Symmetry: <see cref="GaugeSymmetry"/>. Samples are complex standard normal matrices.</remarks>
public sealed class AdjointFieldType : ITensorType, IEquatable<AdjointFieldType>
{
    /// <summary><paramref name="channels"/> adjoint fields of <paramref name="group"/> on a <paramref name="dimensions"/>-dimensional lattice.</summary>
    public AdjointFieldType(GaugeGroup group, int dimensions, int channels)
    {
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Expected ≥ 1 lattice dimension.");
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Expected ≥ 1 channel.");
        Symmetry = new GaugeSymmetry(group);
        Group = group;
        Dimensions = dimensions;
        Channels = channels;
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>d, the lattice dimension.</summary>
    public int Dimensions { get; }

    /// <summary>C, the number of fields.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public Symmetry Symmetry { get; }

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var omega = GaugeLinkType.OmegaFor(t, x, x.shape.Skip(2).Take(Dimensions), Group);
        return GaugeTransformation.ApplyToAdjoint(omega, x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        int n = Group == GaugeGroup.U1 ? 1 : 2;
        var shape = new long[] { batch, Channels }.Concat(Enumerable.Repeat((long)size, Dimensions)).Concat(new long[] { n, n }).ToArray();
        return randn(shape, dtype: GaugeLinkType.ComplexOf(dtype), generator: generator);
    }

    /// <inheritdoc />
    public bool Equals(AdjointFieldType? other) => other is not null && other.Group == Group && other.Dimensions == Dimensions && other.Channels == Channels;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AdjointFieldType a && Equals(a);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Group, Dimensions, Channels);
    /// <inheritdoc />
    public override string ToString() => $"{Channels}× {Group.Name()} adjoint, d={Dimensions}";
}
