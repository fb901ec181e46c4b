using Noether.Runtime;
using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>An interaction network on irreps (NequIP-like): per-atom scalar attributes are embedded, refined by
/// <see cref="InteractionBlock"/>s over all pairs within the cutoff, and read out per atom as <see cref="Out"/>;
/// <see cref="Energy"/> sums per-atom energies and <see cref="EnergyAndForces"/> differentiates them.</summary>
/// <remarks>
/// <para>Outputs: per-atom features of any irreps (invariant <c>"0e"</c>, pseudoscalar <c>"0o"</c>, vectors <c>"1o"</c>…);
/// pooled sums are then invariant/equivariant per system. Energy E = Σ_i ε_i with ε_i the first output (must be 0e);
/// forces F = −∂E/∂x by autograd, so they are exactly equivariant and conservative.</para>
/// <para>Equivariance: E(3) (exact): translations (only relative vectors), rotations and reflections (with parity).
/// Shapes: positions (B, N, 3), attributes (B, N, A), mask (B, N) (1 = atom present) or null → (B, N, Out.Dim).
/// Pairs are batched densely (B·N·N edges), which suits molecules and clusters of up to ~100 atoms.
/// Reference: Batzner et al., "E(3)-equivariant graph neural networks for data-efficient and accurate interatomic
/// potentials" (NequIP), Nat. Commun. 2022; Thomas et al. 2018, "Tensor field networks".</para>
/// </remarks>
/// <example><code>var tfn = new TensorFieldNetwork(attributes: 1, Irreps.Parse("8x0e+8x0o+4x1o+4x1e"), Irreps.Parse("7x0e+1x0o"), layers: 3, cutoff: 3.0);</code></example>
public sealed class TensorFieldNetwork : Module, IEquivariant
{
    private readonly IrrepsLinear _embedding;
    private readonly ModuleList<InteractionBlock> _blocks;
    private readonly IrrepsLinear _readout;
    private readonly SphericalHarmonicsEmbedding _harmonics;
    private readonly RadialBasis _radial;
    private readonly double _neighbourScale;

    /// <summary>Per-atom scalar attributes A.</summary>
    public int Attributes { get; }
    /// <summary>Per-atom output irreps.</summary>
    public Irreps Out { get; }
    /// <summary>Cutoff radius.</summary>
    public double Cutoff { get; }

    /// <summary>Creates the network.</summary>
    /// <param name="attributes">per-atom invariant inputs (e.g. one-hot species, or a constant 1).</param>
    /// <param name="hidden">irreps of the hidden features.</param>
    /// <param name="output">per-atom output irreps.</param>
    /// <param name="layers">interaction blocks (≥ 1).</param>
    /// <param name="cutoff">neighbour cutoff radius.</param>
    /// <param name="shDegree">maximum degree of the edge harmonics.</param>
    /// <param name="radialCount">Bessel functions per distance.</param>
    /// <param name="averageNeighbours">typical number of neighbours; messages are divided by its square root.</param>
    public TensorFieldNetwork(int attributes, Irreps hidden, Irreps output, int layers, double cutoff, int shDegree = 2,
        int radialCount = 8, double averageNeighbours = 8) : base(nameof(TensorFieldNetwork))
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(output);
        if (attributes < 1) throw new ArgumentOutOfRangeException(nameof(attributes), attributes, "Need at least one attribute.");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "Need at least one interaction.");
        if (!(averageNeighbours > 0)) throw new ArgumentOutOfRangeException(nameof(averageNeighbours), averageNeighbours, "Must be positive.");
        if (!hidden.Terms.Any(t => t.Irrep == new O3Irrep(0, 1)))
            throw new ArgumentException($"Hidden irreps need even scalars (0e) for the embedding; got '{hidden}'.", nameof(hidden));
        (Attributes, Out, Cutoff) = (attributes, output, cutoff);
        _radial = new RadialBasis(RadialBasisKind.Bessel, radialCount, cutoff);
        _harmonics = new SphericalHarmonicsEmbedding(shDegree);
        var scalars = new Irreps(hidden.Terms.Where(t => t.Irrep == new O3Irrep(0, 1)));
        _embedding = new IrrepsLinear(Irreps.Of(attributes, 0, 1), scalars);
        var blocks = new List<InteractionBlock>();
        var current = scalars;
        for (var k = 0; k < layers; k++)
        {
            var block = new InteractionBlock(current, hidden, _harmonics.Out, radialCount, 16);
            blocks.Add(block);
            current = block.Out;
        }
        _blocks = new ModuleList<InteractionBlock>(blocks.ToArray());
        _readout = new IrrepsLinear(current, output);
        _neighbourScale = 1 / Math.Sqrt(averageNeighbours);
        RegisterComponents();
    }

    /// <summary>The declared types: positions (B, N, 3) rotated and reflected by O(3) (translations are checked apart,
    /// as only relative vectors enter) and invariant per-atom attributes (B, N, A); per-atom outputs of <see cref="Out"/>.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes =>
        new ITensorType[] { new IrrepsAction(1, Irreps.Empty) { PerPoint = true }, new TrivialAction(Noether.Groups.Group.O3, -1, Attributes) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) { PerPoint = true } };

    /// <summary>Runs <see cref="Forward"/> on (positions, attributes), every atom present.</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 2) throw new ArgumentException($"Expected 2 tensors (positions, attributes); got {inputs.Count}.", nameof(inputs));
        return new[] { Forward(inputs[0], inputs[1]) };
    }

    /// <summary>Per-atom outputs (zero for padded atoms).</summary>
    public Tensor Forward(Tensor positions, Tensor attributes, Tensor? mask = null)
    {
        PointsValidation.CheckPositions(positions, nameof(positions));
        if (positions.dim() != 3) throw new ArgumentException($"Expected positions (B, N, 3); got [{string.Join(", ", positions.shape)}].", nameof(positions));
        ArgumentNullException.ThrowIfNull(attributes);
        var (b, n) = (positions.shape[0], positions.shape[1]);
        if (attributes.dim() != 3 || attributes.shape[0] != b || attributes.shape[1] != n || attributes.shape[2] != Attributes)
            throw new ArgumentException($"Expected attributes ({b}, {n}, {Attributes}); got [{string.Join(", ", attributes.shape)}].", nameof(attributes));
        using var scope = torch.NewDisposeScope();
        var atomMask = mask is null ? torch.ones(b, n, dtype: positions.dtype, device: positions.device) : mask.to(positions.dtype);
        // r_ij = x_j − x_i for target i and source j.
        var vectors = positions.unsqueeze(1) - positions.unsqueeze(2);
        var pairMask = atomMask.unsqueeze(2) * atomMask.unsqueeze(1) * (1 - torch.eye(n, dtype: positions.dtype, device: positions.device));
        var valid = pairMask > 0.5;
        // Self pairs and padding get a dummy unit vector so that no 0/0 reaches the gradient; their weight is 0.
        var dummy = torch.zeros_like(vectors);
        dummy[.., .., .., 2] = torch.ones(1, dtype: positions.dtype, device: positions.device);
        var safe = torch.where(valid.unsqueeze(-1), vectors, dummy).reshape(-1, 3);
        var lengths = safe.square().sum(-1).sqrt();
        var envelope = _radial.Envelope(lengths).unsqueeze(-1) * pairMask.reshape(-1, 1);
        var basis = _radial.forward(lengths);
        var harmonics = Representations.SphericalHarmonics.Evaluate(Enumerable.Range(0, _harmonics.Out.MaxDegree + 1).ToArray(), safe,
            SphericalHarmonicsNormalization.Component);
        var h = _embedding.forward(attributes);
        foreach (var block in _blocks)
            h = block.Forward(h, harmonics, basis, envelope, _neighbourScale);
        var output = _readout.forward(h) * atomMask.unsqueeze(-1);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Total energy per system, E = Σ_i ε_i (the first output component, which must be 0e), shape (B).</summary>
    public Tensor Energy(Tensor positions, Tensor attributes, Tensor? mask = null)
    {
        if (Out.Terms.Count == 0 || Out.Terms[0].Irrep != new O3Irrep(0, 1))
            throw new InvalidOperationException($"Energies need a first output of 0e; this network outputs '{Out}'.");
        using var scope = torch.NewDisposeScope();
        return Forward(positions, attributes, mask).select(-1, 0).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>Energy (B) and forces −∂E/∂x (B, N, 3); with <paramref name="createGraph"/> the forces can be trained on.</summary>
    public (Tensor Energy, Tensor Forces) EnergyAndForces(Tensor positions, Tensor attributes, Tensor? mask = null, bool createGraph = false)
    {
        ArgumentNullException.ThrowIfNull(positions);
        using var scope = torch.NewDisposeScope();
        using var grad = torch.enable_grad();
        var x = positions.detach().requires_grad_(true);
        var energy = Energy(x, attributes, mask);
        var gradient = Guarded.Grad(new[] { energy.sum() }, new[] { x }, retainGraph: createGraph, createGraph: createGraph)[0];
        var forces = -gradient;
        if (!createGraph) (energy, forces) = (energy.detach(), forces.detach());
        return (energy.MoveToOuterDisposeScope(), forces.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public override string ToString() => $"TensorFieldNetwork({Attributes} attributes -> {Out}, {_blocks.Count} interactions, cutoff {Cutoff})";
}
