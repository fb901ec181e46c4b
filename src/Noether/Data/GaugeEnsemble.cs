using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Monte Carlo configurations of a 2D (or d-dimensional) lattice gauge theory at several couplings,
/// with the coupling of each configuration; the tensors are owned by this object.</summary>
public sealed class GaugeEnsemble : IDisposable
{
    private GaugeEnsemble(Tensor links, Tensor betas)
    {
        Links = links;
        Betas = betas;
    }

    /// <summary>(count, d, L_1..L_d, N, N) complex64, β-major (all configurations of the first β first).</summary>
    public Tensor Links { get; }

    /// <summary>(count,) float64: the coupling of each configuration.</summary>
    public Tensor Betas { get; }

    /// <summary>The number of configurations.</summary>
    public long Count => Links.shape[0];

    /// <summary>Generates <paramref name="perBeta"/> configurations at each β, from independent chains started hot
    /// (SU(2): heat bath; U(1): Metropolis with 3 hits), after <paramref name="thermalization"/> sweeps.</summary>
    /// <param name="group">U(1) or SU(2).</param>
    /// <param name="betas">the couplings.</param>
    /// <param name="perBeta">configurations per coupling (≥ 1).</param>
    /// <param name="extents">the lattice (even extents).</param>
    /// <param name="thermalization">sweeps per chain.</param>
    /// <param name="seed">seed of everything; coupling i uses seed · 1000 + i.</param>
    public static GaugeEnsemble Generate(GaugeGroup group, IReadOnlyList<double> betas, int perBeta, long[] extents, int thermalization, long seed)
    {
        ArgumentNullException.ThrowIfNull(betas);
        if (betas.Count < 1) throw new ArgumentException("Need at least one coupling.", nameof(betas));
        var links = new List<Tensor>();
        var couplings = new List<double>();
        for (int i = 0; i < betas.Count; i++)
        {
            var mc = group == GaugeGroup.SU2
                ? new LatticeMonteCarlo(group, betas[i], LinkUpdate.HeatBath)
                : new LatticeMonteCarlo(group, betas[i], LinkUpdate.Metropolis, step: 0.7, hits: 3);
            using var configurations = mc.Generate(perBeta, 1, extents, thermalization, 1, seed * 1000 + i);
            links.Add(configurations.to_type(ScalarType.ComplexFloat32));
            couplings.AddRange(Enumerable.Repeat(betas[i], perBeta));
        }
        var all = cat(links, 0);
        foreach (var t in links) t.Dispose();
        // The ensemble owns its tensors, whatever dispose scope the caller is in.
        return new GaugeEnsemble(all.DetachFromDisposeScope(), tensor(couplings.ToArray(), dtype: ScalarType.Float64).DetachFromDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Links.Dispose();
        Betas.Dispose();
    }
}
