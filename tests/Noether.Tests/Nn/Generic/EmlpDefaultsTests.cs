using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Generic;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Generic;

[Collection("NoParallel")] // draws its weights and inputs from the global torch generator after seeding it
public class EmlpDefaultsTests
{
    [Fact]
    public void LorentzFourVectors_ThatNoHiddenPathCarries_AreRejected_WithTheBlocksNamed_AndAFixThatBuilds()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var g = MatrixGroup.Lorentz;
        var (rin, rout) = (TensorRepresentation.Parse("4V+2", g), TensorRepresentation.Parse("3", g));
        // V → S has no equivariant map, V never reaches T(2), and no bilinear term contracts a V (no V* in the hidden rep):
        // the model would ignore its four-vectors and report an equivariance error of 0.
        var error = Assert.Throws<ArgumentException>(() => new Emlp(rin, rout, TensorRepresentation.Parse("32+16V+4T(2)", g), 3));
        Assert.Equal("hidden", error.ParamName);
        Assert.Contains("blocks 0–3 (V) of '4V+2S'", error.Message);
        Assert.DoesNotContain("(S)", error.Message);
        const string marker = "Try the hidden representation '";
        Assert.Contains(marker, error.Message);
        var start = error.Message.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var suggested = error.Message[start..error.Message.IndexOf('\'', start)];
        Assert.EndsWith("+16V*", suggested);   // the duals let a bilinear term contract two four-vectors into a scalar
        using var fixedModel = new Emlp(rin, rout, TensorRepresentation.Parse(suggested, g), 3);
        // The four-vectors now matter: changing them changes the output.
        var x = randn(8, rin.Dim);
        var moved = x.clone();
        moved.narrow(1, 0, 16).mul_(1.5);
        Assert.True((fixedModel.forward(x) - fixedModel.forward(moved)).abs().max().ToDouble() > 1e-4);
    }

    [Fact]
    public void RepresentationsThatConnect_AreAccepted_AsTheLorentzTaskUses()
    {
        var g = MatrixGroup.Lorentz;
        using var model = new Emlp(TensorRepresentation.Parse("4V", g), TensorRepresentation.Parse("1", g), TensorRepresentation.Parse("32+8V+8V*+2T(1,1)", g), 3);
        Assert.Equal(16, model.In.Dim);
    }

    [Fact]
    public void UniformHidden_SpreadsTheWidthOverRanks_AsEmlpDoes()
    {
        // EMLP's uniform_rep(384, O(5)): rank 2 five times (75 each), then 9 scalars: 134 + 25 V + 5 T(2).
        var o5 = Emlp.UniformHidden(MatrixGroup.O(5), 384);
        Assert.Equal("134S+25V+5T(2,0)", o5.Name);
        Assert.Equal(384, o5.Dim);
        // Lorentz (d = 4, not orthogonal): ranks split over T(p, r−p); the dimension is exactly the width.
        var lorentz = Emlp.UniformHidden(MatrixGroup.Lorentz, 384);
        Assert.Equal(384, lorentz.Dim);
        Assert.Equal(112, lorentz.Blocks.Count(b => b.Rank == 0));
        Assert.Equal(14, lorentz.Blocks.Count(b => b.Rank == 1 && b.Duals[0]));
        Assert.Equal(14, lorentz.Blocks.Count(b => b.Rank == 1 && !b.Duals[0]));
        Assert.Equal(6, lorentz.Blocks.Count(b => b.Rank == 2));
        Assert.Equal(1, lorentz.Blocks.Count(b => b.Rank == 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Emlp.UniformHidden(MatrixGroup.O(3), 0));
    }

    [Fact]
    public void DefaultHidden_ConnectsInputsThatTheUniformAllocationWouldLeaveOut()
    {
        // Width 4 on O(3) gives scalars only (2·3 > 4); O(3) has no equivariant map V → S or S → V, so a vector input
        // could not reach a vector output through them, and the default adds vector blocks.
        var g = MatrixGroup.O(3);
        var hidden = Emlp.DefaultHidden(TensorRepresentation.Parse("V", g), TensorRepresentation.Parse("V", g), width: 4, layers: 2);
        Assert.Contains(hidden.Blocks, b => b.Rank == 1);
        using var model = new Emlp(TensorRepresentation.Parse("V", g), TensorRepresentation.Parse("V", g), layers: 2, width: 4);
    }

    [Fact]
    public void DefaultHidden_BuildsAndTrainsOnO5InvariantData_AndStaysEquivariant()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var g = MatrixGroup.O(5);
        var (rin, rout) = (TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1", g));
        using var model = new Emlp(rin, rout, layers: 2, width: 96);
        Assert.Equal("36S+7V+T(2,0)", Emlp.DefaultHidden(rin, rout, 96, 2).Name);
        // EMLP's O(5) invariant task: f(x₁, x₂) = sin‖x₁‖ − ‖x₂‖³/2 + x₁·x₂ / (‖x₁‖‖x₂‖).
        var x = randn(256, 10);
        var (x1, x2) = (x.narrow(1, 0, 5), x.narrow(1, 5, 5));
        var (n1, n2) = (x1.norm(1), x2.norm(1));
        var y = (n1.sin() - n2.pow(3) / 2 + (x1 * x2).sum(1) / (n1 * n2)).unsqueeze(1);
        y = (y - y.mean()) / y.std();
        var optimizer = optim.Adam(model.parameters(), lr: 3e-3);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.ToDouble();
            last = loss.ToDouble();
        }
        Assert.True(last < 0.5 * first, $"training loss {first:F4} → {last:F4}");
        var report = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x.narrow(0, 0, 32),
            TestCases.MatrixGroupElements(g, seed: 3));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }
}
