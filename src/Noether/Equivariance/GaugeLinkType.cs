using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Lattice gauge links (batch, d, L_1..L_d, N, N), complex: U_μ(x) → Ω(x) U_μ(x) Ω(x+μ̂)†
/// (<see cref="GaugeTransformation.ApplyToLinks"/>).</summary>
/// <remarks>Symmetry: <see cref="GaugeSymmetry"/>; Ω comes from a <see cref="GaugeFieldTransformation"/>, so links and
/// adjoint features of one check see the same field. Samples are Haar-random links (a hot start).</remarks>
public sealed class GaugeLinkType : ITensorType, IEquatable<GaugeLinkType>
{
    /// <summary>Links of <paramref name="group"/> on a <paramref name="dimensions"/>-dimensional lattice.</summary>
    public GaugeLinkType(GaugeGroup group, int dimensions)
    {
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Expected ≥ 1 lattice dimension.");
        Symmetry = new GaugeSymmetry(group);
        Group = group;
        Dimensions = dimensions;
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>d, the lattice dimension.</summary>
    public int Dimensions { get; }

    /// <inheritdoc />
    public Symmetry Symmetry { get; }

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var omega = OmegaFor(t, x, x.shape.Skip(2).Take(Dimensions), Group);
        return GaugeTransformation.ApplyToLinks(omega, x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator) =>
        GaugeLinks.RandomElements(Group, new long[] { batch, Dimensions }.Concat(Enumerable.Repeat((long)size, Dimensions)).ToArray(), generator, ComplexOf(dtype));

    /// <summary>The complex dtype of a real one (float64 → complex128, else complex64); complex dtypes are kept.</summary>
    public static ScalarType ComplexOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.ComplexFloat64 => ScalarType.ComplexFloat64,
        _ => ScalarType.ComplexFloat32,
    };

    /// <summary>Ω for the lattice of <paramref name="x"/> (batch, L..) in x's dtype and device.</summary>
    internal static Tensor OmegaFor(Transformation t, Tensor x, IEnumerable<long> extents, GaugeGroup group)
    {
        if (t is not GaugeFieldTransformation g || g.Group != group)
            throw new ArgumentException($"{group.Name()} gauge types need a {group.Name()} gauge field; got '{t}' ({t?.GetType().Name}).", nameof(t));
        return g.Omega(new[] { x.shape[0] }.Concat(extents).ToArray(), ComplexOf(x.dtype), x.device);
    }

    /// <inheritdoc />
    public bool Equals(GaugeLinkType? other) => other is not null && other.Group == Group && other.Dimensions == Dimensions;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GaugeLinkType l && Equals(l);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Group, Dimensions);
    /// <inheritdoc />
    public override string ToString() => $"{Group.Name()} links, d={Dimensions}";
}
