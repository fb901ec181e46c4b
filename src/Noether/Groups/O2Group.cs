using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>O(2), the rotations and reflections of the plane.</summary>
/// <remarks>
/// Elements (s, θ) act as R(θ) · diag(1, −1)^s, so (s₁,θ₁)(s₂,θ₂) = (s₁+s₂, θ₁ + (−1)^{s₁} θ₂).
/// Real irreps (all of real type), index order: A1 (trivial), A2 (the determinant), then E_k for k ≥ 1,
/// R(kθ) · diag(1, −1)^s; band level k (0 for A1, A2). Haar measure: s uniform in {0,1}, θ uniform.
/// Subgroups: SO(2), and by name C_N and D_N (D_N ⊂ O(2) with the reflection across the x-axis).
/// </remarks>
public sealed class O2Group : Group
{
    private readonly ConcurrentDictionary<int, Irrep> _irreps = new();
    private readonly PlanarElement _identity;

    internal O2Group() => _identity = new PlanarElement(this, 0, 0);

    /// <inheritdoc />
    public override string Name => "O2";
    /// <inheritdoc />
    public override int? Order => null;
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override int DefaultBandLimit => 4;
    /// <inheritdoc />
    public override int? ActionDimension => 2;
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators =>
        new GroupElement[] { Element(0, 1.0), Element(0, Math.Sqrt(2)), Element(1, 0) };

    /// <summary>The element R(<paramref name="angle"/>) · diag(1,−1)^<paramref name="reflection"/>.</summary>
    public PlanarElement Element(int reflection, double angle)
    {
        if (reflection is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(reflection), reflection, "Reflection must be 0 or 1.");
        return new PlanarElement(this, reflection, angle);
    }

    /// <summary>SO(2) ⊂ O(2).</summary>
    public SubgroupEmbedding SO2Subgroup => new("SO2 ⊂ O2", SO2, this, h => Element(0, ((PlanarElement)h).Angle));

    /// <summary>D_N ⊂ O(2).</summary>
    public SubgroupEmbedding DihedralSubgroup(int n) => new($"D{n} ⊂ O2", Dihedral(n), this, h =>
    {
        var x = (DihedralElement)h;
        return Element(x.Reflection, 2 * Math.PI * x.Rotation / n);
    });

    /// <summary>C_N ⊂ O(2).</summary>
    public SubgroupEmbedding CyclicSubgroup(int n) =>
        new($"C{n} ⊂ O2", Cyclic(n), this, h => Element(0, 2 * Math.PI * ((DihedralElement)h).Rotation / n));

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups => new[] { SO2Subgroup };

    /// <inheritdoc />
    public override SubgroupEmbedding Subgroup(string subgroupName)
    {
        ArgumentNullException.ThrowIfNull(subgroupName);
        if (subgroupName == "SO2") return SO2Subgroup;
        return Parse(subgroupName) switch
        {
            CyclicGroup c => CyclicSubgroup(c.N),
            DihedralGroup d => DihedralSubgroup(d.N),
            _ => throw new ArgumentException($"O2 subgroups are SO2, C<N> and D<N>; got '{subgroupName}'.", nameof(subgroupName)),
        };
    }

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit)
    {
        CheckBand(bandLimit, nameof(bandLimit));
        return Enumerable.Range(0, bandLimit + 2).Select(Irrep).ToArray();
    }

    /// <inheritdoc />
    public override Irrep Irrep(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "O2 irrep indices are ≥ 0 (0: A1, 1: A2, k+1: E_k).");
        if (index >= 0) CheckBand(Math.Max(0, index - 1), nameof(index));
        return _irreps.GetOrAdd(index, i => i switch
        {
            0 => new Irrep(this, 0, "A1", 1, IrrepType.Real, 0, _ => LinearAlgebra.Scalar(1)),
            1 => new Irrep(this, 1, "A2", 1, IrrepType.Real, 0, g => LinearAlgebra.Scalar(((PlanarElement)g).Reflection == 1 ? -1 : 1)),
            _ => new Irrep(this, i, $"E{i - 1}", 2, IrrepType.Real, i - 1, g =>
            {
                var x = (PlanarElement)g;
                var r = LinearAlgebra.Rotation2((i - 1) * x.Angle);
                return x.Reflection == 0 ? r : r * LinearAlgebra.FlipX2();
            }),
        });
    }

    /// <inheritdoc />
    public override Irrep Irrep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "A1") return Irrep(0);
        if (name == "A2") return Irrep(1);
        if (name.Length > 1 && name[0] == 'E' && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k > 0)
            return Irrep(k + 1);
        throw new ArgumentException($"O2 irreps are named A1, A2 and E<k> (k ≥ 1); got '{name}'.", nameof(name));
    }

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b)
    {
        var x = (PlanarElement)a;
        var y = (PlanarElement)b;
        return Element(x.Reflection ^ y.Reflection, x.Angle + (x.Reflection == 0 ? y.Angle : -y.Angle));
    }

    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g)
    {
        var x = (PlanarElement)g;
        return x.Reflection == 1 ? x : Element(0, -x.Angle);
    }

    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance)
    {
        var x = (PlanarElement)a;
        var y = (PlanarElement)b;
        return x.Reflection == y.Reflection && PlanarElement.AngularDistance(x.Angle, y.Angle) <= tolerance;
    }

    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random)
    {
        int s = random.Next(2);
        return Element(s, 2 * Math.PI * random.NextDouble());
    }

    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g)
    {
        var x = (PlanarElement)g;
        var r = LinearAlgebra.Rotation2(x.Angle);
        return x.Reflection == 0 ? r : r * LinearAlgebra.FlipX2();
    }
}
