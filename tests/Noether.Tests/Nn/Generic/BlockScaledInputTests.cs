using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Nn.Generic;
using Noether.Representations;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Generic;

[Collection("NoParallel")] // draws weights and inputs from the global torch generator after seeding it
public class BlockScaledInputTests
{
    [Fact]
    public void Fit_SetsEachBlockToTheRootMeanSquareOfItsComponents()
    {
        using var scope = NewDisposeScope();
        var g = MatrixGroup.O(3);
        var rin = TensorRepresentation.Parse("1+2V", g); // blocks: scalar, V, V (dims 1, 3, 3)
        using var model = new BlockScaledInput(rin, new Mlp(rin.Dim, new[] { 4 }, 1));
        var x = tensor(new double[,]
        {
            { 2, 1, 2, 2, 0, 0, 0 },
            { -2, 1, 0, 0, 3, 0, 0 },
        }).to_type(ScalarType.Float32);
        model.Fit(x);
        var scales = model.BlockScales;
        Assert.Equal(3, scales.Count);
        Assert.Equal(2.0, scales[0], 1e-6);                         // sqrt((4 + 4) / 2)
        Assert.Equal(Math.Sqrt((1 + 4 + 4 + 1) / 6.0), scales[1], 1e-6); // components of the first vector
        Assert.Equal(Math.Sqrt(9 / 6.0), scales[2], 1e-6);
        // A block that is zero everywhere keeps scale 1 instead of dividing by zero.
        model.Fit(zeros(3, rin.Dim));
        Assert.All(model.BlockScales, s => Assert.Equal(1.0, s));
    }

    [Fact]
    public void ScaledEmlp_OnLorentzMomenta_IsEquivariant_ForBoostsAndElementsNearTheIdentity()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        var g = MatrixGroup.Lorentz;
        var (rin, rout) = (TensorRepresentation.Parse("4V", g), TensorRepresentation.Parse("1", g));
        // V* blocks carry the four-vectors to the scalar output (with 8+4V+2T(1,1) alone the output ignored them).
        using var model = new BlockScaledInput(rin, new Emlp(rin, rout, TensorRepresentation.Parse("8+4V+4V*+2T(1,1)", g), 2));
        // Four momenta with very different scales, so the fitted scales differ per block.
        var x = randn(64, 16) * tensor(new float[] { 0.25f, 0.25f, 0.25f, 0.25f, 1, 1, 1, 1, 3, 3, 3, 3, 0.1f, 0.1f, 0.1f, 0.1f });
        model.Fit(x);
        Assert.True(model.BlockScales[2] > 10 * model.BlockScales[3]);
        var elements = TestCases.MatrixGroupElements(g, seed: 9);    // random, a boost, near the identity
        var report = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x.narrow(0, 0, 16), elements);
        Assert.True(report.MeanRelativeError < 1e-5, report.ToString());
        model.to(ScalarType.Float64);
        var report64 = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout),
            x.narrow(0, 0, 16).to_type(ScalarType.Float64), elements);
        Assert.True(report64.MaxRelativeError < Tolerance.Float64, report64.ToString());
    }

    [Fact]
    public void Scales_TravelWithACheckpoint()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        var g = MatrixGroup.Lorentz;
        var rin = TensorRepresentation.Parse("4V", g);
        using var trained = new BlockScaledInput(rin, new Mlp(rin.Dim, new[] { 8 }, 1));
        trained.Fit(randn(32, 16) * 0.25);
        var path = Path.Combine(Path.GetTempPath(), $"noether-scaled-{Guid.NewGuid():N}.ckpt");
        try
        {
            Checkpoint.Save(trained, path);
            using var loaded = new BlockScaledInput(rin, new Mlp(rin.Dim, new[] { 8 }, 1));
            Assert.All(loaded.BlockScales, s => Assert.Equal(1.0, s));
            Checkpoint.Load(loaded, path);
            Assert.Equal(trained.BlockScales, loaded.BlockScales);
            var x = randn(4, 16);
            Assert.True(trained.forward(x).allclose(loaded.forward(x)));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void BadShapes_AreArgumentErrors_NamingTheExpectedShape()
    {
        using var scope = NewDisposeScope();
        var rin = TensorRepresentation.Parse("4V", MatrixGroup.Lorentz);
        using var model = new BlockScaledInput(rin, new Mlp(rin.Dim, new[] { 4 }, 1));
        Assert.Contains("16", Assert.Throws<ArgumentException>(() => model.Fit(zeros(5, 15))).Message);
        Assert.Throws<ArgumentException>(() => model.Fit(zeros(0, 16)));
        Assert.Contains("16", Assert.Throws<ArgumentException>(() => model.forward(zeros(5, 12))).Message);
    }
}
