using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Equivariance;

/// <summary>The plane ℝ² with a group of rotations and reflections about the origin acting on it:
/// C_N (rotations), D_N (rotations and reflections), SO(2), O(2), or a single reflection (D_1).</summary>
/// <remarks>
/// Image convention: a tensor (batch, channels, height, width) samples a field on the plane with the x
/// axis pointing right (columns) and the y axis pointing up (rows from the bottom), centred on the
/// image, so a positive rotation is counter-clockwise as displayed. The reflection of D_N and O(2) is
/// diag(1, −1): it flips the image upside down. Reference: escnn's <c>rot2dOnR2</c>, <c>flipRot2dOnR2</c>.
/// </remarks>
public sealed class GSpace2D : GSpace
{
    private GSpace2D(Group group, int? maximumFrequency)
    {
        Group = group;
        MaximumFrequency = maximumFrequency;
    }

    /// <inheritdoc />
    public override Group Group { get; }

    /// <inheritdoc />
    public override int BaseDimension => 2;

    /// <summary>For SO(2) and O(2): the highest irrep frequency used by <see cref="Regular"/>-like
    /// helpers; null for finite groups.</summary>
    public int? MaximumFrequency { get; }

    /// <summary>Rotations by multiples of 360°/N (C_N); N = 4 is the p4 group of Cohen &amp; Welling.</summary>
    public static GSpace2D Rotations(int n) => new(Groups.Group.Cyclic(n), null);

    /// <summary>Rotations by multiples of 360°/N and reflections (D_N); N = 4 is p4m.</summary>
    public static GSpace2D FlipsRotations(int n) => new(Groups.Group.Dihedral(n), null);

    /// <summary>All rotations, SO(2).</summary>
    public static GSpace2D ContinuousRotations(int maximumFrequency = 4) => new(Groups.Group.SO2, CheckFrequency(maximumFrequency));

    /// <summary>All rotations and reflections, O(2).</summary>
    public static GSpace2D ContinuousFlipsRotations(int maximumFrequency = 4) => new(Groups.Group.O2, CheckFrequency(maximumFrequency));

    /// <summary>The reflection diag(1, −1) only (D_1).</summary>
    public static GSpace2D Flips() => new(Groups.Group.Dihedral(1), null);

    /// <summary>The gspace of <paramref name="group"/>, which must be C_N, D_N, SO2 or O2.</summary>
    public static GSpace2D For(Group group, int maximumFrequency = 4)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group switch
        {
            CyclicGroup c => Rotations(c.N),
            DihedralGroup d => FlipsRotations(d.N),
            SO2Group => ContinuousRotations(maximumFrequency),
            O2Group => ContinuousFlipsRotations(maximumFrequency),
            _ => throw new ArgumentException($"{group.Name} does not act on the plane; use C<N>, D<N>, SO2 or O2.", nameof(group)),
        };
    }

    /// <summary>The 2×2 matrix by which <paramref name="g"/> moves points of the plane.</summary>
    public Matrix<double> Action(GroupElement g) => Group.ActionMatrix(g);

    /// <summary><paramref name="count"/> copies of the trivial representation (scalar fields).</summary>
    public FieldType Trivial(int count) => FieldType.Repeat(this, Group.TrivialIrrep, count);

    /// <summary><paramref name="count"/> regular fields (finite groups only): the G-CNN feature maps.</summary>
    public FieldType Regular(int count)
    {
        if (Group is not FiniteGroup finite)
            throw new InvalidOperationException($"{Group.Name} is continuous and has no regular representation; use irreps up to a band limit.");
        return FieldType.Repeat(this, finite.Regular, count);
    }

    /// <summary><paramref name="count"/> copies of the irrep named <paramref name="irrep"/>.</summary>
    public FieldType Irrep(string irrep, int count = 1) => FieldType.Repeat(this, Group.Irrep(irrep), count);

    /// <summary><paramref name="count"/> copies of the direct sum of every irrep up to
    /// <see cref="MaximumFrequency"/> (continuous groups; a band-limited stand-in for the regular representation).</summary>
    public FieldType BandLimitedRegular(int count)
    {
        var irreps = Group.IsFinite ? Group.Irreps : Group.IrrepsUpTo(MaximumFrequency ?? Group.DefaultBandLimit);
        return FieldType.Repeat(this, Representation.FromIrreps(irreps, name: "bandlimited-regular"), count);
    }

    /// <summary><paramref name="count"/> quotient fields G/H (finite groups only).</summary>
    public FieldType Quotient(string subgroup, int count)
    {
        if (Group is not FiniteGroup finite)
            throw new InvalidOperationException($"{Group.Name} is continuous; quotient fields need a finite group.");
        return FieldType.Repeat(this, finite.Quotient(finite.Subgroup(subgroup)), count);
    }

    private static int CheckFrequency(int f) =>
        f >= 0 ? f : throw new ArgumentOutOfRangeException(nameof(f), f, "Maximum frequency must be ≥ 0.");

    /// <inheritdoc />
    public override string Name => $"{Group.Name} on R²";
}
