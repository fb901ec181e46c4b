using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>A real orthogonal representation ρ: G → O(d) of a group, with its decomposition into
/// irreducible representations ρ(g) = Q · (⊕ᵢ ψᵢ(g)) · Qᵀ.</summary>
/// <remarks>
/// Built from irreps (direct sums, tensor products, restrictions keep the decomposition they know), or
/// from a matrix function, in which case the decomposition is computed on first use: by characters and
/// group averaging for finite groups, by the nullspace of the intertwining constraints on the group's
/// generators for continuous ones (this needs <see cref="BandLimit"/>). Everything is float64.
/// Reference: escnn <c>Representation</c> (irreps + change of basis).
/// </remarks>
public class Representation
{
    private readonly Func<GroupElement, Matrix<double>> _matrix;
    private readonly Lazy<RepresentationDecomposition> _decomposition;

    /// <summary>Creates a representation from its matrices; <paramref name="decomposition"/> may be null
    /// to compute it on demand.</summary>
    protected Representation(Group group, string name, int dim, Func<GroupElement, Matrix<double>> matrix,
        Func<RepresentationDecomposition>? decomposition, int? bandLimit)
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (dim <= 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "A representation needs a positive dimension.");
        Name = name;
        Dim = dim;
        BandLimit = bandLimit;
        _matrix = matrix ?? throw new ArgumentNullException(nameof(matrix));
        _decomposition = new Lazy<RepresentationDecomposition>(
            decomposition ?? (() => Decomposer.Decompose(this)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The group represented.</summary>
    public Group Group { get; }

    /// <summary>A readable name, e.g. <c>"regular"</c>, <c>"E1⊗E2"</c>.</summary>
    public string Name { get; }

    /// <summary>The dimension d of the space acted on.</summary>
    public int Dim { get; }

    /// <summary>For continuous groups: the highest <see cref="Irrep.BandLevel"/> this representation can
    /// contain (null when unknown or irrelevant).</summary>
    public int? BandLimit { get; }

    /// <summary>The orthogonal matrix ρ(g), of size <see cref="Dim"/>×<see cref="Dim"/> (a fresh copy).</summary>
    public Matrix<double> Matrix(GroupElement g)
    {
        Group.CheckMember(g, nameof(g));
        var m = _matrix(g);
        if (m.RowCount != Dim || m.ColumnCount != Dim)
            throw new InvalidOperationException($"Representation '{Name}' produced a {m.RowCount}x{m.ColumnCount} matrix; expected {Dim}x{Dim}.");
        return m;
    }

    /// <summary>ρ(g), as <see cref="Matrix"/>.</summary>
    public Matrix<double> this[GroupElement g] => Matrix(g);

    /// <summary>The character χ(g) = tr ρ(g).</summary>
    public double Character(GroupElement g) => Matrix(g).Trace();

    /// <summary>The decomposition into irreps with its orthogonal change of basis.</summary>
    public RepresentationDecomposition Decomposition => _decomposition.Value;

    /// <summary>The irreps ψᵢ of the decomposition, in block order.</summary>
    public IReadOnlyList<Irrep> Irreps => Decomposition.Irreps;

    /// <summary>The orthogonal change of basis Q with ρ(g) = Q (⊕ᵢ ψᵢ(g)) Qᵀ.</summary>
    public Matrix<double> ChangeOfBasis => Decomposition.ChangeOfBasis;

    /// <summary>How many times <paramref name="irrep"/> occurs in this representation.</summary>
    public int Multiplicity(Irrep irrep) => Irreps.Count(i => i.Equals(irrep));

    /// <summary>True when every element acts as the identity.</summary>
    public bool IsTrivial => Irreps.All(i => i.IsTrivial);

    /// <summary>The direct sum ρ ⊕ σ ⊕ … (block-diagonal matrices).</summary>
    public static Representation DirectSum(params Representation[] parts) => DirectSum((IReadOnlyList<Representation>)parts);

    /// <summary>The direct sum of <paramref name="parts"/>, all of one group.</summary>
    public static Representation DirectSum(IReadOnlyList<Representation> parts, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("A direct sum needs at least one representation.", nameof(parts));
        var group = parts[0].Group;
        foreach (var p in parts)
            if (!p.Group.Equals(group))
                throw new ArgumentException($"Cannot add representations of different groups ({group.Name} and {p.Group.Name}).", nameof(parts));
        int dim = parts.Sum(p => p.Dim);
        int? band = parts.Any(p => p.BandLimit is null) ? null : parts.Max(p => p.BandLimit);
        return new Representation(group, name ?? string.Join("⊕", parts.Select(p => p.Name)), dim,
            g => LinearAlgebra.BlockDiagonal(parts.Select(p => p.Matrix(g))),
            () =>
            {
                var irreps = parts.SelectMany(p => p.Irreps).ToArray();
                var q = LinearAlgebra.BlockDiagonal(parts.Select(p => p.ChangeOfBasis));
                return new RepresentationDecomposition(irreps, q);
            }, band);
    }

    /// <summary>ρ ⊕ σ.</summary>
    public static Representation operator +(Representation a, Representation b) => DirectSum(a, b);

    /// <summary>ρ ⊕ … ⊕ ρ (<paramref name="copies"/> times).</summary>
    public static Representation operator *(int copies, Representation a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (copies <= 0) throw new ArgumentOutOfRangeException(nameof(copies), copies, "Multiplicity must be positive.");
        return copies == 1 ? a : DirectSum(Enumerable.Repeat(a, copies).ToArray(), $"{copies}{a.Name}");
    }

    /// <summary>The tensor product ρ ⊗ σ (Kronecker product; index of eᵢ⊗eⱼ is i·dim σ + j), with its
    /// decomposition into irreps assembled from the decompositions of products of irreps.</summary>
    public Representation TensorProduct(Representation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other.Group.Equals(Group))
            throw new ArgumentException($"Cannot multiply representations of different groups ({Group.Name} and {other.Group.Name}).", nameof(other));
        int? band = BandLimit is int a && other.BandLimit is int b ? a + b : null;
        return new Representation(Group, $"{Name}⊗{other.Name}", Dim * other.Dim,
            g => Matrix(g).KroneckerProduct(other.Matrix(g)),
            () => TensorProducts.Decompose(this, other), band);
    }

    /// <summary>ρ ⊗ σ.</summary>
    public static Representation operator *(Representation a, Representation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a.TensorProduct(b);
    }

    /// <summary>The restriction h ↦ ρ(ι(h)) to a subgroup, decomposed into the subgroup's irreps.</summary>
    public Representation Restrict(SubgroupEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (!embedding.Parent.Equals(Group))
            throw new ArgumentException($"The embedding {embedding.Name} is into {embedding.Parent.Name}, not {Group.Name}.", nameof(embedding));
        return new Representation(embedding.Subgroup, $"Res({Name})", Dim,
            h => Matrix(embedding.Map(h)),
            () => Restrictions.Decompose(this, embedding), BandLimit);
    }

    /// <summary>The restriction to the subgroup named <paramref name="subgroupName"/> (see <see cref="Group.Subgroups"/>).</summary>
    public Representation Restrict(string subgroupName) => Restrict(Group.Subgroup(subgroupName));

    /// <summary>A representation given by its matrices; its decomposition is computed on first use.</summary>
    /// <param name="group">the group.</param>
    /// <param name="name">a readable name.</param>
    /// <param name="dim">the dimension.</param>
    /// <param name="matrix">g ↦ ρ(g), orthogonal, a homomorphism.</param>
    /// <param name="bandLimit">for continuous groups, the highest irrep level it may contain.</param>
    public static Representation FromMatrices(Group group, string name, int dim, Func<GroupElement, Matrix<double>> matrix, int? bandLimit = null) =>
        new(group, name, dim, matrix, null, bandLimit);

    /// <summary>The representation Q (⊕ᵢ irreps[i]) Qᵀ; Q defaults to the identity and must be orthogonal.</summary>
    public static Representation FromIrreps(IReadOnlyList<Irrep> irreps, Matrix<double>? changeOfBasis = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(irreps);
        if (irreps.Count == 0) throw new ArgumentException("At least one irrep is needed.", nameof(irreps));
        var group = irreps[0].Group;
        if (irreps.Any(i => !i.Group.Equals(group))) throw new ArgumentException("All irreps must belong to one group.", nameof(irreps));
        int dim = irreps.Sum(i => i.Dim);
        var q = changeOfBasis ?? Matrix<double>.Build.DenseIdentity(dim);
        if (q.RowCount != dim || q.ColumnCount != dim)
            throw new ArgumentException($"Change of basis is {q.RowCount}x{q.ColumnCount}; the irreps need {dim}x{dim}.", nameof(changeOfBasis));
        if (LinearAlgebra.OrthogonalityError(q) > 1e-8)
            throw new ArgumentException("The change of basis must be orthogonal (QᵀQ = I).", nameof(changeOfBasis));
        var decomposition = new RepresentationDecomposition(irreps.ToArray(), q.Clone());
        bool identity = changeOfBasis is null;
        return new Representation(group, name ?? string.Join("⊕", irreps.Select(i => i.Name)), dim,
            g =>
            {
                var block = LinearAlgebra.BlockDiagonal(irreps.Select(i => i.Matrix(g)));
                return identity ? block : decomposition.ChangeOfBasis * block * decomposition.ChangeOfBasis.Transpose();
            },
            () => decomposition, irreps.Max(i => i.BandLevel));
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} of {Group.Name} (dim {Dim})";
}
