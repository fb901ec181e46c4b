using Noether.Runtime;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>How O(3) acts on point-cloud tensors whose last axis holds <see cref="Vectors"/> Cartesian vectors
/// (x, y, z each, rotated and reflected by the 3×3 matrix g) followed by features of type <see cref="Features"/>
/// (⊕ p^k D^l, <see cref="Irreps.Matrix"/>). Every other axis (batch, points) is left alone.</summary>
/// <remarks>Examples: positions only, <c>new IrrepsAction(1, Irreps.Empty)</c>; positions, velocities and a
/// charge, <c>new IrrepsAction(2, Irreps.Parse("0e"))</c>; irreps features, <c>new IrrepsAction(0, irreps)</c>;
/// a pseudoscalar output, <c>new IrrepsAction(0, Irreps.Parse("0o"))</c>. Translations are not part of O(3)
/// and are checked separately.</remarks>
public sealed class IrrepsAction : IGroupAction, IEquatable<IrrepsAction>
{
    /// <summary>The action on <paramref name="vectors"/> Cartesian triples followed by <paramref name="features"/>.</summary>
    public IrrepsAction(int vectors, Irreps features, Groups.Group? group = null)
    {
        if (vectors < 0) throw new ArgumentOutOfRangeException(nameof(vectors), vectors, "Number of vectors must be ≥ 0.");
        Features = features ?? throw new ArgumentNullException(nameof(features));
        Vectors = vectors;
        Group = group ?? Groups.Group.O3;
        if (Group is not (O3Group or SO3Group)) throw new ArgumentException($"Irreps actions are of O3 or SO3; got {Group.Name}.", nameof(group));
        if (Dim == 0) throw new ArgumentException("The action needs at least one vector or feature.", nameof(features));
    }

    /// <summary>The action on features only.</summary>
    public IrrepsAction(Irreps features) : this(0, features) { }

    /// <summary>Cartesian vectors at the start of the last axis.</summary>
    public int Vectors { get; }

    /// <summary>Irreps features after the vectors.</summary>
    public Irreps Features { get; }

    /// <summary>Size of the last axis.</summary>
    public int Dim => 3 * Vectors + Features.Dim;

    /// <inheritdoc />
    public Groups.Group Group { get; }

    /// <summary>The Dim × Dim matrix of g on the last axis, float64.</summary>
    public Tensor Matrix(GroupElement g)
    {
        Group.CheckMember(g, nameof(g));
        var o = (OrthogonalElement)g;
        using var scope = NewDisposeScope();
        var blocks = Enumerable.Repeat(0, Vectors).Select(_ => torch.tensor(o.Matrix.ToArray(), dtype: ScalarType.Float64)).ToList();
        if (Features.Dim > 0) blocks.Add(Features.MatrixTensor(g));
        return torch.block_diag(blocks.ToArray()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() < 1 || x.shape[^1] != Dim)
            throw new ArgumentException($"The last axis must have size {Dim} ({Vectors} vectors + '{Features}'); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var m = Matrix(g).to(x.dtype, x.device);
        return x.MatMulChecked(m.t()).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the tensors have a points axis, (batch, points, <see cref="Dim"/>), rather than (batch, <see cref="Dim"/>):
    /// only the shape of <see cref="Sample"/> depends on it (the action is on the last axis either way).</summary>
    public bool PerPoint { get; init; }

    /// <summary>A standard normal batch (batch, <see cref="Dim"/>), or (batch, size, <see cref="Dim"/>) with <see cref="PerPoint"/>.</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator) =>
        randn(PerPoint ? new long[] { batch, size, Dim } : new long[] { batch, Dim }, dtype: dtype, generator: generator);

    /// <summary>True for scalars only (no vectors, every irrep 0e): then O(3) acts trivially and pointwise functions commute.</summary>
    public bool AllowsPointwise => Vectors == 0 && Features.Terms.All(m => m.Irrep.Degree == 0 && m.Irrep.Parity == 1);

    /// <inheritdoc />
    public bool Equals(IrrepsAction? other) => other is not null && other.Vectors == Vectors && other.Features.Equals(Features) && other.Group.Equals(Group);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IrrepsAction a && Equals(a);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Vectors, Features, Group);

    /// <inheritdoc />
    public override string ToString() => Features.Dim == 0 ? $"{Vectors} vector(s)" : Vectors == 0 ? $"'{Features}'" : $"{Vectors} vector(s) + '{Features}'";
}
