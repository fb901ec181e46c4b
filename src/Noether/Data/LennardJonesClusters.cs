using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Clusters of 13–38 Lennard-Jones atoms sampled by Langevin dynamics at a few temperatures, with exact
/// energies and forces (reduced units ε = σ = m = 1).</summary>
/// <remarks>
/// <para>Potential: E = Σ_{i&lt;j} 4 (r⁻¹² − r⁻⁶), no cutoff. Sampling: independent chains, each with its own atom count
/// (uniform in 13…38) and temperature (uniform in {0.1, 0.2, 0.3}); atoms start on the sites of a simple cubic lattice of
/// spacing 2^{1/6} nearest to the origin, jittered by 0.05; Langevin dynamics (BAOAB splitting, dt = 0.005, friction 1)
/// for 1,000 burn-in steps, then one configuration every 100 steps. A harmonic wall (k = 10) beyond radius
/// 1 + 0.9 N^{1/3} keeps atoms from evaporating; it acts in the dynamics only, and the labels are the pure LJ energy and
/// forces. Reference: Wales and Doye 1997 (LJ₁₃–LJ₃₈); Leimkuhler and Matthews 2013 (BAOAB).</para>
/// </remarks>
public static class LennardJonesClusters
{
    /// <summary>Largest cluster (the padding size).</summary>
    public const int MaxAtoms = 38;
    /// <summary>Smallest cluster.</summary>
    public const int MinAtoms = 13;
    private const double TimeStep = 0.005, Friction = 1.0, WallStiffness = 10.0;
    private const int BurnIn = 1000, SampleEvery = 100, SamplesPerChain = 10;
    private static readonly double[] Temperatures = { 0.1, 0.2, 0.3 };

    /// <summary>Generates <paramref name="count"/> configurations from chains seeded by <paramref name="seed"/>.</summary>
    public static LennardJonesSet Generate(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least one configuration.");
        var random = new Random(seed);
        var positions = new float[count * MaxAtoms * 3];
        var mask = new float[count * MaxAtoms];
        var energies = new float[count];
        var forces = new float[count * MaxAtoms * 3];
        var produced = 0;
        while (produced < count)
        {
            var n = random.Next(MinAtoms, MaxAtoms + 1);
            var temperature = Temperatures[random.Next(Temperatures.Length)];
            var x = InitialCluster(n, random);
            var v = new double[n, 3];
            var f = new double[n, 3];
            var wallRadius = 1 + 0.9 * Math.Cbrt(n);
            DynamicsForces(x, f, wallRadius);
            var c1 = Math.Exp(-Friction * TimeStep);
            var c2 = Math.Sqrt((1 - c1 * c1) * temperature);
            for (var step = 1; step <= BurnIn + SampleEvery * SamplesPerChain && produced < count; step++)
            {
                // BAOAB: half kick, half drift, friction + noise, half drift, half kick.
                for (var i = 0; i < n; i++)
                    for (var d = 0; d < 3; d++)
                    {
                        v[i, d] += 0.5 * TimeStep * f[i, d];
                        x[i, d] += 0.5 * TimeStep * v[i, d];
                        v[i, d] = c1 * v[i, d] + c2 * GaussianSampler.Next(random);
                        x[i, d] += 0.5 * TimeStep * v[i, d];
                    }
                DynamicsForces(x, f, wallRadius);
                for (var i = 0; i < n; i++)
                    for (var d = 0; d < 3; d++) v[i, d] += 0.5 * TimeStep * f[i, d];
                if (step <= BurnIn || (step - BurnIn) % SampleEvery != 0) continue;
                var ljForces = new double[n, 3];
                var energy = LennardJones(x, ljForces);
                var centre = new double[3];
                for (var i = 0; i < n; i++)
                    for (var d = 0; d < 3; d++) centre[d] += x[i, d] / n;
                for (var i = 0; i < n; i++)
                {
                    mask[produced * MaxAtoms + i] = 1;
                    for (var d = 0; d < 3; d++)
                    {
                        positions[(produced * MaxAtoms + i) * 3 + d] = (float)(x[i, d] - centre[d]);
                        forces[(produced * MaxAtoms + i) * 3 + d] = (float)ljForces[i, d];
                    }
                }
                energies[produced] = (float)energy;
                produced++;
            }
        }
        return new LennardJonesSet(torch.tensor(positions).reshape(count, MaxAtoms, 3), torch.tensor(mask).reshape(count, MaxAtoms),
            torch.tensor(energies), torch.tensor(forces).reshape(count, MaxAtoms, 3));
    }

    /// <summary>The LJ energy of <paramref name="x"/> (N, 3), writing −∂E/∂x into <paramref name="forces"/>.</summary>
    public static double LennardJones(double[,] x, double[,] forces)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(forces);
        var n = x.GetLength(0);
        Array.Clear(forces);
        var energy = 0.0;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                double dx = x[i, 0] - x[j, 0], dy = x[i, 1] - x[j, 1], dz = x[i, 2] - x[j, 2];
                var r2 = dx * dx + dy * dy + dz * dz;
                var inv6 = 1 / (r2 * r2 * r2);
                energy += 4 * (inv6 * inv6 - inv6);
                // −dE/dr · (x_i − x_j)/r = 24 (2 r⁻¹² − r⁻⁶) / r² · (x_i − x_j)
                var scale = 24 * (2 * inv6 * inv6 - inv6) / r2;
                forces[i, 0] += scale * dx; forces[i, 1] += scale * dy; forces[i, 2] += scale * dz;
                forces[j, 0] -= scale * dx; forces[j, 1] -= scale * dy; forces[j, 2] -= scale * dz;
            }
        return energy;
    }

    private static void DynamicsForces(double[,] x, double[,] f, double wallRadius)
    {
        LennardJones(x, f);
        var n = x.GetLength(0);
        for (var i = 0; i < n; i++)
        {
            var r = Math.Sqrt(x[i, 0] * x[i, 0] + x[i, 1] * x[i, 1] + x[i, 2] * x[i, 2]);
            if (r <= wallRadius) continue;
            var scale = -WallStiffness * (r - wallRadius) / r;
            for (var d = 0; d < 3; d++) f[i, d] += scale * x[i, d];
        }
    }

    private static double[,] InitialCluster(int n, Random random)
    {
        var spacing = Math.Pow(2, 1.0 / 6);
        var sites = new List<(double, double, double)>();
        for (var a = -3; a <= 3; a++)
            for (var b = -3; b <= 3; b++)
                for (var c = -3; c <= 3; c++) sites.Add((a * spacing, b * spacing, c * spacing));
        // Nearest to a slightly off-centre point, so that ties between shells break the same way for every seed.
        var chosen = sites.OrderBy(s => Math.Pow(s.Item1 - 0.1, 2) + Math.Pow(s.Item2 - 0.2, 2) + Math.Pow(s.Item3 - 0.3, 2)).Take(n).ToArray();
        var x = new double[n, 3];
        for (var i = 0; i < n; i++)
        {
            x[i, 0] = chosen[i].Item1 + 0.05 * GaussianSampler.Next(random);
            x[i, 1] = chosen[i].Item2 + 0.05 * GaussianSampler.Next(random);
            x[i, 2] = chosen[i].Item3 + 0.05 * GaussianSampler.Next(random);
        }
        return x;
    }
}
