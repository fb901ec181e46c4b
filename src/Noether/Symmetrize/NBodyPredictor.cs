using Noether.Nn.Common;
using Noether.Nn.Points;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>The models of the N-body task behind one interface, optionally run in the frames of their input:
/// packed particle states (B, N, 7) = (x, v, q) → predicted positions (B, N, 3).</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>egnn</c>: <see cref="Egnn"/> with velocities, node feature ‖v‖, edge attributes (q_i q_j, ‖x_i − x_j‖²); E(3)-equivariant.</item>
/// <item><c>gnn</c>: <see cref="PointGnn"/> on (x, v, q) with edge attribute q_i q_j, predicting x + Δ; not rotation equivariant.</item>
/// <item><c>mlp</c>: <see cref="Mlp"/> on the flattened states, predicting x + Δ; no symmetry.</item>
/// <item><c>linear</c>: <see cref="LinearDynamics"/>, x + t v; E(3)-equivariant.</item>
/// </list>
/// Hidden width and depth follow the EGNN paper (64, 4 layers).
/// The models themselves are built and fed by Nn.Points (<see cref="NBodyModels"/>); this class owns one and adds
/// the frames.
/// <para>Any of them can be made E(3)-equivariant from outside (<see cref="PointFrameMode"/>): <c>FrameAverage</c>
/// runs the model in the 8 PCA frames of the positions and averages the predictions mapped back (Puny et al. 2022);
/// <c>Canonicalize</c> runs it once, in the canonical PCA frame (<see cref="PointFrames"/>); <c>LearnedCanonicalize</c>
/// runs it in a frame predicted by a small EGNN trained with it (<see cref="LearnedPointFrame"/>).</para>
/// </remarks>
public sealed class NBodyPredictor : Module<Tensor, Tensor>
{
    private readonly Module _model;
    private readonly LearnedPointFrame? _canonicalizer;

    /// <summary>The model names.</summary>
    public static IReadOnlyList<string> Models => NBodyModels.Names;

    /// <summary>The model's name.</summary>
    public string Kind { get; }

    /// <summary>Particles per system.</summary>
    public int Particles { get; }

    /// <summary>Creates model <paramref name="kind"/> for systems of <paramref name="particles"/> particles.</summary>
    /// <param name="kind">the model name (<see cref="Models"/>).</param>
    /// <param name="particles">particles per system.</param>
    /// <param name="hidden">hidden width.</param>
    /// <param name="layers">message-passing layers.</param>
    /// <param name="frames">whether the model runs in the frames of the input (frame averaging, canonicalization).</param>
    public NBodyPredictor(string kind, int particles = 5, int hidden = 64, int layers = 4, PointFrameMode frames = PointFrameMode.None)
        : base(nameof(NBodyPredictor))
    {
        if (particles < 3 && frames != PointFrameMode.None)
            throw new ArgumentException($"Frames need at least 3 particles (got {particles}).", nameof(particles));
        Kind = kind;
        Frames = frames;
        if (frames == PointFrameMode.LearnedCanonicalize) _canonicalizer = new LearnedPointFrame(scalars: 1, vectors: true);
        Particles = particles;
        _model = NBodyModels.Create(kind, particles, hidden, layers);
        RegisterComponents();
    }

    /// <summary>Predicted positions.</summary>
    /// <param name="states">(B, N, 7): positions, velocities, charge.</param>
    public override Tensor forward(Tensor states)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.dim() != 3 || states.shape[1] != Particles || states.shape[2] != 7)
            throw new ArgumentException($"Expected states (B, {Particles}, 7); got [{string.Join(", ", states.shape)}].", nameof(states));
        if (Frames == PointFrameMode.None) return Predict(states);
        using var scope = torch.NewDisposeScope();
        var (b, n) = (states.shape[0], states.shape[1]);
        var positions = states.narrow(2, 0, 3);
        var (centroids, frames) = Frames switch
        {
            PointFrameMode.FrameAverage => PointFrames.Pca(positions),
            PointFrameMode.Canonicalize => PointFrames.Canonical(positions) is var (c, f) ? (c, f.unsqueeze(1)) : default,
            _ => _canonicalizer!.Forward(positions, states.narrow(2, 3, 3), states.narrow(2, 6, 1)) is var (c, f) ? (c, f.unsqueeze(1)) : default,
        };
        var k = frames.shape[1];
        var local = torch.cat(new[]
        {
            PointFrames.ToFrames(positions, centroids, frames), PointFrames.VectorsToFrames(states.narrow(2, 3, 3), frames),
            states.narrow(2, 6, 1).unsqueeze(1).expand(b, k, n, 1),
        }, 3);
        var predicted = Predict(local.reshape(b * k, n, 7)).view(b, k, n, 3);
        return PointFrames.FromFrames(predicted, centroids, frames).mean(new long[] { 1 }).MoveToOuterDisposeScope();
    }

    /// <summary>How the model is made equivariant from outside (none for the plain model).</summary>
    public PointFrameMode Frames { get; }

    private Tensor Predict(Tensor states) => NBodyModels.Predict(_model, states, Particles);
}
