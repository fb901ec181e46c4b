using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Plain message passing on fully connected point sets, with coordinates fed in as ordinary features:
/// the non-equivariant GNN baseline of the EGNN paper.</summary>
/// <remarks>
/// <para>Math: h⁰ = Linear(f); m_ij = φ_e(h_i, h_j, a_ij); h_i ← h_i + φ_h(h_i, Σ_{j≠i} m_ij); out = Linear(h).
/// Permutation equivariant, but not rotation or translation equivariant (it sees raw coordinates).</para>
/// <para>Shapes: node features (B, N, F), edge attributes (B, N, N, A) or null → (B, N, Outputs).</para>
/// </remarks>
public sealed class PointGnn : Module, IEquivariant
{
    private readonly Linear _embedding;
    private readonly ModuleList<Sequential> _edges;
    private readonly ModuleList<Sequential> _nodes;
    private readonly Linear _decoder;

    /// <summary>Node input features F.</summary>
    public int NodeFeatures { get; }
    /// <summary>Edge attributes A.</summary>
    public int EdgeAttributes { get; }

    /// <summary>Creates the network.</summary>
    public PointGnn(int nodeFeatures, int edgeAttributes, int hidden, int layers, int outputs) : base(nameof(PointGnn))
    {
        if (nodeFeatures < 1 || hidden < 1 || layers < 1 || outputs < 1 || edgeAttributes < 0)
            throw new ArgumentException($"Sizes must be positive; got features {nodeFeatures}, edge attributes {edgeAttributes}, hidden {hidden}, layers {layers}, outputs {outputs}.");
        (NodeFeatures, EdgeAttributes) = (nodeFeatures, edgeAttributes);
        _embedding = Linear(nodeFeatures, hidden);
        _edges = new ModuleList<Sequential>(Enumerable.Range(0, layers).Select(_ =>
            Sequential(Linear(2 * hidden + edgeAttributes, hidden), SiLU(), Linear(hidden, hidden), SiLU())).ToArray());
        _nodes = new ModuleList<Sequential>(Enumerable.Range(0, layers).Select(_ =>
            Sequential(Linear(2 * hidden, hidden), SiLU(), Linear(hidden, hidden))).ToArray());
        _decoder = Linear(hidden, outputs);
        RegisterComponents();
    }

    /// <summary>The declared types: permutations of the points — node features (B, N, F) along axis 1, edge attributes
    /// (B, N, N, A) along axes 1 and 2 — and node outputs (B, N, Outputs) along axis 1. (It is no more: coordinates fed as
    /// features are not rotated with the points.)</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => EdgeAttributes > 0
        ? new ITensorType[] { PermutationType.SetFeatures(NodeFeatures), new PermutationType(new long[] { -1, -1, EdgeAttributes }, new[] { 1, 2 }) }
        : new ITensorType[] { PermutationType.SetFeatures(NodeFeatures) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { PermutationType.SetFeatures((int)_decoder.out_features) };

    /// <summary>Runs <see cref="Forward"/> on node features and, when the network has them, edge attributes.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int expected = EdgeAttributes > 0 ? 2 : 1;
        if (inputs.Count != expected) throw new ArgumentException($"Expected {expected} tensor(s); got {inputs.Count}.", nameof(inputs));
        return new[] { Forward(inputs[0], EdgeAttributes > 0 ? inputs[1] : null) };
    }

    /// <summary>Runs the network.</summary>
    public Tensor Forward(Tensor nodeFeatures, Tensor? edgeAttributes = null)
    {
        ArgumentNullException.ThrowIfNull(nodeFeatures);
        if (nodeFeatures.dim() != 3 || nodeFeatures.shape[2] != NodeFeatures)
            throw new ArgumentException($"Expected node features (B, N, {NodeFeatures}); got [{string.Join(", ", nodeFeatures.shape)}].", nameof(nodeFeatures));
        using var scope = torch.NewDisposeScope();
        var (b, n) = (nodeFeatures.shape[0], nodeFeatures.shape[1]);
        var h = _embedding.forward(nodeFeatures);
        var hidden = h.shape[2];
        var offDiagonal = (1 - torch.eye(n, dtype: h.dtype, device: h.device)).view(1, n, n, 1);
        for (var k = 0; k < _edges.Count; k++)
        {
            var parts = new List<Tensor> { h.unsqueeze(2).expand(b, n, n, hidden), h.unsqueeze(1).expand(b, n, n, hidden) };
            if (EdgeAttributes > 0) parts.Add(edgeAttributes ?? throw new ArgumentException("Edge attributes are required.", nameof(edgeAttributes)));
            var m = _edges[k].forward(torch.cat(parts.ToArray(), -1)) * offDiagonal;
            h = h + _nodes[k].forward(torch.cat(new[] { h, m.sum(2) }, -1));
        }
        return _decoder.forward(h).MoveToOuterDisposeScope();
    }
}
