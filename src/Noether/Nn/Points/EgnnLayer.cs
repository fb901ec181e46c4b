using Noether.Representations;
using Noether.Equivariance;
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
public sealed class EgnnLayer : Module, IEquivariant
{
    private readonly Sequential _edge;
    private readonly Sequential _coordinate;
    private readonly Sequential _node;
    private readonly Sequential? _velocity;
    // The Linear layers inside the four MLPs, in order (the modules are fixed; their parameter tensors are read at
    // each call, since .to() and load_state_dict may replace them).
    private readonly Linear[] _edgeLinears, _coordinateLinears, _nodeLinears;
    private readonly Linear[]? _velocityLinears;

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
        _edgeLinears = _edge.children().OfType<Linear>().ToArray();
        _coordinateLinears = _coordinate.children().OfType<Linear>().ToArray();
        _nodeLinears = _node.children().OfType<Linear>().ToArray();
        _velocityLinears = _velocity?.children().OfType<Linear>().ToArray();
        RegisterComponents();
    }

    /// <summary>How the layer is evaluated (tests pin one path; users get <see cref="EgnnPath.Automatic"/>).</summary>
    internal EgnnPath Path { get; set; } = EgnnPath.Automatic;

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => EgnnInputs(Hidden, _velocity is not null, EdgeAttributes);

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new TrivialAction(Noether.Groups.Group.O3, -1, Hidden), new IrrepsAction(1, Irreps.Empty) { PerPoint = true } };

    /// <summary>The declared types: invariant node features (B, N, H), positions (B, N, 3) rotated and reflected by O(3),
    /// then velocities (B, N, 3) when used and invariant edge attributes (B, N, N, A) when A &gt; 0.</summary>
    internal static ITensorType[] EgnnInputs(int features, bool velocity, int edgeAttributes)
    {
        var types = new List<ITensorType>
        {
            new TrivialAction(Noether.Groups.Group.O3, -1, features),
            new IrrepsAction(1, Irreps.Empty) { PerPoint = true },
        };
        if (velocity) types.Add(new IrrepsAction(1, Irreps.Empty) { PerPoint = true });
        if (edgeAttributes > 0) types.Add(new TrivialAction(Noether.Groups.Group.O3, -1, -1, edgeAttributes));
        return types.ToArray();
    }

    /// <summary>Runs <see cref="Forward"/> on the tensors of the declared input types, in order.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int expected = 2 + (_velocity is not null ? 1 : 0) + (EdgeAttributes > 0 ? 1 : 0);
        if (inputs.Count != expected)
            throw new ArgumentException($"Expected {expected} tensors (features, positions{(_velocity is not null ? ", velocities" : "")}{(EdgeAttributes > 0 ? ", edge attributes" : "")}); got {inputs.Count}.", nameof(inputs));
        var (features, positions) = Forward(inputs[0], inputs[1], _velocity is not null ? inputs[2] : null, EdgeAttributes > 0 ? inputs[^1] : null);
        return new[] { features, positions };
    }

    /// <summary>Updates node features and coordinates.</summary>
    /// <remarks>For float32 on CPUs with accelerated 512-bit vectors and widths that are multiples of 16 the layer runs
    /// as one fused kernel with its own backward pass (<see cref="EgnnKernel"/>), elsewhere as tensor operations
    /// (<see cref="EgnnFused.TensorForm"/>); the two agree to rounding, values and gradients.</remarks>
    public (Tensor H, Tensor X) Forward(Tensor h, Tensor x, Tensor? v, Tensor? edgeAttributes)
    {
        using var scope = torch.NewDisposeScope();
        var (b, n) = (x.shape[0], x.shape[1]);
        if (h.dim() != 3 || h.shape[0] != b || h.shape[1] != n || h.shape[2] != Hidden)
            throw new ArgumentException($"Expected node features ({b}, {n}, {Hidden}); got [{string.Join(", ", h.shape)}].", nameof(h));
        Tensor? attributes = null;
        if (EdgeAttributes > 0)
        {
            if (edgeAttributes is null)
                throw new ArgumentException($"This layer needs edge attributes (B, N, N, {EdgeAttributes}).", nameof(edgeAttributes));
            if (edgeAttributes.dim() != 4 || edgeAttributes.shape[0] != b || edgeAttributes.shape[1] != n || edgeAttributes.shape[2] != n
                || edgeAttributes.shape[3] != EdgeAttributes)
                throw new ArgumentException($"Expected edge attributes ({b}, {n}, {n}, {EdgeAttributes}); got [{string.Join(", ", edgeAttributes.shape)}].",
                    nameof(edgeAttributes));
            attributes = edgeAttributes.to_type(x.dtype);
        }
        if (_velocity is not null)
        {
            if (v is null) throw new ArgumentException("The velocity variant needs velocities (B, N, 3).", nameof(v));
            if (v.dim() != 3 || v.shape[0] != b || v.shape[1] != n || v.shape[2] != 3)
                throw new ArgumentException($"Expected velocities ({b}, {n}, 3); got [{string.Join(", ", v.shape)}].", nameof(v));
            v = v.to_type(x.dtype);
        }
        var weights = Weights();
        var (hNew, xNew) = EgnnFused.UsesKernel(Path, h, x, attributes)
            ? EgnnFused.Fused(h, x, v, attributes, weights)
            : EgnnFused.TensorForm(h, x, v, attributes, weights);
        return (hNew.MoveToOuterDisposeScope(), xNew.MoveToOuterDisposeScope());
    }

    /// <summary>The layer's parameters in the order the fused and tensor forms take them.</summary>
    private EgnnLayerWeights Weights()
    {
        var (edge, coordinate, node, velocity) = (_edgeLinears, _coordinateLinears, _nodeLinears, _velocityLinears);
        return new EgnnLayerWeights(edge[0].weight!, edge[0].bias!, edge[1].weight!, edge[1].bias!,
            coordinate[0].weight!, coordinate[0].bias!, coordinate[1].weight!,
            node[0].weight!, node[0].bias!, node[1].weight!, node[1].bias!,
            velocity?[0].weight, velocity?[0].bias, velocity?[1].weight, velocity?[1].bias);
    }
}
