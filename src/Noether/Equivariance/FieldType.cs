using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>How the channels of a feature map transform: a list of representations (fields) of a
/// gspace's group, stacked along the channel axis. A field of dimension d occupies d consecutive channels.</summary>
/// <remarks>Reference: escnn's <c>FieldType</c>. Immutable; <c>a + b</c> concatenates. As an
/// <see cref="IGroupAction"/> (the declared type of image modules) it acts on (batch, <see cref="Size"/>, H, W)
/// by (g·f)(x) = ρ(g) f(g⁻¹x) (<see cref="GeometricTensor.Apply"/>); rotations by multiples of 90° and flips are
/// exact on the pixel grid (<see cref="IsExact"/>), other angles hold up to interpolation.</remarks>
public sealed class FieldType : IEquatable<FieldType>, IGroupAction
{
    private readonly Lazy<Representation> _representation;

    /// <summary>The field type with the given fields.</summary>
    public FieldType(GSpace space, IEnumerable<Representation> representations)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
        ArgumentNullException.ThrowIfNull(representations);
        Representations = representations.ToArray();
        if (Representations.Count == 0) throw new ArgumentException("A field type needs at least one field.", nameof(representations));
        foreach (var r in Representations)
            if (!r.Group.Equals(space.Group))
                throw new ArgumentException($"Field '{r.Name}' is a representation of {r.Group.Name}, but the space is {space.Name}.", nameof(representations));
        Size = Representations.Sum(r => r.Dim);
        _representation = new Lazy<Representation>(() => Representations.Count == 1
            ? Representations[0]
            : Representation.DirectSum(Representations, Description));
    }

    /// <summary><paramref name="count"/> copies of <paramref name="representation"/>.</summary>
    public static FieldType Repeat(GSpace space, Representation representation, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A field type needs at least one field.");
        return new FieldType(space, Enumerable.Repeat(representation, count));
    }

    /// <summary>The gspace.</summary>
    public GSpace Space { get; }

    /// <summary>The fields, in channel order.</summary>
    public IReadOnlyList<Representation> Representations { get; }

    /// <summary>The number of channels.</summary>
    public int Size { get; }

    /// <summary>The direct sum of the fields: how g mixes all channels at one point.</summary>
    public Representation Representation => _representation.Value;

    /// <summary>The block-diagonal matrix ρ(g) acting on the channels.</summary>
    public Matrix<double> Matrix(Groups.GroupElement g) => Representation.Matrix(g);

    /// <summary>A short description such as <c>"8×regular"</c> or <c>"2×A ⊕ 3×E1"</c>.</summary>
    public string Description =>
        string.Join(" ⊕ ", Runs().Select(r => r.Count == 1 ? r.Name : $"{r.Count}×{r.Name}"));

    /// <summary>Concatenates two field types of the same gspace.</summary>
    public static FieldType operator +(FieldType a, FieldType b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Space.Equals(b.Space)) throw new ArgumentException($"Cannot concatenate field types of {a.Space.Name} and {b.Space.Name}.");
        return new FieldType(a.Space, a.Representations.Concat(b.Representations));
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="other"/> is the same field type.</summary>
    public void CheckSame(FieldType other, string what)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other.Space.Equals(Space))
            throw new ArgumentException($"{what}: expected a field of {Space.Name}, got one of {other.Space.Name}.");
        if (!Equals(other))
            throw new ArgumentException($"{what}: expected field type [{Description}] ({Size} channels), got [{other.Description}] ({other.Size} channels).");
    }

    /// <summary>The acting group, <c>Space.Group</c>.</summary>
    public Groups.Group Group => Space.Group;

    /// <summary>(g·f)(x) = ρ(g) f(g⁻¹x) on a batch (batch, <see cref="Size"/>, H, W); needs a 2D gspace.</summary>
    public Tensor Apply(GroupElement g, Tensor x) => GeometricTensor.Apply(this, g, x);

    /// <summary>A standard normal batch (batch, <see cref="Size"/>, size, size).</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator) =>
        randn(new long[] { batch, Size, size, size }, dtype: dtype, generator: generator);

    /// <summary>True when every field is a permutation representation (trivial, regular, quotient), so a pointwise
    /// nonlinearity commutes with the action.</summary>
    public bool AllowsPointwise => Representations.All(PermutationRepresentations.Is);

    /// <summary>True for the elements that permute the pixels of a square grid exactly (multiples of 90°, flips).</summary>
    public bool IsExact(Transformation t) =>
        t is GroupTransformation g && Space is GSpace2D space && g.Element.Group.Equals(Group) && GridResampling.IsExact(space.Action(g.Element), 9, 9);

    private IEnumerable<(string Name, int Count)> Runs()
    {
        string? current = null;
        int count = 0;
        foreach (var r in Representations)
        {
            if (r.Name == current) { count++; continue; }
            if (current is not null) yield return (current, count);
            current = r.Name;
            count = 1;
        }
        if (current is not null) yield return (current, count);
    }

    /// <inheritdoc />
    public bool Equals(FieldType? other) =>
        other is not null && other.Space.Equals(Space) && other.Representations.Count == Representations.Count &&
        other.Representations.Zip(Representations).All(p => ReferenceEquals(p.First, p.Second) || (p.First.Name == p.Second.Name && p.First.Dim == p.Second.Dim));
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FieldType f && Equals(f);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Space, Size, Representations.Count);
    /// <inheritdoc />
    public override string ToString() => $"[{Space.Name}: {Description}]";
}
