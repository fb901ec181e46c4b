using Noether.Runtime;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>How <see cref="LatticeMonteCarlo"/> updates a link.</summary>
public enum LinkUpdate
{
    /// <summary>Metropolis: propose U' = X U with X near 1, accept with min(1, e^{−ΔS}) (U(1) and SU(2)).</summary>
    Metropolis,

    /// <summary>Heat bath: draw the link from its exact conditional distribution (SU(2) only; Creutz 1980 and
    /// Kennedy–Pendleton 1985 for the x_0 draw).</summary>
    HeatBath,
}

/// <summary>Markov-chain Monte Carlo for U(1) and SU(2) lattice gauge fields with the Wilson action
/// S = β Σ_P (1 − (1/N) Re Tr P), many independent chains in one batched tensor.</summary>
/// <remarks>
/// A sweep updates every link once. Links of one direction μ whose sites have the same parity
/// (Σ_i x_i mod 2) share no plaquette, so each half is updated at once (checkerboard): the staple sum
/// A(x) = Σ_{ν≠μ} U_ν(x+μ̂) U_μ(x+ν̂)† U_ν(x)† + U_ν(x+μ̂−ν̂)† U_μ(x−ν̂)† U_ν(x−ν̂) gives the link's local
/// action −(β/N) Re Tr(U_μ(x) A(x)). Every extent must be even. Links are kept in complex128 and projected
/// back onto the group after each sweep. All randomness comes from the <see cref="Generator"/> passed in.
/// Reference: Gattringer &amp; Lang, "Quantum Chromodynamics on the Lattice" (2010), ch. 4.
/// </remarks>
public sealed class LatticeMonteCarlo
{
    /// <summary>Creates a sampler.</summary>
    /// <param name="group">U(1) or SU(2).</param>
    /// <param name="beta">the coupling β ≥ 0.</param>
    /// <param name="update">the link update; heat bath needs SU(2).</param>
    /// <param name="step">Metropolis proposal size in (0, 1]: U(1) angles uniform in (−π·step, π·step); SU(2) X = √(1−step²) ± i step n̂·σ.</param>
    /// <param name="hits">Metropolis proposals per link per sweep (≥ 1).</param>
    public LatticeMonteCarlo(GaugeGroup group, double beta, LinkUpdate update = LinkUpdate.Metropolis, double step = 0.5, int hits = 2)
    {
        if (!(beta >= 0) || double.IsInfinity(beta)) throw new ArgumentException($"β must be finite and ≥ 0; got {beta}.", nameof(beta));
        if (update == LinkUpdate.HeatBath && group != GaugeGroup.SU2)
            throw new ArgumentException($"Heat bath is implemented for SU(2); got {group.Name()}. Use Metropolis.", nameof(update));
        if (!(step > 0 && step <= 1)) throw new ArgumentException($"Metropolis step must be in (0, 1]; got {step}.", nameof(step));
        if (hits < 1) throw new ArgumentException($"Hits must be ≥ 1; got {hits}.", nameof(hits));
        Group = group;
        Beta = beta;
        Update = update;
        Step = step;
        Hits = hits;
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>The coupling β.</summary>
    public double Beta { get; }

    /// <summary>The link update.</summary>
    public LinkUpdate Update { get; }

    /// <summary>The Metropolis step size.</summary>
    public double Step { get; }

    /// <summary>Metropolis proposals per link per sweep.</summary>
    public int Hits { get; }

    /// <summary>The Metropolis acceptance rate of the last sweep (1 for heat bath).</summary>
    public double AcceptanceRate { get; private set; } = 1;

    /// <summary>One sweep: every link of every chain updated once (per direction, even sites then odd sites).</summary>
    /// <param name="links">(chains, d, L_1..L_d, N, N) complex; not modified.</param>
    /// <param name="generator">the seeded source.</param>
    /// <returns>the new links, complex128.</returns>
    public Tensor Sweep(Tensor links, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckLinks(links);
        using var scope = NewDisposeScope();
        int d = GaugeLinks.Dimensions(links);
        var extents = GaugeLinks.Extents(links);
        var u = Enumerable.Range(0, d).Select(mu => links.select(1, mu).to_type(ScalarType.ComplexFloat64)).ToArray();
        var parity = Parity(extents);
        double accepted = 0, proposed = 0;
        for (int mu = 0; mu < d; mu++)
            for (int p = 0; p < 2; p++)
            {
                // (L_1..L_d, 1, 1) mask of the sites updated now; the staples do not involve them.
                var mask = (parity == p).unsqueeze(-1).unsqueeze(-1);
                var staple = Staple(u, mu);
                if (Update == LinkUpdate.HeatBath)
                    u[mu] = where(mask, HeatBathDraw(staple, mask, generator), u[mu]);
                else
                    for (int hit = 0; hit < Hits; hit++)
                    {
                        var (proposal, accept) = MetropolisStep(u[mu], staple, generator);
                        var take = mask & accept.unsqueeze(-1).unsqueeze(-1);
                        accepted += take.sum().ToDoubleChecked();
                        proposed += mask.sum().ToDoubleChecked() * links.shape[0];
                        u[mu] = where(take, proposal, u[mu]);
                    }
            }
        AcceptanceRate = Update == LinkUpdate.HeatBath ? 1 : accepted / proposed;
        return GaugeLinks.Reunitarize(stack(u, 1)).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="sweeps"/> sweeps, keeping only the last configuration.</summary>
    public Tensor Run(Tensor links, int sweeps, Generator generator)
    {
        if (sweeps < 0) throw new ArgumentException($"Sweeps must be ≥ 0; got {sweeps}.", nameof(sweeps));
        var current = links.to_type(ScalarType.ComplexFloat64).clone();
        for (int i = 0; i < sweeps; i++)
        {
            var next = Sweep(current, generator);
            current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>Configurations from <paramref name="chains"/> independent chains started hot: after
    /// <paramref name="thermalization"/> sweeps each chain saves <paramref name="perChain"/> configurations,
    /// <paramref name="decorrelation"/> sweeps apart.</summary>
    /// <param name="chains">independent chains run side by side (≥ 1).</param>
    /// <param name="perChain">configurations saved per chain (≥ 1).</param>
    /// <param name="extents">the lattice (every extent even).</param>
    /// <param name="thermalization">sweeps before the first saved configuration.</param>
    /// <param name="decorrelation">sweeps between saved configurations of a chain (≥ 1).</param>
    /// <param name="seed">the seed of every random choice.</param>
    /// <returns>(chains · perChain, d, L_1..L_d, N, N) complex128, ordered chain-major within each save.</returns>
    public Tensor Generate(int chains, int perChain, long[] extents, int thermalization, int decorrelation, long seed)
    {
        if (chains < 1 || perChain < 1) throw new ArgumentException($"Need ≥ 1 chain and ≥ 1 configuration per chain; got {chains} and {perChain}.", nameof(chains));
        if (decorrelation < 1) throw new ArgumentException($"Decorrelation sweeps must be ≥ 1; got {decorrelation}.", nameof(decorrelation));
        var generator = new Generator((ulong)seed);
        using var start = GaugeLinks.Hot(Group, chains, extents, generator);
        var current = Run(start, thermalization, generator);
        var saved = new List<Tensor> { current };
        for (int i = 1; i < perChain; i++)
        {
            current = Run(current, decorrelation, generator);
            saved.Add(current);
        }
        var result = cat(saved, 0);
        foreach (var t in saved) t.Dispose();
        return result;
    }

    /// <summary>The exact infinite-volume 2D expectation of the plaquette, ⟨(1/N) Re Tr P⟩: U(1) I_1(β)/I_0(β),
    /// SU(2) I_2(β)/I_1(β).</summary>
    /// <remarks>In two dimensions (infinite volume, or up to corrections of order (I_1/I_0)^V on a
    /// periodic lattice of V sites) the plaquettes are independent, each with the one-plaquette weight
    /// e^{(β/N) Re Tr P}; the expectation is d ln z/dβ with z(β) = I_0(β) for U(1) and 2 I_1(β)/β for
    /// SU(2) (Gross &amp; Witten, Phys. Rev. D 21, 446 (1980); Drouffe &amp; Zuber, Phys. Rep. 102, 1 (1983)).</remarks>
    public static double ExactPlaquette2D(GaugeGroup group, double beta)
    {
        if (!(beta > 0)) throw new ArgumentException($"β must be > 0; got {beta}.", nameof(beta));
        return group == GaugeGroup.U1
            ? MathNet.Numerics.SpecialFunctions.BesselI(1, beta) / MathNet.Numerics.SpecialFunctions.BesselI(0, beta)
            : MathNet.Numerics.SpecialFunctions.BesselI(2, beta) / MathNet.Numerics.SpecialFunctions.BesselI(1, beta);
    }

    private void CheckLinks(Tensor links)
    {
        GaugeLinks.Validate(links);
        if (GaugeLinks.Group(links) != Group)
            throw new ArgumentException($"The sampler is for {Group.Name()} but the links are {GaugeLinks.Group(links).Name()}.", nameof(links));
        if (GaugeLinks.Dimensions(links) < 2) throw new ArgumentException("The Wilson action needs d ≥ 2.", nameof(links));
        var extents = GaugeLinks.Extents(links);
        if (extents.Any(l => l % 2 != 0))
            throw new ArgumentException($"Checkerboard updates need even extents; got ({string.Join(", ", extents)}).", nameof(links));
    }

    /// <summary>Σ_i x_i mod 2 on the lattice, int64 (L_1..L_d).</summary>
    private static Tensor Parity(long[] extents)
    {
        var sum = zeros(extents, dtype: ScalarType.Int64);
        for (int i = 0; i < extents.Length; i++)
        {
            var shape = Enumerable.Repeat(1L, extents.Length).ToArray();
            shape[i] = extents[i];
            sum = sum + arange(extents[i], dtype: ScalarType.Int64).reshape(shape);
        }
        return sum.remainder(2);
    }

    /// <summary>A(x) for direction μ, from the per-direction site fields u[ν] (batch, L.., N, N).</summary>
    private static Tensor Staple(Tensor[] u, int mu)
    {
        Tensor? total = null;
        for (int nu = 0; nu < u.Length; nu++)
        {
            if (nu == mu) continue;
            var up = GaugeLinks.Shift(u[nu], mu, 1, 1)
                .MatMulChecked(GaugeLinks.Dagger(GaugeLinks.Shift(u[mu], nu, 1, 1)))
                .MatMulChecked(GaugeLinks.Dagger(u[nu]));
            var nuBack = GaugeLinks.Shift(u[nu], nu, -1, 1);
            var down = GaugeLinks.Dagger(GaugeLinks.Shift(nuBack, mu, 1, 1))
                .MatMulChecked(GaugeLinks.Dagger(GaugeLinks.Shift(u[mu], nu, -1, 1)))
                .MatMulChecked(nuBack);
            total = total is null ? up + down : total + up + down;
        }
        return total!;
    }

    /// <summary>A proposal X U for every site and whether the Metropolis test accepts it.</summary>
    private (Tensor Proposal, Tensor Accept) MetropolisStep(Tensor u, Tensor staple, Generator generator)
    {
        var sites = u.shape.Take(u.shape.Length - 2).ToArray();
        Tensor x;
        if (Group == GaugeGroup.U1)
            x = GaugeLinks.Phase((rand(sites, dtype: ScalarType.Float64, generator: generator) * 2 - 1) * (Math.PI * Step)).unsqueeze(-1).unsqueeze(-1);
        else
        {
            // X = x_0 1 + i x·σ with |x| = step and a random sign of x_0: the proposal is symmetric (X and X† equally likely).
            var n = randn(sites.Append(3).ToArray(), dtype: ScalarType.Float64, generator: generator);
            n = n / n.norm(-1, keepdim: true) * Step;
            var sign = (rand(sites, dtype: ScalarType.Float64, generator: generator) < 0.5).to_type(ScalarType.Float64) * 2 - 1;
            var x0 = (sign * Math.Sqrt(1 - Step * Step)).unsqueeze(-1);
            x = GaugeLinks.FromQuaternion(cat(new[] { x0, n }, -1));
        }
        var proposal = x.MatMulChecked(u);
        int n2 = Group.MatrixSize();
        var deltaS = -(Beta / n2) * real(GaugeLinks.Trace((proposal - u).MatMulChecked(staple)));
        var accept = rand(sites, dtype: ScalarType.Float64, generator: generator) < (-deltaS).exp();
        return (proposal, accept);
    }

    /// <summary>SU(2) heat bath: U = X V† with A = k V, and X = x_0 + i x·σ drawn with weight
    /// √(1 − x_0²) e^{β k x_0} (Creutz's draw for β k &lt; 2, Kennedy–Pendleton's otherwise).</summary>
    private Tensor HeatBathDraw(Tensor staple, Tensor mask, Generator generator)
    {
        var sites = staple.shape.Take(staple.shape.Length - 2).ToArray();
        // A sum of SU(2) matrices is k times an SU(2) matrix, k = √det A.
        var k = real(GaugeLinks.Determinant2(staple)).clamp_min(0).sqrt().clamp_min(1e-12);
        var v = staple / k.unsqueeze(-1).unsqueeze(-1);
        var alpha = (k * Beta).clamp_min(1e-9).reshape(-1);
        var x0 = zeros(alpha.shape[0], dtype: ScalarType.Float64);
        // Only the sites updated now are drawn; each round redraws just the rejected ones.
        var pending = mask.squeeze(-1).squeeze(-1).expand(sites).reshape(-1).nonzero().squeeze(1);
        for (int iteration = 0; pending.shape[0] > 0; iteration++)
        {
            if (iteration > 10_000) throw new InvalidOperationException("Heat bath: the x_0 draw did not finish.");
            long m = pending.shape[0];
            var a = alpha.index_select(0, pending);
            // Creutz: x_0 from e^{α x_0} on [−1, 1] by inversion, accepted with √(1 − x_0²).
            var y = rand(m, dtype: ScalarType.Float64, generator: generator);
            var creutz = 1 + ((-2 * a).exp() + y * (1 - (-2 * a).exp())).log() / a;
            var creutzOk = rand(m, dtype: ScalarType.Float64, generator: generator) <= (1 - creutz.square()).clamp_min(0).sqrt();
            // Kennedy–Pendleton: λ² = −(ln r_1 + cos²(2π r_2) ln r_3)/(2α), accepted if r_4² ≤ 1 − λ²; x_0 = 1 − 2λ².
            var r1 = 1 - rand(m, dtype: ScalarType.Float64, generator: generator);
            var r2 = rand(m, dtype: ScalarType.Float64, generator: generator);
            var r3 = 1 - rand(m, dtype: ScalarType.Float64, generator: generator);
            var r4 = rand(m, dtype: ScalarType.Float64, generator: generator);
            var lambda2 = -(r1.log() + (2 * Math.PI * r2).cos().square() * r3.log()) / (2 * a);
            var useCreutz = a < 2;
            var candidate = where(useCreutz, creutz, 1 - 2 * lambda2);
            var ok = where(useCreutz, creutzOk, r4.square() <= 1 - lambda2);
            x0.index_copy_(0, pending.masked_select(ok), candidate.masked_select(ok));
            pending = pending.masked_select(ok.logical_not());
        }
        x0 = x0.reshape(sites);
        var direction = randn(sites.Append(3).ToArray(), dtype: ScalarType.Float64, generator: generator);
        direction = direction / direction.norm(-1, keepdim: true) * (1 - x0.square()).clamp_min(0).sqrt().unsqueeze(-1);
        var x = GaugeLinks.FromQuaternion(cat(new[] { x0.unsqueeze(-1), direction }, -1));
        return x.MatMulChecked(GaugeLinks.Dagger(v));
    }
}
