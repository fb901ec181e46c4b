using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Groups;

/// <summary>Gauge-covariant loops and gauge-invariant observables of a lattice gauge field:
/// plaquettes, rectangular Wilson loops, Polyakov loops, the 2D U(1) topological charge.</summary>
/// <remarks>
/// Links: (batch, d, L_1..L_d, N, N) as in <see cref="GaugeLinks"/>. An untraced loop starting and
/// ending at x is a site field (batch, L_1..L_d, N, N) that transforms as Ω(x) W(x) Ω(x)†; its
/// normalised real trace (1/N) Re Tr W(x) is gauge invariant.
/// Wilson loop a×b in the (μ, ν) plane at x: the ordered product of links around the rectangle
/// x → x + aμ̂ → x + aμ̂ + bν̂ → x + bν̂ → x (Gattringer &amp; Lang, "Quantum Chromodynamics on the
/// Lattice", 2010, §3.3). The plaquette is the 1×1 loop.
/// </remarks>
public static class WilsonLoops
{
    /// <summary>The straight line of <paramref name="length"/> links from x along μ: U_μ(x) U_μ(x+μ̂) ⋯ U_μ(x+(length−1)μ̂).</summary>
    /// <param name="links">(batch, d, L_1..L_d, N, N).</param>
    /// <param name="mu">the direction.</param>
    /// <param name="length">the number of links, ≥ 1.</param>
    /// <returns>a site field (batch, L_1..L_d, N, N).</returns>
    public static Tensor Line(Tensor links, int mu, int length)
    {
        CheckDirection(links, mu, nameof(mu));
        if (length < 1) throw new ArgumentException($"A line needs at least one link; got length {length}.", nameof(length));
        using var scope = NewDisposeScope();
        var u = links.select(1, mu);
        var line = u;
        // line(x) ← line(x) · U_μ(x + k μ̂): one extra link per step, all sites at once.
        for (int k = 1; k < length; k++)
            line = line.MatMulChecked(GaugeLinks.Shift(u, mu, k, 1));
        return line.clone().MoveToOuterDisposeScope();
    }

    /// <summary>The untraced a×b Wilson loop in the (μ, ν) plane at every site:
    /// L_μ^a(x) L_ν^b(x + aμ̂) L_μ^a(x + bν̂)† L_ν^b(x)†.</summary>
    /// <param name="links">(batch, d, L_1..L_d, N, N).</param>
    /// <param name="mu">the first direction (extent <paramref name="a"/>).</param>
    /// <param name="nu">the second direction (extent <paramref name="b"/>), ≠ μ.</param>
    /// <param name="a">links along μ, ≥ 1.</param>
    /// <param name="b">links along ν, ≥ 1.</param>
    /// <returns>(batch, L_1..L_d, N, N), transforming as Ω(x) W Ω(x)†.</returns>
    public static Tensor Rectangle(Tensor links, int mu, int nu, int a, int b)
    {
        CheckDirection(links, mu, nameof(mu));
        CheckDirection(links, nu, nameof(nu));
        if (mu == nu) throw new ArgumentException($"A Wilson loop needs two different directions; got μ = ν = {mu}.", nameof(nu));
        using var scope = NewDisposeScope();
        var lineMu = Line(links, mu, a);
        var lineNu = Line(links, nu, b);
        var loop = lineMu
            .MatMulChecked(GaugeLinks.Shift(lineNu, mu, a, 1))
            .MatMulChecked(GaugeLinks.Dagger(GaugeLinks.Shift(lineMu, nu, b, 1)))
            .MatMulChecked(GaugeLinks.Dagger(lineNu));
        return loop.MoveToOuterDisposeScope();
    }

    /// <summary>The untraced plaquette P_μν(x) = U_μ(x) U_ν(x+μ̂) U_μ(x+ν̂)† U_ν(x)†.</summary>
    public static Tensor Plaquette(Tensor links, int mu, int nu) => Rectangle(links, mu, nu, 1, 1);

    /// <summary>The untraced Polyakov loop at x: the product of all L_μ links that wind once around direction μ.</summary>
    /// <returns>(batch, L_1..L_d, N, N); its trace does not depend on the coordinate x_μ.</returns>
    public static Tensor Polyakov(Tensor links, int mu)
    {
        CheckDirection(links, mu, nameof(mu));
        return Line(links, mu, (int)links.shape[2 + mu]);
    }

    /// <summary>(1/N) Re Tr of a site field of N×N matrices: the gauge-invariant value of a loop.</summary>
    /// <param name="loop">(..., N, N) complex.</param>
    /// <returns>(...) real.</returns>
    public static Tensor NormalizedTrace(Tensor loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        using var scope = NewDisposeScope();
        return (real(GaugeLinks.Trace(loop)) / loop.shape[^1]).MoveToOuterDisposeScope();
    }

    /// <summary>The average plaquette ⟨(1/N) Re Tr P_μν(x)⟩ over all sites and planes μ &lt; ν, per configuration.</summary>
    /// <returns>(batch,) real.</returns>
    public static Tensor AveragePlaquette(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        int d = GaugeLinks.Dimensions(links);
        if (d < 2) throw new ArgumentException($"Plaquettes need d ≥ 2; got d = {d}.", nameof(links));
        using var scope = NewDisposeScope();
        var planes = new List<Tensor>();
        for (int mu = 0; mu < d; mu++)
            for (int nu = mu + 1; nu < d; nu++)
                planes.Add(NormalizedTrace(Plaquette(links, mu, nu)).reshape(links.shape[0], -1));
        return cat(planes, 1).mean(new long[] { 1 }).MoveToOuterDisposeScope();
    }

    /// <summary>The topological charge density of a 2D U(1) field: q(x) = arg P_01(x) / 2π, arg ∈ (−π, π].</summary>
    /// <param name="links">(batch, 2, L_1, L_2, 1, 1).</param>
    /// <returns>(batch, L_1, L_2) real; its sum over sites is an integer on a periodic lattice.</returns>
    public static Tensor TopologicalChargeDensity(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (GaugeLinks.Dimensions(links) != 2 || links.shape[^1] != 1)
            throw new ArgumentException($"The topological charge is defined here for 2D U(1) links (batch, 2, L_1, L_2, 1, 1); got [{string.Join(", ", links.shape)}].", nameof(links));
        using var scope = NewDisposeScope();
        var p = Plaquette(links, 0, 1)[TensorIndex.Ellipsis, 0, 0];
        return (p.angle() / (2 * Math.PI)).MoveToOuterDisposeScope();
    }

    /// <summary>The topological charge Q = Σ_x q(x) of each 2D U(1) configuration (an integer up to rounding).</summary>
    /// <returns>(batch,) real.</returns>
    public static Tensor TopologicalCharge(Tensor links)
    {
        using var scope = NewDisposeScope();
        return TopologicalChargeDensity(links).sum(new long[] { 1, 2 }).MoveToOuterDisposeScope();
    }

    private static void CheckDirection(Tensor links, int mu, string name)
    {
        ArgumentNullException.ThrowIfNull(links);
        int d = GaugeLinks.Dimensions(links);
        if (d < 1 || links.shape[1] != d)
            throw new ArgumentException($"Links must have shape (batch, d, L_1..L_d, N, N); got [{string.Join(", ", links.shape)}].", nameof(links));
        if (mu < 0 || mu >= d) throw new ArgumentException($"Direction must be in 0..{d - 1}; got {mu}.", name);
    }
}
