using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>SO(2), the rotations of the plane.</summary>
/// <remarks>
/// Real irreps, indexed by frequency k ≥ 0: A (k = 0, trivial) and E_k, the rotation by kθ (2×2,
/// complex type). Haar measure: θ uniform on [0, 2π). Generators (of a dense subgroup): rotations by
/// 1 and √2 radians. Subgroups: C_N for every N (by name, e.g. <c>Subgroup("C8")</c>).
/// </remarks>
public sealed class SO2Group : Group
{
    private readonly ConcurrentDictionary<int, Irrep> _irreps = new();
    private readonly PlanarElement _identity;

    internal SO2Group() => _identity = new PlanarElement(this, 0, 0);

    /// <inheritdoc />
    public override string Name => "SO2";
    /// <inheritdoc />
    public override int? Order => null;
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override int DefaultBandLimit => 4;
    /// <inheritdoc />
    public override int? ActionDimension => 2;
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => new GroupElement[] { Rotation(1.0), Rotation(Math.Sqrt(2)) };

    /// <summary>The rotation by <paramref name="angle"/> radians.</summary>
    public PlanarElement Rotation(double angle) => new(this, 0, angle);

    /// <summary>C_N ⊂ SO(2), rotations by multiples of 2π/N.</summary>
    public SubgroupEmbedding CyclicSubgroup(int n)
    {
        var c = Cyclic(n);
        return new SubgroupEmbedding($"C{n} ⊂ SO2", c, this, h => Rotation(2 * Math.PI * ((DihedralElement)h).Rotation / n));
    }

    /// <inheritdoc />
    public override SubgroupEmbedding Subgroup(string subgroupName)
    {
        ArgumentNullException.ThrowIfNull(subgroupName);
        if (Parse(subgroupName) is CyclicGroup c) return CyclicSubgroup(c.N);
        throw new ArgumentException($"SO2 subgroups are C<N>; got '{subgroupName}'.", nameof(subgroupName));
    }

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit)
    {
        CheckBand(bandLimit, nameof(bandLimit));
        return Enumerable.Range(0, bandLimit + 1).Select(Irrep).ToArray();
    }

    /// <inheritdoc />
    public override Irrep Irrep(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "SO2 irreps are indexed by frequency k ≥ 0.");
        if (index >= 0) CheckBand(index, nameof(index));
        return _irreps.GetOrAdd(index, k => k == 0
            ? new Irrep(this, 0, "A", 1, IrrepType.Real, 0, _ => LinearAlgebra.Scalar(1))
            : new Irrep(this, k, $"E{k}", 2, IrrepType.Complex, k, g => LinearAlgebra.Rotation2(k * ((PlanarElement)g).Angle)));
    }

    /// <inheritdoc />
    public override Irrep Irrep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "A") return Irrep(0);
        if (name.Length > 1 && name[0] == 'E' && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k > 0)
            return Irrep(k);
        throw new ArgumentException($"SO2 irreps are named A and E<k> (k ≥ 1); got '{name}'.", nameof(name));
    }

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        Rotation(((PlanarElement)a).Angle + ((PlanarElement)b).Angle);
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => Rotation(-((PlanarElement)g).Angle);
    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance) =>
        PlanarElement.AngularDistance(((PlanarElement)a).Angle, ((PlanarElement)b).Angle) <= tolerance;
    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random) => Rotation(2 * Math.PI * random.NextDouble());
    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) => LinearAlgebra.Rotation2(((PlanarElement)g).Angle);
}
