namespace Noether.Data;

/// <summary>Standard normal samples from a seeded <see cref="Random"/> (Box–Muller), for the generated point data sets.</summary>
internal static class GaussianSampler
{
    public static double Next(Random random)
    {
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
