using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>One interaction of <see cref="TensorFieldNetwork"/>: neighbours' features times the spherical harmonics
/// of the edge (channel-wise tensor product with weights from an MLP on the edge length), summed, mixed linearly
/// with a self-connection, and gated.</summary>
/// <remarks>
/// <para>Math: h_i' = Gate(L₁(Σ_j w(‖r_ij‖) ⊙ (h_j ⊗ Y(r̂_ij)) / √k) + L₂(h_i)) (+ h_i when the irreps agree), with
/// w = MLP(Bessel(‖r_ij‖)) · f_cut(‖r_ij‖) and k the typical number of neighbours.</para>
/// <para>Equivariance: E(3) (exact): only relative vectors enter, lengths through invariant weights.
/// Shapes: h (E-flattened, see <see cref="Forward"/>). Reference: Batzner et al. 2022 (NequIP); Thomas et al. 2018 (TFN).</para>
/// </remarks>
internal sealed class InteractionBlock : Module
{
    private readonly ChannelWiseTensorProduct _product;
    private readonly Sequential _radial;
    private readonly IrrepsLinear _afterProduct;
    private readonly IrrepsLinear _self;
    private readonly Gate _gate;

    /// <summary>Input irreps.</summary>
    public Irreps In { get; }
    /// <summary>Output irreps (the gate's).</summary>
    public Irreps Out { get; }

    /// <summary>Creates the block from <paramref name="input"/> to (roughly) <paramref name="hidden"/>.</summary>
    public InteractionBlock(Irreps input, Irreps hidden, Irreps edge, int radialCount, int radialHidden) : base(nameof(InteractionBlock))
    {
        In = input;
        var scalars = new Irreps(hidden.Terms.Where(t => t.Irrep.Degree == 0));
        var gated = new Irreps(hidden.Terms.Where(t => t.Irrep.Degree > 0));
        var gates = gated.Count == 0 ? Irreps.Empty : Irreps.Of(gated.Count, 0, 1);
        _gate = new Gate(scalars, gates, gated);
        _product = new ChannelWiseTensorProduct(input, edge, hidden.MaxDegree, _gate.In.Simplify() + Irreps.Of(1, 0, 1));
        _radial = Sequential(Linear(radialCount, radialHidden), SiLU(), Linear(radialHidden, _product.WeightCount));
        _afterProduct = new IrrepsLinear(_product.Out, _gate.In);
        _self = new IrrepsLinear(input, _gate.In);
        Out = _gate.Out;
        RegisterComponents();
    }

    /// <summary>Updates node features from edges.</summary>
    /// <param name="h">Node features (B, N, In.Dim).</param>
    /// <param name="edgeHarmonics">(B·N·N, edge Dim), edge (i, j) at flat index (b N + i) N + j.</param>
    /// <param name="radialBasis">(B·N·N, radialCount), already multiplied by the cutoff envelope.</param>
    /// <param name="edgeWeight">(B·N·N, 1): cutoff envelope times validity (0 for i = j, padded atoms and beyond the cutoff).</param>
    /// <param name="neighbourScale">1/√k, k the typical number of neighbours.</param>
    public Tensor Forward(Tensor h, Tensor edgeHarmonics, Tensor radialBasis, Tensor edgeWeight, double neighbourScale)
    {
        using var scope = torch.NewDisposeScope();
        var (b, n) = (h.shape[0], h.shape[1]);
        var hj = h.unsqueeze(1).expand(b, n, n, In.Dim).reshape(b * n * n, In.Dim);
        var weights = _radial.forward(radialBasis) * edgeWeight;
        var messages = _product.forward(hj, edgeHarmonics, weights).view(b, n, n, -1);
        var aggregated = messages.sum(2) * neighbourScale;
        var updated = _gate.forward(_afterProduct.forward(aggregated) + _self.forward(h));
        if (In == Out) updated = updated + h;
        return updated.MoveToOuterDisposeScope();
    }
}
