using Noether.Representations;
using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>E(n)-equivariant graph neural network (EGNN) on fully connected point sets: an embedding of the
/// invariant node features, then <see cref="EgnnLayer"/>s that update features and coordinates together.</summary>
/// <remarks>
/// <para>Equivariance: E(3) (exact) for the coordinates it returns; the features it returns are invariant.
/// With <c>velocity</c> each layer adds φ_v(h_i) v_i to the coordinates (the EGNN paper's N-body model).</para>
/// <para>Shapes: node features (B, N, F), positions (B, N, 3), velocities (B, N, 3) or null, edge attributes
/// (B, N, N, A) or null → (features (B, N, H), positions (B, N, 3)).
/// Reference: Satorras, Hoogeboom and Welling, "E(n) Equivariant Graph Neural Networks", ICML 2021.</para>
/// </remarks>
/// <example><code>var egnn = new Egnn(nodeFeatures: 1, edgeAttributes: 2, hidden: 64, layers: 4, velocity: true);
/// var (_, predicted) = egnn.Forward(speeds, positions, velocities, edgeAttributes);</code></example>
public sealed class Egnn : Module, IEquivariant
{
    private readonly Linear _embedding;
    private readonly ModuleList<EgnnLayer> _layers;

    /// <summary>Invariant node features F.</summary>
    public int NodeFeatures { get; }
    /// <summary>Whether the layers use velocities.</summary>
    public bool UsesVelocity { get; }

    /// <summary>Creates the network; weights from the global torch generator.</summary>
    public Egnn(int nodeFeatures, int edgeAttributes, int hidden, int layers, bool velocity) : base(nameof(Egnn))
    {
        if (nodeFeatures < 1) throw new ArgumentOutOfRangeException(nameof(nodeFeatures), nodeFeatures, "Need at least one node feature.");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "Need at least one layer.");
        (NodeFeatures, UsesVelocity) = (nodeFeatures, velocity);
        _embedding = Linear(nodeFeatures, hidden);
        _layers = new ModuleList<EgnnLayer>(Enumerable.Range(0, layers).Select(_ => new EgnnLayer(hidden, edgeAttributes, velocity)).ToArray());
        RegisterComponents();
    }

    /// <summary>How every layer is evaluated (tests pin one path; see <see cref="EgnnLayer.Path"/>).</summary>
    internal EgnnPath Path
    {
        get => _layers[0].Path;
        set
        {
            foreach (var layer in _layers) layer.Path = value;
        }
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => EgnnLayer.EgnnInputs(NodeFeatures, UsesVelocity, _layers[0].EdgeAttributes);

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new TrivialAction(Noether.Groups.Group.O3, -1, _layers[0].Hidden), new IrrepsAction(1, Irreps.Empty) { PerPoint = true } };

    /// <summary>Runs <see cref="Forward"/> on the tensors of the declared input types, in order.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        int expected = 2 + (UsesVelocity ? 1 : 0) + (_layers[0].EdgeAttributes > 0 ? 1 : 0);
        if (inputs.Count != expected)
            throw new ArgumentException($"Expected {expected} tensors (features, positions{(UsesVelocity ? ", velocities" : "")}{(_layers[0].EdgeAttributes > 0 ? ", edge attributes" : "")}); got {inputs.Count}.", nameof(inputs));
        var (features, positions) = Forward(inputs[0], inputs[1], UsesVelocity ? inputs[2] : null, _layers[0].EdgeAttributes > 0 ? inputs[^1] : null);
        return new[] { features, positions };
    }

    /// <summary>Runs the network.</summary>
    public (Tensor Features, Tensor Positions) Forward(Tensor nodeFeatures, Tensor positions, Tensor? velocities = null, Tensor? edgeAttributes = null)
    {
        PointsValidation.CheckPositions(positions, nameof(positions));
        if (positions.dim() != 3) throw new ArgumentException($"Expected positions (B, N, 3); got [{string.Join(", ", positions.shape)}].", nameof(positions));
        if (nodeFeatures.dim() != 3 || nodeFeatures.shape[2] != NodeFeatures || nodeFeatures.shape[1] != positions.shape[1])
            throw new ArgumentException($"Expected node features (B, N, {NodeFeatures}); got [{string.Join(", ", nodeFeatures.shape)}].", nameof(nodeFeatures));
        using var scope = torch.NewDisposeScope();
        var h = _embedding.forward(nodeFeatures);
        var x = positions;
        foreach (var layer in _layers)
            (h, x) = layer.Forward(h, x, velocities, edgeAttributes);
        return (h.MoveToOuterDisposeScope(), x.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override string ToString() => $"Egnn({NodeFeatures} features, {_layers.Count} layers{(UsesVelocity ? ", velocity" : "")})";
}
