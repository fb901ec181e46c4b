using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Which functions expand an interatomic distance in <see cref="RadialBasis"/>.</summary>
public enum RadialBasisKind
{
    /// <summary>e_n(r) = √(2/c) sin(nπ r / c) / r, n = 1…N (DimeNet, NequIP); finite at r = 0.</summary>
    Bessel,
    /// <summary>exp(−(r − μ_n)² / (2σ²)) with μ_n evenly spaced on [0, c] and σ their spacing (SchNet).</summary>
    Gaussian,
}

/// <summary>Expands distances in a radial basis, multiplied by a smooth polynomial cutoff that goes to zero
/// (with its first derivatives) at the cutoff radius.</summary>
/// <remarks>
/// <para>Math: out_n(r) = e_n(r) · f(r / c), with f the polynomial envelope of Klicpera et al. (DimeNet) for p = 6:
/// f(x) = 1 − (p+1)(p+2)/2 x^p + p(p+2) x^{p+1} − p(p+1)/2 x^{p+2} for x &lt; 1, 0 otherwise.</para>
/// <para>Invariant under E(3) (it sees only distances). Shapes: (...) → (..., Count).</para>
/// </remarks>
/// <example><code>var radial = new RadialBasis(RadialBasisKind.Bessel, count: 8, cutoff: 5.0);</code></example>
public sealed class RadialBasis : Module<Tensor, Tensor>
{
    /// <summary>The kind of functions.</summary>
    public RadialBasisKind Kind { get; }
    /// <summary>Number of functions.</summary>
    public int Count { get; }
    /// <summary>Cutoff radius c.</summary>
    public double Cutoff { get; }
    /// <summary>Exponent p of the envelope.</summary>
    public int Power { get; }

    /// <summary>Creates the basis.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 1, cutoff ≤ 0 or not finite, power &lt; 2.</exception>
    public RadialBasis(RadialBasisKind kind, int count, double cutoff, int power = 6) : base(nameof(RadialBasis))
    {
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown radial basis.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Need at least one basis function.");
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "Cutoff must be a positive finite radius.");
        if (power < 2) throw new ArgumentOutOfRangeException(nameof(power), power, "Envelope power must be ≥ 2.");
        (Kind, Count, Cutoff, Power) = (kind, count, cutoff, power);
        RegisterComponents();
    }

    /// <summary>The smooth envelope f(r / c) alone.</summary>
    /// <param name="distances">Any shape, non-negative.</param>
    public Tensor Envelope(Tensor distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        using var scope = torch.NewDisposeScope();
        double p = Power;
        var x = distances / Cutoff;
        var f = 1 - (p + 1) * (p + 2) / 2 * x.pow(p) + p * (p + 2) * x.pow(p + 1) - p * (p + 1) / 2 * x.pow(p + 2);
        return torch.where(x < 1, f, torch.zeros_like(f)).MoveToOuterDisposeScope();
    }

    /// <summary>The basis times the envelope.</summary>
    /// <param name="distances">Any shape, non-negative.</param>
    public override Tensor forward(Tensor distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        using var scope = torch.NewDisposeScope();
        var n = torch.arange(1, Count + 1, dtype: distances.dtype, device: distances.device);
        var r = distances.unsqueeze(-1);
        Tensor basis;
        if (Kind == RadialBasisKind.Bessel)
            // sin(nπr/c)/r = (nπ/c) sinc(nr/c), finite at r = 0.
            basis = Math.Sqrt(2 / Cutoff) * (n * Math.PI / Cutoff) * torch.sinc(n * r / Cutoff);
        else
        {
            var spacing = Cutoff / Math.Max(Count - 1, 1);
            var centres = (n - 1) * spacing;
            basis = (-(r - centres).square() / (2 * spacing * spacing)).exp();
        }
        return (basis * Envelope(distances).unsqueeze(-1)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"RadialBasis({Kind}, {Count}, cutoff {Cutoff})";
}
