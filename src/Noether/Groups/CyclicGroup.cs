using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>The cyclic group C_N of planar rotations by multiples of 2π/N.</summary>
/// <remarks>
/// Real irreps (in order): A (trivial); B, k ↦ (−1)^k, when N is even; E_j for 1 ≤ j &lt; N/2, the rotation
/// by 2πjk/N (2×2, complex type: it splits over ℂ into the characters e^{±2πijk/N}).
/// Acts on ℝ² by rotation; C_N ⊂ SO(2), C_N ⊂ D_N, C_M ⊂ C_N for M | N.
/// </remarks>
public sealed class CyclicGroup : FiniteGroup
{
    private readonly DihedralElement[] _elements;
    private readonly Lazy<Irrep[]> _irreps;

    internal CyclicGroup(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "C_N needs N ≥ 1.");
        N = n;
        _elements = Enumerable.Range(0, n).Select(k => new DihedralElement(this, 0, k)).ToArray();
        _irreps = new Lazy<Irrep[]>(BuildIrreps);
    }

    /// <summary>The number of rotations N.</summary>
    public int N { get; }

    /// <inheritdoc />
    public override string Name => $"C{N}";
    /// <inheritdoc />
    public override GroupElement Identity => _elements[0];
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => N == 1 ? Array.Empty<GroupElement>() : new[] { _elements[1] };
    /// <inheritdoc />
    public override int? ActionDimension => 2;

    /// <summary>The rotation by 2πk/N.</summary>
    public DihedralElement Rotation(int k) => _elements[((k % N) + N) % N];

    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() => _elements;
    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps.Value;
    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        Rotation(((DihedralElement)a).Rotation + ((DihedralElement)b).Rotation);
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => Rotation(-((DihedralElement)g).Rotation);
    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) =>
        LinearAlgebra.Rotation2(2 * Math.PI * ((DihedralElement)g).Rotation / N);

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups =>
        Enumerable.Range(1, N - 1).Where(m => N % m == 0 && m > 1).Select(m =>
            new SubgroupEmbedding($"C{m} ⊂ {Name}", Cyclic(m), this, h => Rotation(((DihedralElement)h).Rotation * (N / m))))
        .ToArray();

    private Irrep[] BuildIrreps()
    {
        var list = new List<Irrep> { new(this, 0, "A", 1, IrrepType.Real, 0, _ => LinearAlgebra.Scalar(1)) };
        if (N % 2 == 0)
            list.Add(new Irrep(this, list.Count, "B", 1, IrrepType.Real, 0,
                g => LinearAlgebra.Scalar(((DihedralElement)g).Rotation % 2 == 0 ? 1 : -1)));
        for (int j = 1; 2 * j < N; j++)
        {
            int frequency = j;
            list.Add(new Irrep(this, list.Count, $"E{j}", 2, IrrepType.Complex, 0,
                g => LinearAlgebra.Rotation2(2 * Math.PI * ((long)frequency * ((DihedralElement)g).Rotation % N) / N)));
        }
        return list.ToArray();
    }
}
