using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>Lattice gauge-equivariant convolution (L-Conv): parallel-transports the adjoint features of
/// the neighbours along each axis to the site, then takes complex linear combinations.</summary>
/// <remarks>
/// W'_i(x) = b_i 1 + Σ_{j, μ, k=−K..K} ω_{i j μ k} U_{x→x+kμ̂} W_j(x + kμ̂) U_{x→x+kμ̂}†, where
/// U_{x→x+kμ̂} = U_μ(x) U_μ(x+μ̂) ⋯ is the straight Wilson line (for k &lt; 0 the line backwards, built
/// from daggers). The transport is done recursively, one link per step, for all sites at once.
/// Equivariance: gauge (W_i(x) → Ω(x) W_i(x) Ω(x)†, links as in <see cref="GaugeTransformation"/>) exactly,
/// and lattice translations. Weights and bias are complex, stored as real and imaginary parameters.
/// Shapes: links (batch, d, L_1..L_d, N, N), features (batch, in, L_1..L_d, N, N) →
/// (batch, out, L_1..L_d, N, N), complex; the complex dtype follows the parameters (float32 → complex64).
/// Reference: Favoni, Ipp, Müller &amp; Schuh, "Lattice gauge equivariant convolutional neural networks",
/// PRL 128, 032003 (2022), eq. (5).
/// </remarks>
/// <example><code>var conv = new LConv(dimensions: 2, inChannels: 1, outChannels: 4, reach: 1);
/// var w2 = conv.forward(links, plaquettes);</code></example>
public sealed class LConv : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly Parameter weight_real;
    private readonly Parameter weight_imag;
    private readonly Parameter? bias_real;
    private readonly Parameter? bias_imag;

    /// <summary>Creates the layer.</summary>
    /// <param name="dimensions">d, the lattice dimension (≥ 1).</param>
    /// <param name="inChannels">adjoint input channels (≥ 1).</param>
    /// <param name="outChannels">adjoint output channels (≥ 1).</param>
    /// <param name="reach">K ≥ 0: neighbours up to K sites away along each axis (kernel size 2K + 1).</param>
    /// <param name="bias">whether to add b_i 1 (the identity is gauge covariant).</param>
    /// <param name="seed">seed of the initial weights.</param>
    public LConv(int dimensions, int inChannels, int outChannels, int reach = 1, bool bias = true, long seed = 0) : base(nameof(LConv))
    {
        if (dimensions < 1) throw new ArgumentException($"Lattice dimension must be ≥ 1; got {dimensions}.", nameof(dimensions));
        if (inChannels < 1 || outChannels < 1) throw new ArgumentException($"Channels must be ≥ 1; got {inChannels} → {outChannels}.", nameof(inChannels));
        if (reach < 0) throw new ArgumentException($"Reach must be ≥ 0; got {reach}.", nameof(reach));
        Dimensions = dimensions;
        InChannels = inChannels;
        OutChannels = outChannels;
        Reach = reach;
        int terms = inChannels * (1 + 2 * dimensions * reach);
        var generator = new Generator((ulong)seed);
        // Complex Gaussian with E|ω|² = 1/terms keeps the feature scale through the layer.
        double scale = Math.Sqrt(0.5 / terms);
        weight_real = new Parameter((randn(outChannels, terms, generator: generator) * scale).DetachFromDisposeScope());
        weight_imag = new Parameter((randn(outChannels, terms, generator: generator) * scale).DetachFromDisposeScope());
        if (bias)
        {
            bias_real = new Parameter(zeros(outChannels).DetachFromDisposeScope());
            bias_imag = new Parameter(zeros(outChannels).DetachFromDisposeScope());
        }
        RegisterComponents();
    }

    /// <summary>d.</summary>
    public int Dimensions { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>K, the largest transport distance.</summary>
    public int Reach { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new GaugeLinkType(Group, Dimensions), new AdjointFieldType(Group, Dimensions, InChannels) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, OutChannels) };

    /// <summary>The gauge group of the declared types (<see cref="IEquivariant"/>); the layer itself works for any.</summary>
    public GaugeGroup Group { get; init; } = GaugeGroup.SU2;

    /// <inheritdoc />
    public override Tensor forward(Tensor links, Tensor features)
    {
        var wr = get_parameter("weight_real")!;
        using var scope = NewDisposeScope();
        var (u, w) = GaugeFeatures.Prepare(links, features, Dimensions, InChannels, wr.dtype, nameof(LConv));
        var terms = new List<Tensor> { w };
        for (int mu = 0; mu < Dimensions; mu++)
        {
            var link = u.select(1, mu).unsqueeze(1);
            var forwardT = w;
            var backwardT = w;
            for (int k = 1; k <= Reach; k++)
            {
                forwardT = GaugeFeatures.TransportForward(link, forwardT, mu);
                backwardT = GaugeFeatures.TransportBackward(link, backwardT, mu);
                terms.Add(forwardT);
                terms.Add(backwardT);
            }
        }
        var stacked = cat(terms, 1);
        var weight = torch.complex(wr, get_parameter("weight_imag")!);
        var output = GaugeFeatures.Mix(weight, stacked);
        if (bias_real is not null)
        {
            var b = torch.complex(get_parameter("bias_real")!, get_parameter("bias_imag")!);
            var shape = new long[] { 1, OutChannels }.Concat(Enumerable.Repeat(1L, Dimensions)).Concat(new long[] { 1, 1 }).ToArray();
            output = output + b.reshape(shape) * GaugeLinks.Identity(GaugeLinks.Group(u), output.dtype);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"LConv(d={Dimensions}, {InChannels} -> {OutChannels}, reach {Reach})";
}
