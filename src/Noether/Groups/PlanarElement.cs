namespace Noether.Groups;

/// <summary>An element of SO(2) or O(2): the rotation by <see cref="Angle"/> after the reflection
/// f = diag(1, −1) when <see cref="Reflection"/> is 1. As a matrix: R(θ) · F^s.</summary>
public sealed class PlanarElement : GroupElement
{
    internal PlanarElement(Group group, int reflection, double angle) : base(group)
    {
        if (!double.IsFinite(angle)) throw new ArgumentException($"Angle must be finite; got {angle}.", nameof(angle));
        Reflection = reflection;
        Angle = Normalize(angle);
    }

    /// <summary>0 for a rotation, 1 for a reflection.</summary>
    public int Reflection { get; }

    /// <summary>θ in [0, 2π).</summary>
    public double Angle { get; }

    internal static double Normalize(double angle)
    {
        var a = angle % (2 * Math.PI);
        if (a < 0) a += 2 * Math.PI;
        return a >= 2 * Math.PI ? 0 : a;
    }

    /// <summary>The distance between two angles on the circle.</summary>
    internal static double AngularDistance(double a, double b)
    {
        var d = Math.Abs(Normalize(a - b));
        return Math.Min(d, 2 * Math.PI - d);
    }

    /// <inheritdoc />
    public override string ToString() => Reflection == 0
        ? $"rot({Angle.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)})"
        : $"rot({Angle.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)})·flip";
}
