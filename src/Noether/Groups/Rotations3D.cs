using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Groups;

/// <summary>Constructors and conversions for 3D rotation matrices (elements of SO(3)) in float64.</summary>
/// <remarks>
/// Matrices act on column vectors, x ↦ R x, and are active rotations: <see cref="FromAxisAngle"/> with
/// axis +z and angle π/2 maps +x to +y. Every method returns a fresh 3×3 matrix with det +1.
/// </remarks>
public static class Rotations3D
{
    /// <summary>Rotation by <paramref name="angle"/> radians about <paramref name="axis"/>, counter-clockwise
    /// seen from the tip of the axis (Rodrigues' formula).</summary>
    /// <param name="axis">Rotation axis, three components; normalised inside, must not be zero.</param>
    /// <param name="angle">Angle in radians.</param>
    /// <returns>The 3×3 rotation matrix.</returns>
    public static Matrix<double> FromAxisAngle(double[] axis, double angle)
    {
        ArgumentNullException.ThrowIfNull(axis);
        if (axis.Length != 3)
            throw new ArgumentException($"Axis must have 3 components; got {axis.Length}.", nameof(axis));
        var norm = Math.Sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        if (!(norm > 0) || double.IsInfinity(norm))
            throw new ArgumentException($"Axis must be a finite non-zero vector; got ({axis[0]}, {axis[1]}, {axis[2]}).", nameof(axis));
        if (!double.IsFinite(angle))
            throw new ArgumentException($"Angle must be finite; got {angle}.", nameof(angle));
        var half = 0.5 * angle;
        var s = Math.Sin(half) / norm;
        return QuaternionToMatrix(Math.Cos(half), axis[0] * s, axis[1] * s, axis[2] * s);
    }

    /// <summary>Rotation represented by the quaternion w + x i + y j + z k (normalised inside).</summary>
    /// <remarks>The unit quaternion (cos(θ/2), n sin(θ/2)) gives the rotation by θ about the unit axis n;
    /// q and −q give the same matrix.</remarks>
    /// <param name="w">Real part.</param>
    /// <param name="x">i component.</param>
    /// <param name="y">j component.</param>
    /// <param name="z">k component.</param>
    /// <returns>The 3×3 rotation matrix.</returns>
    public static Matrix<double> FromQuaternion(double w, double x, double y, double z)
    {
        var norm = Math.Sqrt(w * w + x * x + y * y + z * z);
        if (!(norm > 0) || double.IsInfinity(norm))
            throw new ArgumentException($"Quaternion must be finite and non-zero; got ({w}, {x}, {y}, {z}).", nameof(w));
        return QuaternionToMatrix(w / norm, x / norm, y / norm, z / norm);
    }

    /// <summary>Rotation from Euler angles in the z-y-z convention: R = Rz(α) Ry(β) Rz(γ).</summary>
    /// <param name="alpha">First angle α (applied last), about z, in radians.</param>
    /// <param name="beta">Second angle β, about y, in radians.</param>
    /// <param name="gamma">Third angle γ (applied first), about z, in radians.</param>
    /// <returns>The 3×3 rotation matrix.</returns>
    public static Matrix<double> FromEulerZYZ(double alpha, double beta, double gamma)
    {
        if (!double.IsFinite(alpha) || !double.IsFinite(beta) || !double.IsFinite(gamma))
            throw new ArgumentException($"Euler angles must be finite; got ({alpha}, {beta}, {gamma}).", nameof(alpha));
        return RotationZ(alpha) * RotationY(beta) * RotationZ(gamma);
    }

    /// <summary>A Haar-uniform random rotation, drawn as a normalised Gaussian quaternion.</summary>
    /// <remarks>A standard normal vector in R⁴ is isotropic, so its direction is uniform on S³; the double
    /// cover S³ → SO(3) pushes the uniform measure to the Haar measure.</remarks>
    /// <param name="random">Source of randomness; seed it for reproducible results.</param>
    /// <returns>The 3×3 rotation matrix.</returns>
    public static Matrix<double> Random(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double w, x, y, z, norm;
        do
        {
            w = Gaussian(random);
            x = Gaussian(random);
            y = Gaussian(random);
            z = Gaussian(random);
            norm = Math.Sqrt(w * w + x * x + y * y + z * z);
        } while (norm < 1e-8);
        return QuaternionToMatrix(w / norm, x / norm, y / norm, z / norm);
    }

    /// <summary>A batch of Haar-uniform random rotations as a tensor, reproducible from <paramref name="seed"/>.</summary>
    /// <remarks>Sampled in float64 on the CPU with a dedicated <c>torch.Generator</c> (the global torch seed is
    /// untouched), then converted to <paramref name="dtype"/>.</remarks>
    /// <param name="count">Number of rotations, at least 0.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="dtype">Floating-point dtype of the result.</param>
    /// <returns>Tensor of shape (count, 3, 3) on the CPU.</returns>
    public static Tensor Random(int count, long seed, ScalarType dtype = ScalarType.Float64)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, "Count must be non-negative.");
        if (dtype is not (ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Dtype must be a floating-point type; got {dtype}.", nameof(dtype));
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed);
        var q = torch.randn(new long[] { count, 4 }, dtype: ScalarType.Float64, generator: generator);
        q = q / q.norm(1, keepdim: true);
        var (w, x, y, z) = (q[.., 0], q[.., 1], q[.., 2], q[.., 3]);
        var rows = new[]
        {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        };
        var result = torch.stack(rows, dim: -1).reshape(count, 3, 3).to(dtype);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Axis and angle of a rotation matrix, with the angle in [0, π].</summary>
    /// <remarks>For the identity the axis is +z and the angle 0. For an angle of π, axis and −axis describe
    /// the same rotation; the one returned has its largest-magnitude component positive.</remarks>
    /// <param name="rotation">A 3×3 orthogonal matrix with det +1 (tolerance 1e-6).</param>
    /// <returns>A unit axis and the angle in radians.</returns>
    public static (double[] Axis, double Angle) ToAxisAngle(Matrix<double> rotation)
    {
        ValidateRotation(rotation, nameof(rotation));
        var r = rotation;
        // Skew part gives 2 sin(θ) n; the trace gives 1 + 2 cos(θ). atan2 of both is accurate at every angle.
        var sx = r[2, 1] - r[1, 2];
        var sy = r[0, 2] - r[2, 0];
        var sz = r[1, 0] - r[0, 1];
        var sinTwice = Math.Sqrt(sx * sx + sy * sy + sz * sz);
        var cosTwice = r[0, 0] + r[1, 1] + r[2, 2] - 1;
        var angle = Math.Atan2(sinTwice, cosTwice);
        if (sinTwice < 1e-12 && cosTwice > 0)
            return (new[] { 0.0, 0.0, 1.0 }, 0.0);
        if (angle > Math.PI - 1e-3)
        {
            // Near π the skew part vanishes; use the symmetric part (R + Rᵀ)/2 = cos θ I + (1 − cos θ) n nᵀ.
            var c = Math.Cos(angle);
            var nn = new double[3, 3];
            for (var i = 0; i < 3; i++)
                for (var j = 0; j < 3; j++)
                    nn[i, j] = (0.5 * (r[i, j] + r[j, i]) - (i == j ? c : 0)) / (1 - c);
            var k = 0;
            for (var i = 1; i < 3; i++)
                if (nn[i, i] > nn[k, k]) k = i;
            var axis = new double[3];
            var nk = Math.Sqrt(Math.Max(nn[k, k], 0));
            for (var i = 0; i < 3; i++) axis[i] = nn[k, i] / nk;
            // Fix the sign from the skew part when it carries information (θ slightly below π).
            var dot = axis[0] * sx + axis[1] * sy + axis[2] * sz;
            if (dot < 0) for (var i = 0; i < 3; i++) axis[i] = -axis[i];
            if (sinTwice < 1e-12)
                return (CanonicalSign(Normalize(axis)), angle);
            return (Normalize(axis), angle);
        }
        return (new[] { sx / sinTwice, sy / sinTwice, sz / sinTwice }, angle);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="rotation"/> is a 3×3 orthogonal
    /// matrix with determinant +1 within <paramref name="tolerance"/>.</summary>
    internal static void ValidateRotation(Matrix<double> rotation, string paramName, double tolerance = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(rotation, paramName);
        if (rotation.RowCount != 3 || rotation.ColumnCount != 3)
            throw new ArgumentException($"Rotation must be 3x3; got {rotation.RowCount}x{rotation.ColumnCount}.", paramName);
        var error = (rotation.TransposeThisAndMultiply(rotation) - Matrix<double>.Build.DenseIdentity(3)).InfinityNorm();
        if (!(error <= tolerance))
            throw new ArgumentException($"Rotation must be orthogonal (‖RᵀR − I‖∞ = {error:G3} > {tolerance:G3}).", paramName);
        var det = rotation.Determinant();
        if (!(Math.Abs(det - 1) <= tolerance))
            throw new ArgumentException($"Rotation must have determinant +1; got {det:G6}.", paramName);
    }

    private static Matrix<double> QuaternionToMatrix(double w, double x, double y, double z) =>
        Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y) },
            { 2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x) },
            { 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y) },
        });

    private static Matrix<double> RotationZ(double angle)
    {
        var (s, c) = Math.SinCos(angle);
        return Matrix<double>.Build.DenseOfArray(new[,] { { c, -s, 0 }, { s, c, 0 }, { 0, 0, 1.0 } });
    }

    private static Matrix<double> RotationY(double angle)
    {
        var (s, c) = Math.SinCos(angle);
        return Matrix<double>.Build.DenseOfArray(new[,] { { c, 0, s }, { 0, 1.0, 0 }, { -s, 0, c } });
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − NextDouble() lies in (0, 1], so the logarithm is finite.
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    private static double[] Normalize(double[] v)
    {
        var n = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new[] { v[0] / n, v[1] / n, v[2] / n };
    }

    private static double[] CanonicalSign(double[] v)
    {
        var k = 0;
        for (var i = 1; i < 3; i++)
            if (Math.Abs(v[i]) > Math.Abs(v[k])) k = i;
        return v[k] < 0 ? new[] { -v[0], -v[1], -v[2] } : v;
    }
}
