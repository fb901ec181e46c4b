using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>One E(n)-equivariant graph convolution (Satorras, Hoogeboom and Welling 2021, eqs. 3–6 and 7 for the
/// velocity variant) on fully connected graphs, batched densely as (batch, nodes, ·).</summary>
/// <remarks>
/// <para>Math: m_ij = φ_e(h_i, h_j, ‖x_i − x_j‖², a_ij); x_i' = x_i + Σ_{j≠i} (x_i − x_j) φ_x(m_ij) / (N − 1)
/// [+ φ_v(h_i) v_i]; h_i' = h_i + φ_h(h_i, Σ_{j≠i} m_ij). φ's are two-layer SiLU MLPs; the last layer of φ_x starts
/// at 0.001 scale (as the reference code) so that early updates are small.</para>
/// <para>Equivariance: E(3) (exact): h invariant, x equivariant to rotations, reflections and translations,
/// v to rotations and reflections. Shapes: h (B, N, H), x (B, N, 3), v (B, N, 3) or null, a (B, N, N, A) or null.</para>
/// </remarks>
public sealed class EgnnLayer : Module
{
    private readonly Sequential _edge;
    private readonly Sequential _coordinate;
    private readonly Sequential _node;
    private readonly Sequential? _velocity;

    /// <summary>Hidden width H.</summary>
    public int Hidden { get; }
    /// <summary>Edge attributes A.</summary>
    public int EdgeAttributes { get; }

    /// <summary>Creates the layer.</summary>
    public EgnnLayer(int hidden, int edgeAttributes, bool velocity) : base(nameof(EgnnLayer))
    {
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "Hidden width must be ≥ 1.");
        if (edgeAttributes < 0) throw new ArgumentOutOfRangeException(nameof(edgeAttributes), edgeAttributes, "Edge attributes must be ≥ 0.");
        (Hidden, EdgeAttributes) = (hidden, edgeAttributes);
        _edge = Sequential(Linear(2 * hidden + 1 + edgeAttributes, hidden), SiLU(), Linear(hidden, hidden), SiLU());
        var last = Linear(hidden, 1, hasBias: false);
        using (torch.no_grad()) init.xavier_uniform_(last.weight!, gain: 0.001);
        _coordinate = Sequential(Linear(hidden, hidden), SiLU(), last);
        _node = Sequential(Linear(2 * hidden, hidden), SiLU(), Linear(hidden, hidden));
        if (velocity) _velocity = Sequential(Linear(hidden, hidden), SiLU(), Linear(hidden, 1));
        RegisterComponents();
    }

    /// <summary>Updates node features and coordinates.</summary>
    public (Tensor H, Tensor X) Forward(Tensor h, Tensor x, Tensor? v, Tensor? edgeAttributes)
    {
        using var scope = torch.NewDisposeScope();
        var (b, n) = (x.shape[0], x.shape[1]);
        var diff = x.unsqueeze(2) - x.unsqueeze(1);                       // (B, N, N, 3): x_i − x_j
        var radial = diff.square().sum(-1, keepdim: true);                 // (B, N, N, 1)
        // φ_e's first linear layer on [h_i, h_j, r_ij, a_ij] splits into W_i h_i + W_j h_j + [r_ij, a_ij] W_s + b: the
        // node terms are computed once per node instead of once per edge (N times fewer products), and the per-edge
        // scalars enter through one fused multiply-add on top of the broadcast node sum (two edge-sized operations).
        var layers = _edge.children().ToArray();
        var first = (Linear)layers[0];
        var weight = first.weight!;
        var scalars = radial;
        if (EdgeAttributes > 0)
        {
            if (edgeAttributes is null)
                throw new ArgumentException($"This layer needs edge attributes (B, N, N, {EdgeAttributes}).", nameof(edgeAttributes));
            if (edgeAttributes.dim() != 4 || edgeAttributes.shape[0] != b || edgeAttributes.shape[1] != n || edgeAttributes.shape[2] != n
                || edgeAttributes.shape[3] != EdgeAttributes)
                throw new ArgumentException($"Expected edge attributes ({b}, {n}, {n}, {EdgeAttributes}); got [{string.Join(", ", edgeAttributes.shape)}].",
                    nameof(edgeAttributes));
            scalars = torch.cat(new[] { radial, edgeAttributes.to_type(radial.dtype) }, -1);
        }
        var nodes = (functional.linear(h, weight.narrow(1, 0, Hidden), first.bias).unsqueeze(2)
                     + functional.linear(h, weight.narrow(1, Hidden, Hidden)).unsqueeze(1)).view(-1, Hidden);
        var m = torch.addmm(nodes, scalars.view(-1, 1 + EdgeAttributes), weight.narrow(1, 2 * Hidden, 1 + EdgeAttributes).t(), 1, 1)
            .view(b, n, n, Hidden);
        for (var k = 1; k < layers.Length; k++) m = ((Module<Tensor, Tensor>)layers[k]).forward(m);
        // Self-pairs (i = j) are computed with the rest and dropped from the sums: x_i − x_i = 0 removes them from
        // the coordinate update, and the message sum subtracts m_ii (cheaper than masking every edge).
        var shift = (diff * _coordinate.forward(m)).sum(2) / Math.Max(n - 1, 1);
        var xNew = x + shift;
        if (_velocity is not null)
        {
            if (v is null) throw new ArgumentException("The velocity variant needs velocities (B, N, 3).", nameof(v));
            xNew = xNew + _velocity.forward(h) * v;
        }
        var messages = m.sum(2) - m.diagonal(0, 1, 2).transpose(1, 2);                // Σ_{j≠i} m_ij: (B, N, H)
        var hNew = h + _node.forward(torch.cat(new[] { h, messages }, -1));
        return (hNew.MoveToOuterDisposeScope(), xNew.MoveToOuterDisposeScope());
    }
}
