using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>The dihedral group D_N (order 2N): N rotations by multiples of 2π/N and N reflections.
/// D_1 is the group of one reflection, {e, f}.</summary>
/// <remarks>
/// Elements r^k f^s act on ℝ² as R(2πk/N) · diag(1, −1)^s, so
/// (s₁,k₁)(s₂,k₂) = (s₁+s₂, k₁ + (−1)^{s₁} k₂).
/// Real irreps (Mulliken names, all of real type): A1 trivial; A2 (−1)^s; when N is even B1 (−1)^k and
/// B2 (−1)^{k+s}; E_j for 1 ≤ j &lt; N/2, R(2πjk/N) · diag(1,−1)^s.
/// Subgroups: C_N (rotations), D_M and C_M for M | N, and D_N ⊂ O(2).
/// </remarks>
public sealed class DihedralGroup : FiniteGroup
{
    private readonly DihedralElement[] _elements;
    private readonly Lazy<Irrep[]> _irreps;

    internal DihedralGroup(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "D_N needs N ≥ 1.");
        N = n;
        _elements = Enumerable.Range(0, 2 * n).Select(i => new DihedralElement(this, i / n, i % n)).ToArray();
        _irreps = new Lazy<Irrep[]>(BuildIrreps);
    }

    /// <summary>The number of rotations N.</summary>
    public int N { get; }

    /// <inheritdoc />
    public override string Name => $"D{N}";
    /// <inheritdoc />
    public override GroupElement Identity => _elements[0];
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => N == 1 ? new[] { Flip } : new[] { _elements[1], Flip };
    /// <inheritdoc />
    public override int? ActionDimension => 2;

    /// <summary>The element r^k f^s.</summary>
    public DihedralElement Element(int reflection, int rotation)
    {
        if (reflection is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(reflection), reflection, "Reflection must be 0 or 1.");
        return _elements[reflection * N + ((rotation % N) + N) % N];
    }

    /// <summary>The rotation by 2πk/N.</summary>
    public DihedralElement Rotation(int k) => Element(0, k);

    /// <summary>The reflection f = diag(1, −1) across the x-axis.</summary>
    public DihedralElement Flip => _elements[N];

    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() => _elements;
    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps.Value;

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b)
    {
        var x = (DihedralElement)a;
        var y = (DihedralElement)b;
        return Element(x.Reflection ^ y.Reflection, x.Rotation + (x.Reflection == 0 ? y.Rotation : -y.Rotation));
    }

    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g)
    {
        var x = (DihedralElement)g;
        return x.Reflection == 1 ? x : Rotation(-x.Rotation);
    }

    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g)
    {
        var x = (DihedralElement)g;
        var r = LinearAlgebra.Rotation2(2 * Math.PI * x.Rotation / N);
        return x.Reflection == 0 ? r : r * LinearAlgebra.FlipX2();
    }

    /// <summary>C_N ⊂ D_N, the rotations.</summary>
    public SubgroupEmbedding RotationSubgroup =>
        new($"C{N} ⊂ {Name}", Cyclic(N), this, h => Rotation(((DihedralElement)h).Rotation));

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups
    {
        get
        {
            var list = new List<SubgroupEmbedding> { RotationSubgroup };
            foreach (var m in Enumerable.Range(1, N - 1).Where(m => N % m == 0))
            {
                int step = N / m;
                list.Add(new SubgroupEmbedding($"D{m} ⊂ {Name}", Dihedral(m), this, h =>
                {
                    var x = (DihedralElement)h;
                    return Element(x.Reflection, x.Rotation * step);
                }));
                if (m > 1)
                    list.Add(new SubgroupEmbedding($"C{m} ⊂ {Name}", Cyclic(m), this, h => Rotation(((DihedralElement)h).Rotation * step)));
            }
            return list;
        }
    }

    private Irrep[] BuildIrreps()
    {
        static Matrix<double> Sign(bool negative) => LinearAlgebra.Scalar(negative ? -1 : 1);
        var list = new List<Irrep>
        {
            new(this, 0, "A1", 1, IrrepType.Real, 0, _ => LinearAlgebra.Scalar(1)),
            new(this, 1, "A2", 1, IrrepType.Real, 0, g => Sign(((DihedralElement)g).Reflection == 1)),
        };
        if (N % 2 == 0)
        {
            list.Add(new Irrep(this, list.Count, "B1", 1, IrrepType.Real, 0, g => Sign(((DihedralElement)g).Rotation % 2 == 1)));
            list.Add(new Irrep(this, list.Count, "B2", 1, IrrepType.Real, 0, g =>
            {
                var x = (DihedralElement)g;
                return Sign((x.Rotation + x.Reflection) % 2 == 1);
            }));
        }
        for (int j = 1; 2 * j < N; j++)
        {
            int frequency = j;
            list.Add(new Irrep(this, list.Count, $"E{j}", 2, IrrepType.Real, 0, g =>
            {
                var x = (DihedralElement)g;
                var r = LinearAlgebra.Rotation2(2 * Math.PI * ((long)frequency * x.Rotation % N) / N);
                return x.Reflection == 0 ? r : r * LinearAlgebra.FlipX2();
            }));
        }
        return list.ToArray();
    }
}
