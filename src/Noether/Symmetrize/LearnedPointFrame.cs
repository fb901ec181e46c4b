using Noether.Runtime;
using Noether.Nn.Points;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>A learned canonicalizer for 3D point clouds (Kaba et al. 2023, "Equivariance with Learned
/// Canonicalization Functions"): a small E(3)-equivariant network predicts a frame, the main model runs in it, and
/// both train together.</summary>
/// <remarks>
/// <para>Math: an <see cref="Egnn"/> (invariant node features: the scalars of each point) moves the points to x'_i and
/// gives invariant features h_i; three vectors v_k = Σ_i a_ik(h) (x'_i − c') + Σ_i b_ik(h) u_i (u: the points' own
/// vectors, e.g. velocities; c' the centroid of x') are E(3)-equivariant. Gram–Schmidt on v_1, v_2 gives e_1, e_2;
/// e_3 = s (e_1 × e_2) with s = sign(v_3 · (e_1 × e_2)), so the frame F = [e_1 e_2 e_3] ∈ O(3) satisfies
/// F(g·x) = R F(x) for every g = (R, t) ∈ E(3), reflections included (the sign s flips with det R). A model
/// evaluated on Fᵀ(x − c) and mapped back with F is therefore exactly E(3)-equivariant, and the frame is smooth in
/// the input wherever v_1, v_2 are independent — unlike the PCA frame, whose axes jump where eigenvalues cross or
/// moments change sign.</para>
/// <para>Shapes: positions (B, N, 3), vectors (B, N, 3) or null, scalars (B, N, F) → centroids (B, 3) (of the input
/// points) and frames (B, 3, 3), columns e_1, e_2, e_3. Differentiable (the frame is trained through the main loss).</para>
/// </remarks>
/// <example><code>var frame = new LearnedPointFrame(scalars: 1, vectors: true);
/// var (centre, f) = frame.Forward(positions, velocities, charges);</code></example>
public sealed class LearnedPointFrame : Module
{
    private readonly Egnn _network;
    private readonly Linear _weights;
    private readonly bool _vectors;

    /// <summary>Creates the canonicalizer.</summary>
    /// <param name="scalars">invariant features per point (≥ 1).</param>
    /// <param name="vectors">whether each point carries one vector (e.g. its velocity) that the frame may use.</param>
    /// <param name="hidden">width of the EGNN.</param>
    /// <param name="layers">EGNN layers.</param>
    public LearnedPointFrame(int scalars, bool vectors, int hidden = 16, int layers = 2) : base(nameof(LearnedPointFrame))
    {
        _network = new Egnn(scalars, 0, hidden, layers, velocity: false);
        _weights = Linear(hidden, vectors ? 6 : 3);
        _vectors = vectors;
        RegisterComponents();
    }

    /// <summary>The centroids of the input points and the learned frames.</summary>
    public (Tensor Centroids, Tensor Frames) Forward(Tensor positions, Tensor? vectors, Tensor scalars)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(scalars);
        if (_vectors != vectors is not null)
            throw new ArgumentException(_vectors ? "This canonicalizer was built to use one vector per point; none given." : "This canonicalizer takes no vectors.", nameof(vectors));
        using var scope = NewDisposeScope();
        var centroids = positions.mean(new long[] { 1 });
        var (h, moved) = _network.Forward(scalars, positions);
        var weights = _weights.forward(h);                                              // (B, N, 3 or 6)
        var relative = moved - moved.mean(new long[] { 1 }, keepdim: true);
        var v = relative.transpose(1, 2).MatMulChecked(weights.narrow(2, 0, 3));               // (B, 3, 3): column k = v_k
        if (vectors is not null) v = v + vectors.transpose(1, 2).MatMulChecked(weights.narrow(2, 3, 3));
        var (v1, v2, v3) = (v.select(2, 0), v.select(2, 1), v.select(2, 2));
        var e1 = v1 / v1.norm(1, keepdim: true).clamp_min(1e-6);
        var w2 = v2 - (v2 * e1).sum(1, keepdim: true) * e1;
        var e2 = w2 / w2.norm(1, keepdim: true).clamp_min(1e-6);
        var normal = linalg.cross(e1, e2);
        // The sign of v_3 along e_1 × e_2 (a pseudovector) makes the frame reflection-equivariant; a straight-through
        // sign (no gradient) keeps the frame's columns differentiable.
        var sign = (v3 * normal).sum(1, keepdim: true).detach().sign();
        sign = where(sign.eq(0), ones_like(sign), sign);
        var frames = stack(new[] { e1, e2, sign * normal }, 2);
        return (centroids.MoveToOuterDisposeScope(), frames.MoveToOuterDisposeScope());
    }
}
