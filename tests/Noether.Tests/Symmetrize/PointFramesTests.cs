using Noether.Equivariance;
using Noether.Representations;
using Noether.Symmetrize;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Symmetrize;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class PointFramesTests
{
    /// <summary>Random orthogonal matrices (rotations and reflections) orthogonal to float64 precision.</summary>
    private static Tensor RandomOrthogonal(int count, int seed) =>
        linalg.qr(torch.randn(new long[] { count, 3, 3 }, dtype: ScalarType.Float64, generator: new Generator((ulong)seed))).Q;

    [Fact]
    public void PcaFrames_AreOrthogonal_ProperOnesHaveDetPlusOne_AndDiagonaliseTheCovariance()
    {
        using var scope = NewDisposeScope();
        var points = torch.randn(new long[] { 6, 7, 3 }, dtype: ScalarType.Float64, generator: new Generator(1));
        var (centroids, frames) = PointFrames.Pca(points);
        Assert.Equal(new long[] { 6, 8, 3, 3 }, frames.shape);
        var identity = torch.eye(3, dtype: ScalarType.Float64);
        Assert.True((frames.transpose(2, 3).matmul(frames) - identity).abs().max().ToDouble() < 1e-12);
        var local = PointFrames.ToFrames(points, centroids, frames);                     // (6, 8, 7, 3)
        var covariance = local.transpose(2, 3).matmul(local);
        var offDiagonal = covariance * (1 - identity);
        Assert.True(offDiagonal.abs().max().ToDouble() < 1e-10, "frame coordinates are uncorrelated");
        Assert.True((PointFrames.FromFrames(local, centroids, frames) - points.unsqueeze(1)).abs().max().ToDouble() < 1e-12);
        var (_, proper) = PointFrames.Pca(points, properOnly: true);
        Assert.Equal(new long[] { 6, 4, 3, 3 }, proper.shape);
        Assert.True((linalg.det(proper) - 1).abs().max().ToDouble() < 1e-12);
    }

    [Fact]
    public void CanonicalFrame_MovesWithTheCloud_UnderRandomE3Elements_InFloat64()
    {
        using var scope = NewDisposeScope();
        var points = torch.randn(new long[] { 10, 5, 3 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var g = RandomOrthogonal(10, 3);
        var shift = torch.randn(new long[] { 10, 1, 3 }, dtype: ScalarType.Float64, generator: new Generator(4));
        var moved = points.matmul(g.transpose(1, 2)) + shift;
        var (c, f) = PointFrames.Canonical(points);
        var (cMoved, fMoved) = PointFrames.Canonical(moved);
        // The canonical coordinates do not change: F(gx+t)ᵀ (gx + t − c(gx+t)) = F(x)ᵀ (x − c(x)).
        var local = PointFrames.ToFrames(points, c, f.unsqueeze(1));
        var localMoved = PointFrames.ToFrames(moved, cMoved, fMoved.unsqueeze(1));
        Assert.True((local - localMoved).abs().max().ToDouble() < 1e-10);
        Assert.True((fMoved - g.matmul(f)).abs().max().ToDouble() < 1e-10);
        var (_, proper) = PointFrames.Canonical(points, properOnly: true);
        Assert.True((linalg.det(proper) - 1).abs().max().ToDouble() < 1e-12);
    }

    [Theory]
    [InlineData("mlp", PointFrameMode.FrameAverage)]
    [InlineData("gnn", PointFrameMode.FrameAverage)]
    [InlineData("mlp", PointFrameMode.Canonicalize)]
    public void FramedNBodyModels_BecomeE3Equivariant(string kind, PointFrameMode mode)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        using var plain = new NBodyPredictor(kind, hidden: 16, layers: 2);
        using var framed = new NBodyPredictor(kind, hidden: 16, layers: 2, frames: mode);
        framed.load_state_dict(plain.state_dict());
        var states = torch.randn(8, 5, 7, generator: new Generator(6));
        var action = new IrrepsAction(2, Irreps.Parse("0e"));
        var output = new IrrepsAction(1, Irreps.Empty);
        var before = EquivarianceCheck.Run(plain.forward, action, output, states, samples: 6, seed: 7);
        var after = EquivarianceCheck.Run(framed.forward, action, output, states, samples: 6, seed: 7);
        Assert.True(before.MeanRelativeError > 1e-3, before.ToString());
        Assert.True(after.MaxRelativeError < 1e-4, after.ToString());
        Assert.True(PointTraining.TranslationError(framed.forward, states, outputMoves: true, seed: 8) < 1e-5);
        Assert.Equal(plain.parameters().Count(), framed.parameters().Count());
    }

    [Fact]
    public void LearnedCanonicalization_IsE3Equivariant_WithReflections_AndTrainsItsFrameNetwork()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(9);
        using var model = new NBodyPredictor("mlp", hidden: 16, layers: 2, frames: PointFrameMode.LearnedCanonicalize);
        var states = torch.randn(8, 5, 7, generator: new Generator(10));
        var report = EquivarianceCheck.Run(model.forward, new IrrepsAction(2, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), states,
            samples: 8, seed: 11);
        Assert.True(report.MaxRelativeError < 1e-4, report.ToString());
        Assert.True(PointTraining.TranslationError(model.forward, states, outputMoves: true, seed: 12) < 1e-5);
        model.forward(states).square().sum().backward();
        var frameGradients = model.named_parameters().Where(p => p.name.Contains("canonicalizer", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(frameGradients);
        Assert.Contains(frameGradients, p => p.parameter.grad is { } g && g.abs().sum().ToDouble() > 0);
    }

    [Fact]
    public void LearnedFrames_AreOrthogonal_AndMoveWithTheCloud_InFloat64()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(13);
        using var frame = new LearnedPointFrame(scalars: 1, vectors: true);
        frame.to(ScalarType.Float64);
        var x = torch.randn(new long[] { 6, 5, 3 }, dtype: ScalarType.Float64, generator: new Generator(14));
        var v = torch.randn(new long[] { 6, 5, 3 }, dtype: ScalarType.Float64, generator: new Generator(15));
        var q = torch.randn(new long[] { 6, 5, 1 }, dtype: ScalarType.Float64, generator: new Generator(16));
        var g = RandomOrthogonal(6, 17);
        var t = torch.randn(new long[] { 6, 1, 3 }, dtype: ScalarType.Float64, generator: new Generator(18));
        var (_, f) = frame.Forward(x, v, q);
        var (_, fMoved) = frame.Forward(x.matmul(g.transpose(1, 2)) + t, v.matmul(g.transpose(1, 2)), q);
        Assert.True((f.transpose(1, 2).matmul(f) - torch.eye(3, dtype: ScalarType.Float64)).abs().max().ToDouble() < 1e-12);
        Assert.True((fMoved - g.matmul(f)).abs().max().ToDouble() < 1e-10);
    }

    [Fact]
    public void Frames_RejectCloudsWithoutThreePoints()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("at least 3 points", Assert.Throws<ArgumentException>(() => PointFrames.Pca(torch.randn(2, 2, 3))).Message);
        Assert.Contains("(B, N, 3)", Assert.Throws<ArgumentException>(() => PointFrames.Canonical(torch.randn(2, 4))).Message);
    }
}
