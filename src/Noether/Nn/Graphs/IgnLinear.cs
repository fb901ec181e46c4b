using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Graphs;

/// <summary>Which tensors an <see cref="IgnLinear"/> maps between.</summary>
public enum IgnOrders
{
    /// <summary>(batch, n, n, c) → (batch, n, n, c'): 15 basis maps.</summary>
    EdgeToEdge,
    /// <summary>(batch, n, c) → (batch, n, n, c'): 5 basis maps.</summary>
    NodeToEdge,
    /// <summary>(batch, n, n, c) → (batch, n, c'): 5 basis maps.</summary>
    EdgeToNode,
}

/// <summary>A permutation-equivariant linear layer of an invariant graph network (2-IGN): a learned combination
/// y = Σ_k L_k(x) W_k + bias of the <see cref="IgnBasis"/> maps, with one c × c' weight per basis map.</summary>
/// <remarks>
/// Equivariance: S_n permuting the node axes (both axes of an edge tensor at once). Biases are the equivariant
/// constants: for edge outputs one everywhere and one on the diagonal, for node outputs one everywhere.
/// Tensors are dense and of one size n per batch.
/// Reference: Maron et al. 2019, "Invariant and Equivariant Graph Networks".
/// </remarks>
/// <example><code>var layer = new IgnLinear(IgnOrders.EdgeToEdge, 1, 16);  var y = layer.forward(adjacency.unsqueeze(-1));</code></example>
public sealed class IgnLinear : Module<Tensor, Tensor>, IEquivariant
{
    private readonly int _outChannels;   // for the declared types
    private readonly Parameter weight;    // registered; read by name, since .to(dtype) replaces them
    private readonly Parameter bias;
    private readonly Parameter? diagonalBias;

    /// <summary>Creates the layer.</summary>
    public IgnLinear(IgnOrders orders, int inChannels, int outChannels) : base(nameof(IgnLinear))
    {
        _outChannels = outChannels;
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "Expected ≥ 1.");
        if (outChannels < 1) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "Expected ≥ 1.");
        Orders = orders;
        InChannels = inChannels;
        int k = orders == IgnOrders.EdgeToEdge ? IgnBasis.EdgeToEdgeCount : IgnBasis.NodeToEdgeCount;
        weight = new Parameter((randn(k, inChannels, outChannels) * Math.Sqrt(2.0 / (k * inChannels))).DetachFromDisposeScope());
        bias = new Parameter(zeros(outChannels).DetachFromDisposeScope());
        if (orders != IgnOrders.EdgeToNode) diagonalBias = new Parameter(zeros(outChannels).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>The orders mapped between.</summary>
    public IgnOrders Orders { get; }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { Tensors(Orders is IgnOrders.NodeToEdge ? 1 : 2, InChannels) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { Tensors(Orders is IgnOrders.EdgeToNode ? 1 : 2, _outChannels) };

    /// <summary>Order-k tensors (batch, n, …, n, channels): all k node axes permuted together.</summary>
    private static PermutationType Tensors(int order, int channels) =>
        new(Enumerable.Repeat(-1L, order).Append(channels).ToArray(), Enumerable.Range(1, order).ToArray());

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.shape[^1] != InChannels)
            throw new ArgumentException($"Expected {InChannels} channels in the last axis; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var w = get_parameter("weight")!;
        Tensor y;
        switch (Orders)
        {
            case IgnOrders.EdgeToNode:
                return (einsum("bknc,kcd->bnd", IgnBasis.EdgeToNode(input), w) + get_parameter("bias")!).MoveToOuterDisposeScope();
            case IgnOrders.EdgeToEdge:
                y = einsum("bknmc,kcd->bnmd", IgnBasis.EdgeToEdge(input), w);
                break;
            default:
                y = einsum("bknmc,kcd->bnmd", IgnBasis.NodeToEdge(input), w);
                break;
        }
        var identity = eye(y.shape[1], dtype: y.dtype, device: y.device).unsqueeze(2);
        return (y + get_parameter("bias")! + identity * get_parameter("diagonalBias")!).MoveToOuterDisposeScope();
    }
}
