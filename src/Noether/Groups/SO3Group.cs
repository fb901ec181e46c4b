using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>SO(3), the rotations of space.</summary>
/// <remarks>
/// Elements are 3×3 rotation matrices acting on column vectors. Real irreps: the Wigner matrices D^l,
/// l ≥ 0, named <c>"D0"</c>, <c>"D1"</c>, … (dimension 2l+1, real type, band level l), in the basis of the real
/// spherical harmonics (so Y_l(Rx) = D^l(R) Y_l(x); D^1 acts on (y, z, x)). Products of irreps decompose
/// with the real Clebsch–Gordan coefficients: D^{l₁}⊗D^{l₂} = ⊕_{L=|l₁−l₂|}^{l₁+l₂} D^L. Haar samples come from
/// uniform unit quaternions. Generators: two fixed rotations by irrational angles about independent
/// axes, which generate a dense subgroup. Subgroups: the octahedral and icosahedral rotation groups,
/// and SO(2) as rotations about z.
/// </remarks>
public sealed class SO3Group : Group
{
    private readonly ConcurrentDictionary<int, Irrep> _irreps = new();
    private readonly OrthogonalElement _identity;

    internal SO3Group() => _identity = new OrthogonalElement(this, Matrix<double>.Build.DenseIdentity(3));

    /// <inheritdoc />
    public override string Name => "SO3";
    /// <inheritdoc />
    public override int? Order => null;
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override int DefaultBandLimit => 3;
    /// <inheritdoc />
    public override int? ActionDimension => 3;

    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => new GroupElement[]
    {
        Rotation(Rotations3D.FromAxisAngle(new[] { 1.0, 2.0, 3.0 }, 1.0)),
        Rotation(Rotations3D.FromAxisAngle(new[] { -2.0, 1.0, 0.5 }, Math.Sqrt(2))),
    };

    /// <summary>The element for a rotation matrix (orthogonal, det +1, to 1e-6).</summary>
    public OrthogonalElement Rotation(Matrix<double> rotation)
    {
        Rotations3D.ValidateRotation(rotation, nameof(rotation));
        return new OrthogonalElement(this, rotation.Clone());
    }

    /// <summary>The rotation by <paramref name="angle"/> about <paramref name="axis"/> (right-hand rule).</summary>
    public OrthogonalElement Rotation(double[] axis, double angle) => new(this, Rotations3D.FromAxisAngle(axis, angle));

    /// <summary>The rotation Rz(α) Ry(β) Rz(γ).</summary>
    public OrthogonalElement FromEulerZYZ(double alpha, double beta, double gamma) => new(this, Rotations3D.FromEulerZYZ(alpha, beta, gamma));

    /// <summary>The octahedral rotations ⊂ SO(3).</summary>
    public SubgroupEmbedding OctahedralSubgroup => new("octahedral ⊂ SO3", Octahedral, this, h => new OrthogonalElement(this, ((PointGroupElement)h).Matrix));

    /// <summary>The icosahedral rotations ⊂ SO(3).</summary>
    public SubgroupEmbedding IcosahedralSubgroup => new("icosahedral ⊂ SO3", Icosahedral, this, h => new OrthogonalElement(this, ((PointGroupElement)h).Matrix));

    /// <summary>SO(2) ⊂ SO(3), rotations about the z axis.</summary>
    public SubgroupEmbedding SO2Subgroup => new("SO2 ⊂ SO3", SO2, this, h => new OrthogonalElement(this, RotationZ(((PlanarElement)h).Angle)));

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups => new[] { OctahedralSubgroup, IcosahedralSubgroup, SO2Subgroup };

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit)
    {
        CheckBand(bandLimit, nameof(bandLimit));
        return Enumerable.Range(0, bandLimit + 1).Select(Irrep).ToArray();
    }

    /// <inheritdoc />
    public override Irrep Irrep(int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "SO3 irreps are indexed by degree l ≥ 0.");
        if (index >= 0) CheckBand(index, nameof(index));
        return _irreps.GetOrAdd(index, l => new Irrep(this, l, $"D{l}", 2 * l + 1, IrrepType.Real, l,
            g => l == 0 ? LinearAlgebra.Scalar(1) : WignerD.Real(l, ((OrthogonalElement)g).MatrixView)));
    }

    /// <inheritdoc />
    public override Irrep Irrep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 1 && name[0] == 'D' && int.TryParse(name.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var l))
            return Irrep(l);
        throw new ArgumentException($"SO3 irreps are named D<l> (l ≥ 0); got '{name}'.", nameof(name));
    }

    /// <inheritdoc />
    protected override RepresentationDecomposition DecomposeIrrepProductCore(Irrep a, Irrep b) =>
        new(Enumerable.Range(Math.Abs(a.BandLevel - b.BandLevel), 2 * Math.Min(a.BandLevel, b.BandLevel) + 1).Select(Irrep).ToArray(),
            ClebschGordan.TensorProductChangeOfBasis(a.BandLevel, b.BandLevel));

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        new OrthogonalElement(this, ((OrthogonalElement)a).MatrixView * ((OrthogonalElement)b).MatrixView);
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => new OrthogonalElement(this, ((OrthogonalElement)g).MatrixView.Transpose());
    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance) =>
        LinearAlgebra.MaxAbsDifference(((OrthogonalElement)a).MatrixView, ((OrthogonalElement)b).MatrixView) <= tolerance;
    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random) => new OrthogonalElement(this, Rotations3D.Random(random));
    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) => ((OrthogonalElement)g).Matrix;

    internal static Matrix<double> RotationZ(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return Matrix<double>.Build.DenseOfArray(new[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1.0 } });
    }
}
