namespace Noether.Data;

/// <summary>Generated set data sets, deterministic from a seed (<c>new Random(seed)</c>).</summary>
/// <remarks>
/// - Digit sum (DeepSets, section 4.1.1): sets of digits 0–9 (one-hot, 10 features), target their sum.
/// - Set max (Set Transformer, section 5.1): 1–10 integers in [1, 99] (one feature, value/100), target the max.
/// - Mixture of Gaussians (Set Transformer, section 5.3): points of a 2D mixture of 4 isotropic Gaussians,
///   weights ~ Dirichlet(1,1,1,1), means ~ U[−4, 4]², σ = 0.3 (fixed, the paper's setting); target the
///   oracle's log-likelihood per point (the true parameters').
/// </remarks>
public static class SetGenerators
{
    /// <summary>The σ of every Gaussian in <see cref="MixtureOfGaussians"/>.</summary>
    public const double MixtureSigma = 0.3;

    /// <summary>The number of components in <see cref="MixtureOfGaussians"/>.</summary>
    public const int MixtureComponents = 4;

    /// <summary><paramref name="count"/> sets of uniform digits, sizes uniform in [minSize, maxSize]; target the sum.</summary>
    public static SetExamples DigitSum(int count, int minSize, int maxSize, int seed)
    {
        CheckSizes(count, minSize, maxSize);
        var random = new Random(seed);
        var sets = new float[count][][];
        var targets = new float[count][];
        for (int i = 0; i < count; i++)
        {
            int n = random.Next(minSize, maxSize + 1);
            sets[i] = new float[n][];
            int sum = 0;
            for (int j = 0; j < n; j++)
            {
                int digit = random.Next(10);
                sum += digit;
                sets[i][j] = new float[10];
                sets[i][j][digit] = 1;
            }
            targets[i] = new float[] { sum };
        }
        return SetExamples.FromArrays(sets, targets, 10);
    }

    /// <summary>Digit labels for image sets: per set, the indices of its digits drawn uniformly from
    /// <paramref name="pool"/> images, sizes uniform in [minSize, maxSize].</summary>
    public static int[][] DigitIndices(int count, int minSize, int maxSize, int pool, int seed)
    {
        CheckSizes(count, minSize, maxSize);
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int n = random.Next(minSize, maxSize + 1);
            return Enumerable.Range(0, n).Select(_ => random.Next(pool)).ToArray();
        }).ToArray();
    }

    /// <summary><paramref name="count"/> sets of 1–10 integers in [1, 99] (feature value/100); target the max (as an integer).</summary>
    public static SetExamples SetMax(int count, int seed)
    {
        CheckSizes(count, 1, 10);
        var random = new Random(seed);
        var sets = new float[count][][];
        var targets = new float[count][];
        for (int i = 0; i < count; i++)
        {
            int n = random.Next(1, 11);
            sets[i] = new float[n][];
            int max = 0;
            for (int j = 0; j < n; j++)
            {
                int v = random.Next(1, 100);
                max = Math.Max(max, v);
                sets[i][j] = new[] { v / 100f };
            }
            targets[i] = new float[] { max };
        }
        return SetExamples.FromArrays(sets, targets, 1);
    }

    /// <summary><paramref name="count"/> sets of [minPoints, maxPoints] points from a random 4-component 2D mixture;
    /// target the oracle log-likelihood per point.</summary>
    public static SetExamples MixtureOfGaussians(int count, int minPoints, int maxPoints, int seed)
    {
        CheckSizes(count, minPoints, maxPoints);
        var random = new Random(seed);
        var sets = new float[count][][];
        var targets = new float[count][];
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        for (int i = 0; i < count; i++)
        {
            var weights = Enumerable.Range(0, MixtureComponents).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();   // Dirichlet(1): normalised exponentials
            double total = weights.Sum();
            for (int k = 0; k < weights.Length; k++) weights[k] /= total;
            var means = Enumerable.Range(0, MixtureComponents).Select(_ => (X: random.NextDouble() * 8 - 4, Y: random.NextDouble() * 8 - 4)).ToArray();
            int n = random.Next(minPoints, maxPoints + 1);
            sets[i] = new float[n][];
            double logLikelihood = 0;
            for (int j = 0; j < n; j++)
            {
                double u = random.NextDouble(), c = 0;
                int k = 0;
                while (k < MixtureComponents - 1 && (c += weights[k]) < u) k++;
                double x = means[k].X + MixtureSigma * Normal(), y = means[k].Y + MixtureSigma * Normal();
                sets[i][j] = new[] { (float)x, (float)y };
                double density = 0;
                for (int q = 0; q < MixtureComponents; q++)
                {
                    double dx = x - means[q].X, dy = y - means[q].Y;
                    density += weights[q] * Math.Exp(-(dx * dx + dy * dy) / (2 * MixtureSigma * MixtureSigma)) / (2 * Math.PI * MixtureSigma * MixtureSigma);
                }
                logLikelihood += Math.Log(density);
            }
            targets[i] = new[] { (float)(logLikelihood / n) };
        }
        return SetExamples.FromArrays(sets, targets, 2);
    }

    private static void CheckSizes(int count, int minSize, int maxSize)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Expected ≥ 1 set.");
        if (minSize < 1 || maxSize < minSize)
            throw new ArgumentException($"Expected 1 ≤ minSize ≤ maxSize; got {minSize} and {maxSize}.", nameof(minSize));
    }
}
