namespace Noether.Data;

/// <summary>The synthetic regression data sets of EMLP (Finzi, Welling, Wilson 2021, §7.1) and RPP's modified inertia
/// (Finzi, Benton, Wilson 2021), generated exactly from their formulas with seeded Gaussians. Inputs are row-major
/// (n, input dimension), targets (n, output dimension).</summary>
public static class EmlpSyntheticData
{
    /// <summary>o5-invariant: f(x₁, x₂) = sin‖x₁‖ − ‖x₂‖³/2 + x₁·x₂/(‖x₁‖‖x₂‖) for x₁, x₂ ∈ ℝ⁵ standard Gaussian (O(5)-invariant).</summary>
    public static (double[] X, double[] Y) O5Invariant(Random random, int n)
    {
        var x = Gaussians(random, n * 10);
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var a = x.AsSpan(i * 10, 5);
            var b = x.AsSpan(i * 10 + 5, 5);
            double na = Norm(a), nb = Norm(b), dot = 0;
            for (int k = 0; k < 5; k++) dot += a[k] * b[k];
            y[i] = Math.Sin(na) - 0.5 * nb * nb * nb + dot / (na * nb);
        }
        return (x, y);
    }

    /// <summary>lorentz-scattering: the e⁻μ⁻ → e⁻μ⁻ matrix element 4 L_e^{μν} L^μ_{μν} of four four-momenta (Gaussian /4;
    /// Lorentz-invariant).</summary>
    public static (double[] X, double[] Y) LorentzScattering(Random random, int n)
    {
        var x = Gaussians(random, n * 16);
        for (int i = 0; i < x.Length; i++) x[i] /= 4;
        var eta = new[] { 1.0, -1, -1, -1 };
        var y = new double[n];
        for (int s = 0; s < n; s++)
        {
            double[] P(int k) => x.AsSpan(s * 16 + 4 * k, 4).ToArray();
            var (p1, p2, p3, p4) = (P(0), P(1), P(2), P(3));
            double Dot(double[] u, double[] v) => Enumerable.Range(0, 4).Sum(m => eta[m] * u[m] * v[m]);
            double ce = Dot(p1, p3) - Dot(p1, p1), cm = Dot(p2, p4) - Dot(p2, p2);
            double m2 = 0;
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++)
                {
                    double le = p1[a] * p3[b] - (a == b ? ce * eta[a] : 0);
                    double lm = eta[a] * p2[a] * eta[b] * p4[b] - (a == b ? cm * eta[a] : 0);
                    m2 += le * lm;
                }
            y[s] = 4 * m2;
        }
        return (x, y);
    }

    /// <summary>o3-inertia (ε = 0) and modified-inertia: the inertia tensor Σ mᵢ(|rᵢ|²I − rᵢrᵢᵀ) of 5 point masses
    /// (softplus of Gaussians) at Gaussian positions, plus ε (I e_z) e_zᵀ, which breaks O(3) when ε ≠ 0.</summary>
    public static (double[] X, double[] Y) Inertia(Random random, int n, double breaking)
    {
        const int k = 5;
        var x = Gaussians(random, n * 4 * k);
        var y = new double[n * 9];
        for (int s = 0; s < n; s++)
        {
            var row = x.AsSpan(s * 4 * k, 4 * k);
            for (int i = 0; i < k; i++) row[i] = Math.Log(1 + Math.Exp(row[i])); // masses: softplus
            var inertia = new double[9];
            for (int i = 0; i < k; i++)
            {
                double m = row[i];
                var r = row.Slice(k + 3 * i, 3);
                double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++)
                        inertia[a * 3 + b] += m * ((a == b ? r2 : 0) - r[a] * r[b]);
            }
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    y[s * 9 + a * 3 + b] = inertia[a * 3 + b] + (b == 2 ? breaking * inertia[a * 3 + 2] : 0);
        }
        return (x, y);
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (var t in v) s += t * t;
        return Math.Sqrt(s);
    }

    internal static double[] Gaussians(Random random, int count)
    {
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            result[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return result;
    }
}
