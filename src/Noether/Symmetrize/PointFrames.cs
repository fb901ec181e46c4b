using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Symmetrize;

/// <summary>How a point-cloud model is made E(3)-equivariant from outside.</summary>
public enum PointFrameMode
{
    /// <summary>The model as it is.</summary>
    None,

    /// <summary>Frame averaging: the mean of the predictions in the 8 PCA frames, mapped back (exact).</summary>
    FrameAverage,

    /// <summary>Canonicalization: the prediction in the canonical PCA frame, mapped back (one forward pass).</summary>
    Canonicalize,

    /// <summary>Learned canonicalization: the prediction in a frame predicted by a small E(3)-equivariant network
    /// (<see cref="LearnedPointFrame"/>), trained with the model.</summary>
    LearnedCanonicalize,
}

/// <summary>Frames of 3D point clouds for frame averaging and canonicalization (Puny et al. 2022, "Frame
/// Averaging for Invariant and Equivariant Network Design", section 3.1, E(3) frames from PCA).</summary>
/// <remarks>
/// <para>Math: c = mean of the points, Σ = (1/N) Σ_n (x_n − c)(x_n − c)ᵀ = U Λ Uᵀ with eigenvalues ascending. The
/// <b>frame</b> is the set {U S : S = diag(±1, ±1, ±1)} (8 orthogonal matrices; the 4 with det = +1 for SO(3)).
/// Transforming the cloud by x → R x + t (R ∈ O(3)) maps c → R c + t and the frame to R·frame, so averaging
/// F (g⁻¹ · x) over the frame's elements g = (F, c) is exactly E(3)-equivariant (invariant) whenever the
/// eigenvalues are distinct (the generic case; degenerate clouds such as collinear points are not).</para>
/// <para>The <b>canonical frame</b> keeps one of the 8: each axis is signed so that the third moment
/// Σ_n ((x_n − c)·u_i)³ is positive, an O(3)-equivariant rule wherever those moments are non-zero. A model applied in
/// that frame is E(3)-equivariant with one forward pass instead of 8, but is discontinuous where a moment changes
/// sign.</para>
/// <para>Shapes: positions (B, N, 3) → centroids (B, 3), frames (B, K, 3, 3) with the frame vectors as columns.
/// Frames carry no gradient (they are computed from the inputs under no_grad).</para>
/// </remarks>
/// <example><code>
/// var (centre, frames) = PointFrames.Pca(positions);            // (B, 3), (B, 8, 3, 3)
/// var local = PointFrames.ToFrames(positions, centre, frames);   // (B, 8, N, 3)
/// </code></example>
public static class PointFrames
{
    private static readonly double[][] Signs = Enumerable.Range(0, 8)
        .Select(k => new[] { (k & 1) == 0 ? 1.0 : -1.0, (k & 2) == 0 ? 1.0 : -1.0, (k & 4) == 0 ? 1.0 : -1.0 }).ToArray();

    /// <summary>The centroid and the PCA frame of every cloud: 8 matrices (O(3)), or the 4 proper ones when
    /// <paramref name="properOnly"/> (SO(3)).</summary>
    public static (Tensor Centroids, Tensor Frames) Pca(Tensor positions, bool properOnly = false)
    {
        var (centroids, axes) = Axes(positions);
        using var scope = NewDisposeScope();
        var signs = tensor(Signs.SelectMany(s => s).ToArray(), 8, 3, dtype: positions.dtype, device: positions.device);
        var frames = axes.unsqueeze(1) * signs.view(1, 8, 1, 3);                     // (B, 8, 3, 3): columns u_i s_i
        if (properOnly)
        {
            var det = linalg.det(frames);                                             // (B, 8): ±1
            // Per cloud exactly 4 of the 8 sign patterns have det = +1; keep those (their order does not matter).
            var order = det.lt(0).to(ScalarType.Int64).argsort(1).narrow(1, 0, 4);
            frames = frames.gather(1, order.view(order.shape[0], 4, 1, 1).expand(-1, -1, 3, 3));
        }
        return (centroids, frames.MoveToOuterDisposeScope());
    }

    /// <summary>The canonical frame of every cloud (B, 3, 3): PCA axes signed by their third moments, in O(3); with
    /// <paramref name="properOnly"/> the last axis is flipped where needed so that det = +1 (SO(3)).</summary>
    public static (Tensor Centroids, Tensor Frames) Canonical(Tensor positions, bool properOnly = false)
    {
        var (centroids, axes) = Axes(positions);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var centred = positions - centroids.unsqueeze(1);
        var moments = centred.MatMulChecked(axes).pow(3).sum(1);                            // (B, 3)
        var signs = where(moments.lt(0), -1.0, 1.0).to(positions.dtype);
        var frames = axes * signs.unsqueeze(1);
        if (properOnly)
        {
            var det = linalg.det(frames);
            var flip = ones_like(frames);
            flip[TensorIndex.Ellipsis, 2] = det.sign().unsqueeze(1).expand(-1, 3);
            frames = frames * flip;
        }
        return (centroids, frames.MoveToOuterDisposeScope());
    }

    /// <summary>Coordinates of <paramref name="positions"/> (B, N, 3) in each frame (B, K, 3, 3) about the centroids:
    /// (B, K, N, 3) holding Fᵀ (x − c).</summary>
    public static Tensor ToFrames(Tensor positions, Tensor centroids, Tensor frames) =>
        (positions - centroids.unsqueeze(1)).unsqueeze(1).MatMulChecked(frames);

    /// <summary>Components of free vectors (velocities, forces) (B, N, 3) in each frame: (B, K, N, 3) holding Fᵀ v.</summary>
    public static Tensor VectorsToFrames(Tensor vectors, Tensor frames) => vectors.unsqueeze(1).MatMulChecked(frames);

    /// <summary>Back from frame coordinates (B, K, N, 3) to positions (B, K, N, 3): F y + c.</summary>
    public static Tensor FromFrames(Tensor local, Tensor centroids, Tensor frames) =>
        local.MatMulChecked(frames.transpose(2, 3)) + centroids.view(centroids.shape[0], 1, 1, 3);

    /// <summary>Centroids (B, 3) and eigenvectors of the covariance as columns, eigenvalues ascending (B, 3, 3).</summary>
    private static (Tensor Centroids, Tensor Axes) Axes(Tensor positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.dim() != 3 || positions.shape[2] != 3)
            throw new ArgumentException($"Expected positions (B, N, 3); got [{string.Join(", ", positions.shape)}].", nameof(positions));
        if (positions.shape[1] < 3)
            throw new ArgumentException($"A PCA frame needs at least 3 points per cloud; got {positions.shape[1]}.", nameof(positions));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = positions.detach();
        var centroids = x.mean(new long[] { 1 });
        var centred = x - centroids.unsqueeze(1);
        var covariance = centred.transpose(1, 2).MatMulChecked(centred) / positions.shape[1];
        // eigh in float64: the frame must not flip with float32 round-off when eigenvalues are close.
        var (_, vectors) = linalg.eigh(covariance.to(ScalarType.Float64));
        return (centroids.MoveToOuterDisposeScope(), vectors.to(positions.dtype).MoveToOuterDisposeScope());
    }
}
