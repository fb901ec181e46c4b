using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>O(3), the rotations and reflections of space: SO(3) × {I, −I}.</summary>
/// <remarks>
/// Elements are orthogonal 3×3 matrices. Real irreps carry a degree l and a parity p (e3nn's notation):
/// <c>"0e"</c>, <c>"0o"</c>, <c>"1e"</c>, <c>"1o"</c>, …, acting as D^{l,p}(g) = p^{k} D^l(R) for g = (−I)^k R with R a
/// rotation; index 2l for even, 2l+1 for odd parity. Vectors transform as <c>"1o"</c>, pseudovectors (axial,
/// e.g. angular momentum) as <c>"1e"</c>, pseudoscalars as <c>"0o"</c>. Products: (l₁,p₁)⊗(l₂,p₂) = ⊕_L (L, p₁p₂),
/// with the real Clebsch–Gordan coefficients. Haar samples: a uniform rotation times ±I.
/// Subgroups: SO(3), the full octahedral and full icosahedral groups and their chiral halves.
/// </remarks>
public sealed class O3Group : Group
{
    private readonly ConcurrentDictionary<int, Irrep> _irreps = new();
    private readonly OrthogonalElement _identity;

    internal O3Group() => _identity = new OrthogonalElement(this, Matrix<double>.Build.DenseIdentity(3));

    /// <inheritdoc />
    public override string Name => "O3";
    /// <inheritdoc />
    public override int? Order => null;
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override int DefaultBandLimit => 3;
    /// <inheritdoc />
    public override int? ActionDimension => 3;

    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => SO3.Generators
        .Select(g => (GroupElement)new OrthogonalElement(this, ((OrthogonalElement)g).Matrix))
        .Append(Inversion).ToArray();

    /// <summary>The inversion −I (parity).</summary>
    public OrthogonalElement Inversion => new(this, -Matrix<double>.Build.DenseIdentity(3));

    /// <summary>The element for an orthogonal matrix (det ±1, to 1e-6).</summary>
    public OrthogonalElement Element(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var det = matrix.RowCount == 3 && matrix.ColumnCount == 3 ? matrix.Determinant() : 0;
        Rotations3D.ValidateRotation(det < 0 ? -matrix : matrix, nameof(matrix));
        return new OrthogonalElement(this, matrix.Clone());
    }

    /// <summary>The irrep of degree <paramref name="l"/> and parity <paramref name="parity"/> (+1 even, −1 odd).</summary>
    public Irrep Irrep(int l, int parity)
    {
        if (parity is not (1 or -1)) throw new ArgumentOutOfRangeException(nameof(parity), parity, "Parity must be +1 (even) or −1 (odd).");
        if (l < 0) throw new ArgumentOutOfRangeException(nameof(l), l, "Degree must be non-negative.");
        return Irrep(2 * l + (parity > 0 ? 0 : 1));
    }

    /// <summary>SO(3) ⊂ O(3).</summary>
    public SubgroupEmbedding SO3Subgroup => new("SO3 ⊂ O3", SO3, this, h => new OrthogonalElement(this, ((OrthogonalElement)h).Matrix));

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups => new[]
    {
        SO3Subgroup,
        PointSubgroup(FullOctahedral), PointSubgroup(FullIcosahedral), PointSubgroup(Octahedral), PointSubgroup(Icosahedral),
    };

    private SubgroupEmbedding PointSubgroup(PointGroup group) =>
        new($"{group.Name} ⊂ O3", group, this, h => new OrthogonalElement(this, ((PointGroupElement)h).Matrix));

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit)
    {
        CheckBand(bandLimit, nameof(bandLimit));
        return Enumerable.Range(0, 2 * bandLimit + 2).Select(i => Irrep(i)).ToArray();
    }

    /// <inheritdoc />
    public override Irrep Irrep(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "O3 irrep indices are ≥ 0 (2l: even, 2l+1: odd).");
        if (index >= 0) CheckBand(index / 2, nameof(index));
        return _irreps.GetOrAdd(index, i =>
        {
            int l = i / 2;
            int parity = i % 2 == 0 ? 1 : -1;
            return new Irrep(this, i, $"{l}{(parity > 0 ? 'e' : 'o')}", 2 * l + 1, IrrepType.Real, l, g =>
            {
                var m = ((OrthogonalElement)g).MatrixView;
                bool improper = m.Determinant() < 0;
                var d = l == 0 ? LinearAlgebra.Scalar(1) : WignerD.Real(l, improper ? -m : m);
                return improper && parity < 0 ? -d : d;
            });
        });
    }

    /// <inheritdoc />
    public override Irrep Irrep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length >= 2 && name[^1] is 'e' or 'o' &&
            int.TryParse(name.AsSpan(0, name.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l))
            return Irrep(l, name[^1] == 'e' ? 1 : -1);
        throw new ArgumentException($"O3 irreps are named <l>e or <l>o (e.g. 0e, 1o); got '{name}'.", nameof(name));
    }

    /// <inheritdoc />
    protected override RepresentationDecomposition DecomposeIrrepProductCore(Irrep a, Irrep b)
    {
        int parity = (a.Index % 2 == 0 ? 1 : -1) * (b.Index % 2 == 0 ? 1 : -1);
        int l1 = a.BandLevel, l2 = b.BandLevel;
        return new(Enumerable.Range(Math.Abs(l1 - l2), 2 * Math.Min(l1, l2) + 1).Select(l => Irrep(l, parity)).ToArray(),
            ClebschGordan.TensorProductChangeOfBasis(l1, l2));
    }

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        new OrthogonalElement(this, ((OrthogonalElement)a).MatrixView * ((OrthogonalElement)b).MatrixView);
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => new OrthogonalElement(this, ((OrthogonalElement)g).MatrixView.Transpose());
    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance) =>
        LinearAlgebra.MaxAbsDifference(((OrthogonalElement)a).MatrixView, ((OrthogonalElement)b).MatrixView) <= tolerance;

    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random)
    {
        var r = Rotations3D.Random(random);
        return new OrthogonalElement(this, random.Next(2) == 0 ? r : -r);
    }

    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) => ((OrthogonalElement)g).Matrix;
}
