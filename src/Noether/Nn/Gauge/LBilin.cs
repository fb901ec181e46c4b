using Noether.Runtime;
using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>Lattice gauge-equivariant bilinear layer (L-Bilin): complex linear combinations of the
/// site-wise matrix products of two sets of adjoint features.</summary>
/// <remarks>
/// W''_i(x) = Σ_{j,k} α_{ijk} A_j(x) B_k(x), where A and B are each extended by the identity channel
/// A_0 = B_0 = 1, so the output also holds the linear terms A_j, B_k and a constant (as in the paper).
/// Products of adjoint fields are adjoint: Ω A Ω† Ω B Ω† = Ω (A B) Ω†, so the layer is exactly gauge
/// equivariant, and translation equivariant (it acts site by site).
/// Shapes: (batch, a, L.., N, N) and (batch, b, L.., N, N) → (batch, out, L.., N, N), complex.
/// Reference: Favoni et al., PRL 128, 032003 (2022), eq. (6).
/// </remarks>
/// <example><code>var bilin = new LBilin(leftChannels: 4, rightChannels: 2, outChannels: 4);
/// var w = bilin.forward(convolved, input);</code></example>
public sealed class LBilin : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly Parameter weight_real;
    private readonly Parameter weight_imag;

    /// <summary>Creates the layer.</summary>
    /// <param name="leftChannels">channels of A (≥ 1).</param>
    /// <param name="rightChannels">channels of B (≥ 1).</param>
    /// <param name="outChannels">output channels (≥ 1).</param>
    /// <param name="seed">seed of the initial weights.</param>
    public LBilin(int leftChannels, int rightChannels, int outChannels, long seed = 0) : base(nameof(LBilin))
    {
        if (leftChannels < 1 || rightChannels < 1 || outChannels < 1)
            throw new ArgumentException($"Channels must be ≥ 1; got {leftChannels} × {rightChannels} → {outChannels}.", nameof(leftChannels));
        LeftChannels = leftChannels;
        RightChannels = rightChannels;
        OutChannels = outChannels;
        int pairs = (leftChannels + 1) * (rightChannels + 1);
        var generator = new Generator((ulong)seed);
        double scale = Math.Sqrt(0.5 / pairs);
        weight_real = new Parameter((randn(outChannels, pairs, generator: generator) * scale).DetachFromDisposeScope());
        weight_imag = new Parameter((randn(outChannels, pairs, generator: generator) * scale).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>Channels of the left factor.</summary>
    public int LeftChannels { get; }

    /// <summary>Channels of the right factor.</summary>
    public int RightChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, LeftChannels), new AdjointFieldType(Group, Dimensions, RightChannels) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new AdjointFieldType(Group, Dimensions, OutChannels) };

    /// <summary>The gauge group of the declared types (<see cref="IEquivariant"/>); the layer itself works for any.</summary>
    public GaugeGroup Group { get; init; } = GaugeGroup.SU2;

    /// <summary>The lattice dimension d of the declared types; the layer itself works for any.</summary>
    public int Dimensions { get; init; } = 2;

    /// <inheritdoc />
    public override Tensor forward(Tensor left, Tensor right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var wr = get_parameter("weight_real")!;
        using var scope = NewDisposeScope();
        var type = GaugeFeatures.ComplexType(wr.dtype);
        if (!left.is_complex() || !right.is_complex() || left.shape[1] != LeftChannels || right.shape[1] != RightChannels
            || !left.shape.Skip(2).SequenceEqual(right.shape.Skip(2)) || left.shape[0] != right.shape[0])
            throw new ArgumentException($"LBilin expects complex features (batch, {LeftChannels}, L.., N, N) and (batch, {RightChannels}, L.., N, N) on the same lattice; got [{string.Join(", ", left.shape)}] and [{string.Join(", ", right.shape)}].", nameof(right));
        var a = WithIdentity(left.to_type(type));
        var b = WithIdentity(right.to_type(type));
        // (batch, a+1, 1, L.., N, N) @ (batch, 1, b+1, L.., N, N): every pair of channels, site by site.
        var products = a.unsqueeze(2).MatMulChecked(b.unsqueeze(1));
        var shape = products.shape;
        var flat = products.reshape(new[] { shape[0], shape[1] * shape[2] }.Concat(shape.Skip(3)).ToArray());
        var weight = torch.complex(wr, get_parameter("weight_imag")!);
        return GaugeFeatures.Mix(weight, flat).MoveToOuterDisposeScope();
    }

    private static Tensor WithIdentity(Tensor w)
    {
        var shape = w.shape.ToArray();
        shape[1] = 1;
        var identity = GaugeLinks.Identity(GaugeGroupExtensions.FromMatrixSize(shape[^1]), w.dtype).expand(shape);
        return cat(new[] { identity, w }, 1);
    }

    /// <inheritdoc />
    public override string ToString() => $"LBilin({LeftChannels} x {RightChannels} -> {OutChannels})";
}
