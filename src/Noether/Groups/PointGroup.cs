using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>A finite group of 3D orthogonal matrices: the chiral octahedral group O (24 rotations of a
/// cube), the full octahedral group O_h = O × {±I} (48), the chiral icosahedral group I (60) and the
/// full icosahedral group I_h = I × {±I} (120).</summary>
/// <remarks>
/// Irreps are found numerically (exact to rounding) from the regular representation and carry
/// Mulliken names: O: A1, A2, E, T1, T2; I: A, T1, T2, G, H; T1 is the one whose character is the trace
/// of the rotation (the action on ℝ³). The full groups add g (even under −I) and u (odd) versions,
/// g first; the action on ℝ³ is T1u. Subgroups: O ⊂ O_h, I ⊂ I_h, and each group ⊂ SO(3) or O(3).
/// </remarks>
public sealed class PointGroup : FiniteGroup
{
    private readonly PointGroupElement[] _elements;
    private readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);
    private readonly Lazy<Irrep[]> _irreps;
    private readonly IReadOnlyList<Matrix<double>> _generators;

    /// <summary>Which point group.</summary>
    public enum Kind
    {
        /// <summary>The 24 rotations of a cube.</summary>
        Octahedral,
        /// <summary>Rotations and improper elements of a cube (48).</summary>
        FullOctahedral,
        /// <summary>The 60 rotations of an icosahedron.</summary>
        Icosahedral,
        /// <summary>Rotations and improper elements of an icosahedron (120).</summary>
        FullIcosahedral,
    }

    internal PointGroup(Kind kind)
    {
        GroupKind = kind;
        bool octahedral = kind is Kind.Octahedral or Kind.FullOctahedral;
        bool full = kind is Kind.FullOctahedral or Kind.FullIcosahedral;
        var rotations = octahedral ? PointGroupRotations.Octahedral : PointGroupRotations.Icosahedral;
        var matrices = full ? rotations.Concat(rotations.Select(r => -r)).ToList() : rotations.ToList();
        _elements = matrices.Select((m, i) => new PointGroupElement(this, i, m.Clone())).ToArray();
        for (int i = 0; i < _elements.Length; i++) _lookup.Add(Key(_elements[i].MatrixView), i);
        var generators = (octahedral ? PointGroupRotations.OctahedralGenerators : PointGroupRotations.IcosahedralGenerators).ToList();
        if (full) generators.Add(-Matrix<double>.Build.DenseIdentity(3));
        _generators = generators;
        _irreps = new Lazy<Irrep[]>(BuildIrreps);
    }

    /// <summary>Which of the four groups this is.</summary>
    public Kind GroupKind { get; }

    /// <summary>True for O_h and I_h (they contain −I).</summary>
    public bool IsFull => GroupKind is Kind.FullOctahedral or Kind.FullIcosahedral;

    /// <inheritdoc />
    public override string Name => GroupKind switch
    {
        Kind.Octahedral => "octahedral",
        Kind.FullOctahedral => "full-octahedral",
        Kind.Icosahedral => "icosahedral",
        _ => "full-icosahedral",
    };

    /// <inheritdoc />
    public override GroupElement Identity => _elements[0];
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => _generators.Select(FromMatrix).ToArray();
    /// <inheritdoc />
    public override int? ActionDimension => 3;

    /// <summary>The element with this matrix (within 1e-6), or an ArgumentException.</summary>
    public PointGroupElement FromMatrix(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.RowCount != 3 || matrix.ColumnCount != 3 || !_lookup.TryGetValue(Key(matrix), out var i))
            throw new ArgumentException($"The matrix is not an element of {Name}.", nameof(matrix));
        return _elements[i];
    }

    /// <summary>The chiral subgroup (O ⊂ O_h, I ⊂ I_h); only for the full groups.</summary>
    public SubgroupEmbedding ChiralSubgroup
    {
        get
        {
            if (!IsFull) throw new InvalidOperationException($"{Name} is already chiral.");
            var chiral = GroupKind == Kind.FullOctahedral ? Octahedral : Icosahedral;
            return new SubgroupEmbedding($"{chiral.Name} ⊂ {Name}", chiral, this, h => FromMatrix(((PointGroupElement)h).MatrixView));
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups => IsFull ? new[] { ChiralSubgroup } : Array.Empty<SubgroupEmbedding>();

    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() => _elements;
    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps.Value;
    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        FromMatrix(((PointGroupElement)a).MatrixView * ((PointGroupElement)b).MatrixView);
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => FromMatrix(((PointGroupElement)g).MatrixView.Transpose());
    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) => ((PointGroupElement)g).Matrix;

    private static string Key(Matrix<double> m) =>
        string.Join(",", m.Enumerate().Select(x => Math.Round(x * 1e6).ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(s => s == "-0" ? "0" : s));

    private Irrep[] BuildIrreps()
    {
        var found = FindIrrepsNumerically();
        bool octahedral = GroupKind is Kind.Octahedral or Kind.FullOctahedral;
        int inversion = IsFull ? _lookup[Key(-Matrix<double>.Build.DenseIdentity(3))] : -1;
        var named = found.Select(f =>
        {
            int dim = f.Matrices[0].RowCount;
            var chi = f.Matrices.Select(m => m.Trace()).ToArray();
            // Parity: how −I acts (±1 times the identity on an irrep).
            int parity = inversion < 0 ? 1 : Math.Sign(chi[inversion]);
            // Compare with the rotation action on the proper elements only.
            bool isVector = Enumerable.Range(0, _elements.Length)
                .Where(i => _elements[i].MatrixView.Determinant() > 0)
                .All(i => Math.Abs(chi[i] - _elements[i].MatrixView.Trace()) < 1e-6);
            bool isTrivialOnRotations = Enumerable.Range(0, _elements.Length)
                .Where(i => _elements[i].MatrixView.Determinant() > 0).All(i => Math.Abs(chi[i] - 1) < 1e-6);
            string baseName = (octahedral, dim) switch
            {
                (true, 1) => isTrivialOnRotations ? "A1" : "A2",
                (true, 2) => "E",
                (true, 3) => isVector ? "T1" : "T2",
                (false, 1) => "A",
                (false, 3) => isVector ? "T1" : "T2",
                (false, 4) => "G",
                (false, 5) => "H",
                _ => throw new InvalidOperationException($"Unexpected {dim}-dimensional irrep of {Name}."),
            };
            string name = IsFull ? baseName + (parity > 0 ? "g" : "u") : baseName;
            return (Name: name, Parity: parity, f.Matrices, f.Type);
        })
        .OrderBy(x => -x.Parity)
        .ThenBy(x => x.Matrices[0].RowCount)
        .ThenBy(x => x.Name, StringComparer.Ordinal)
        .ToArray();
        return named.Select((x, i) => new Irrep(this, i, x.Name, x.Matrices[0].RowCount, x.Type, 0,
            g => x.Matrices[((PointGroupElement)g).Index].Clone())).ToArray();
    }
}
