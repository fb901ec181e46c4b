using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Tests.Representations;

/// <summary>Seeded random inputs and small comparison helpers shared by the SO(3) tests.</summary>
internal static class So3TestData
{
    /// <summary>Degrees 0..10, the range every cheap property is checked on.</summary>
    public static TheoryData<int> Degrees
    {
        get
        {
            var data = new TheoryData<int>();
            for (var l = 0; l <= 10; l++) data.Add(l);
            return data;
        }
    }

    /// <summary>A random vector with standard normal components (not normalised).</summary>
    public static (double X, double Y, double Z) RandomVector(Random random) =>
        (Gaussian(random), Gaussian(random), Gaussian(random));

    /// <summary>Seeded Haar-random rotations.</summary>
    public static Matrix<double>[] RandomRotations(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Rotations3D.Random(random)).ToArray();
    }

    /// <summary>Largest absolute entry of a − b.</summary>
    public static double MaxAbsDifference(Matrix<double> a, Matrix<double> b) => (a - b).Enumerate().Max(Math.Abs);

    /// <summary>Largest absolute entry of a − b for equal-length arrays.</summary>
    public static double MaxAbsDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        Assert.Equal(a.Count, b.Count);
        var max = 0.0;
        for (var i = 0; i < a.Count; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>R x for a 3-vector.</summary>
    public static (double X, double Y, double Z) Rotate(Matrix<double> r, (double X, double Y, double Z) v) =>
        (r[0, 0] * v.X + r[0, 1] * v.Y + r[0, 2] * v.Z,
         r[1, 0] * v.X + r[1, 1] * v.Y + r[1, 2] * v.Z,
         r[2, 0] * v.X + r[2, 1] * v.Y + r[2, 2] * v.Z);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
