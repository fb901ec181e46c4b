using MathNet.Numerics.LinearAlgebra;

namespace Noether.Groups;

/// <summary>Exact 3×3 rotation matrices of the chiral octahedral group O (24 elements) and the chiral icosahedral group I
/// (60 elements), acting on column vectors.</summary>
/// <remarks>
/// <para>Each group is enumerated by closure from two generators: breadth-first, starting from the identity, each new
/// element g is multiplied on the left by the generators in the order listed, and a product is appended when its largest
/// entrywise difference to every element found so far exceeds 1e-9. The order is therefore deterministic, identity first.</para>
/// <para>Octahedral generators: 90° about z, [[0,−1,0],[1,0,0],[0,0,1]], and 120° about (1,1,1), the cyclic permutation
/// x → y → z → x. O is the set of signed permutation matrices with determinant +1.</para>
/// <para>Icosahedral generators: 72° about the 5-fold axis (0, 1, φ)/|(0, 1, φ)| (right-hand rule), and 120° about the
/// 3-fold axis (1,1,1)/√3, the same cyclic permutation; φ = (1 + √5)/2. The icosahedron they preserve has the 12 vertices
/// (0, ±1, ±φ), (±1, ±φ, 0), (±φ, 0, ±1). In this orientation every entry of every element is one of
/// 0, ±1/2, ±φ/2, ±1/(2φ), ±1, and each computed entry is rounded to the nearest of these values (the error before that
/// is a few ulps), so the matrices are exact to machine precision.</para>
/// <para>The full octahedral and icosahedral groups O_h and I_h are these rotations times {I, −I}.</para>
/// <para>The lists are shared and read-only, but the matrices themselves are mutable Math.NET objects: clone one before
/// changing it.</para>
/// </remarks>
public static class PointGroupRotations
{
    private const double DuplicateTolerance = 1e-9;
    private static readonly double Phi = (1.0 + Math.Sqrt(5.0)) / 2.0;

    private static readonly Lazy<IReadOnlyList<Matrix<double>>> OctahedralGeneratorList = new(() => new[]
    {
        Matrix<double>.Build.DenseOfArray(new double[,] { { 0, -1, 0 }, { 1, 0, 0 }, { 0, 0, 1 } }),
        CyclicPermutation(),
    });

    private static readonly Lazy<IReadOnlyList<Matrix<double>>> IcosahedralGeneratorList = new(() => new[]
    {
        Snap(AxisAngle(0.0, 1.0, Phi, 2.0 * Math.PI / 5.0), IcosahedralEntries()),
        CyclicPermutation(),
    });

    private static readonly Lazy<IReadOnlyList<Matrix<double>>> OctahedralList =
        new(() => Closure(OctahedralGeneratorList.Value, [-1.0, 0.0, 1.0]));

    private static readonly Lazy<IReadOnlyList<Matrix<double>>> IcosahedralList =
        new(() => Closure(IcosahedralGeneratorList.Value, IcosahedralEntries()));

    /// <summary>The 24 rotations of the chiral octahedral group O (the signed permutation matrices with det +1), identity first.</summary>
    public static IReadOnlyList<Matrix<double>> Octahedral => OctahedralList.Value;

    /// <summary>The generators of <see cref="Octahedral"/>: 90° about z, then 120° about (1,1,1).</summary>
    public static IReadOnlyList<Matrix<double>> OctahedralGenerators => OctahedralGeneratorList.Value;

    /// <summary>The 60 rotations of the chiral icosahedral group I, identity first.</summary>
    public static IReadOnlyList<Matrix<double>> Icosahedral => IcosahedralList.Value;

    /// <summary>The generators of <see cref="Icosahedral"/>: 72° about (0, 1, φ)/|·|, then 120° about (1,1,1)/√3.</summary>
    public static IReadOnlyList<Matrix<double>> IcosahedralGenerators => IcosahedralGeneratorList.Value;

    private static Matrix<double> CyclicPermutation() =>
        Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0, 1 }, { 1, 0, 0 }, { 0, 1, 0 } });

    // Rodrigues: R = cos θ I + sin θ [n]× + (1 − cos θ) n nᵀ for the unit axis n.
    private static Matrix<double> AxisAngle(double x, double y, double z, double angle)
    {
        double norm = Math.Sqrt(x * x + y * y + z * z);
        var n = new[] { x / norm, y / norm, z / norm };
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var cross = Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { 0, -n[2], n[1] },
            { n[2], 0, -n[0] },
            { -n[1], n[0], 0 },
        });
        var outer = Matrix<double>.Build.Dense(3, 3, (i, j) => n[i] * n[j]);
        return c * Matrix<double>.Build.DenseIdentity(3) + s * cross + (1 - c) * outer;
    }

    private static double[] IcosahedralEntries()
    {
        double[] magnitudes = [0.0, 0.5, Phi / 2.0, 1.0 / (2.0 * Phi), 1.0];
        return magnitudes.SelectMany(v => new[] { v, -v }).Distinct().ToArray();
    }

    private static Matrix<double> Snap(Matrix<double> m, double[] allowed)
    {
        return m.Map(v =>
        {
            double best = allowed.MinBy(a => Math.Abs(a - v));
            // Our own invariant, not user input: the closed-form entries are known, so a miss is a bug.
            if (Math.Abs(best - v) > DuplicateTolerance)
                throw new InvalidOperationException($"Entry {v:R} is not one of the exact values of this point group.");
            return best;
        });
    }

    private static IReadOnlyList<Matrix<double>> Closure(IReadOnlyList<Matrix<double>> generators, double[] allowed)
    {
        var elements = new List<Matrix<double>> { Matrix<double>.Build.DenseIdentity(3) };
        for (int i = 0; i < elements.Count; i++)
        {
            foreach (var g in generators)
            {
                var product = Snap(g * elements[i], allowed);
                if (!elements.Any(e => (e - product).Enumerate().Max(Math.Abs) <= DuplicateTolerance))
                    elements.Add(product);
            }
        }
        return elements.AsReadOnly();
    }
}
