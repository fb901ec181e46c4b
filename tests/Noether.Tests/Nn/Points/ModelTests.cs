using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Points;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Points;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class ModelTests
{
    /// <summary>EGNN on packed (x, v, q) per particle → predicted positions.</summary>
    private static Func<Tensor, Tensor> EgnnOnPacked(Egnn egnn) => packed =>
    {
        var x = packed.narrow(2, 0, 3);
        var v = packed.narrow(2, 3, 3);
        var q = packed.narrow(2, 6, 1);
        var speed = v.norm(2, keepdim: true);
        var edges = torch.cat(new[] { q.unsqueeze(2) * q.unsqueeze(1), (x.unsqueeze(2) - x.unsqueeze(1)).square().sum(-1, keepdim: true) }, -1);
        return egnn.Forward(speed, x, v, edges).Positions;
    };

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5, nameof(EgnnPath.Kernel))]
    [InlineData(ScalarType.Float32, 1e-5, nameof(EgnnPath.TensorForm))]
    [InlineData(ScalarType.Float64, 1e-10, nameof(EgnnPath.TensorForm))]
    public void Egnn_IsEquivariant_UnderO3_AndTranslations(ScalarType dtype, double tolerance, string edgePath)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(20);
        using var egnn = new Egnn(1, 2, hidden: 16, layers: 3, velocity: true) { Path = Enum.Parse<EgnnPath>(edgePath) };
        egnn.to(dtype);
        var packed = torch.randn(6, 5, 7, dtype: dtype);
        var f = EgnnOnPacked(egnn);
        var report = EquivarianceCheck.Run(f, new IrrepsAction(2, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), packed, samples: 8, seed: 21);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
        // Translating positions (not velocities) translates the prediction.
        using var _ = torch.no_grad();
        var t = torch.randn(1, 1, 3, dtype: dtype) * 3;
        var shifted = packed.clone();
        shifted.narrow(2, 0, 3).add_(t);
        var error = ((f(shifted) - f(packed) - t).norm() / f(packed).norm()).ToDouble();
        Assert.True(error < tolerance * 10, error.ToString("G3"));
    }

    [Fact]
    public void Egnn_RejectsMissingOrMisshapenEdgeAttributes()
    {
        using var scope = NewDisposeScope();
        using var egnn = new Egnn(1, 2, hidden: 8, layers: 1, velocity: false);
        var (features, positions) = (torch.ones(2, 4, 1), torch.randn(2, 4, 3));
        Assert.Contains("needs edge attributes", Assert.Throws<ArgumentException>(() => egnn.Forward(features, positions)).Message);
        var message = Assert.Throws<ArgumentException>(() => egnn.Forward(features, positions, edgeAttributes: torch.ones(2, 4, 4, 3))).Message;
        Assert.Contains("(2, 4, 4, 2)", message);
        Assert.Contains("[2, 4, 4, 3]", message);
        Assert.Equal(new long[] { 2, 4, 3 }, egnn.Forward(features, positions, edgeAttributes: torch.ones(2, 4, 4, 2)).Positions.shape);
    }

    [Fact]
    public void PointGnn_IsNotRotationEquivariant()
    {
        // The baseline sees raw coordinates: a sanity check that the checker can fail.
        using var scope = NewDisposeScope();
        torch.manual_seed(22);
        using var gnn = new PointGnn(7, 0, hidden: 16, layers: 2, outputs: 3);
        var report = EquivarianceCheck.Run(p => gnn.Forward(p), new IrrepsAction(2, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty),
            torch.randn(4, 5, 7), samples: 4, seed: 23);
        Assert.True(report.MeanRelativeError > 1e-2, report.ToString());
    }

    // Three interactions: the first pseudoscalar (1o ⊗ 1e → 0o) needs a 1e feature, which appears after two.
    private static TensorFieldNetwork SmallTfn(Irreps output, int layers = 2) =>
        new(1, Irreps.Parse("4x0e+2x0o+2x1o+2x1e+1x2e+1x2o"), output, layers, cutoff: 3.0, averageNeighbours: 4);

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void TensorField_PerAtomOutputs_AreEquivariant_UnderO3WithParity(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(24);
        var output = Irreps.Parse("2x0e+1x0o+1x1o+1x1e");
        using var tfn = SmallTfn(output, layers: 3);
        tfn.to(dtype);
        var positions = torch.randn(3, 6, 3, dtype: dtype);
        var attributes = torch.ones(3, 6, 1, dtype: dtype);
        var report = EquivarianceCheck.Run(x => tfn.Forward(x, attributes), new IrrepsAction(1, Irreps.Empty), new IrrepsAction(output),
            positions, samples: 8, seed: 25);
        Assert.True(report.MaxRelativeError < tolerance, report.ToString());
        // The pseudoscalar is not identically zero, so the parity test above has teeth.
        Assert.True(tfn.Forward(positions, attributes).narrow(2, 2, 1).abs().max().ToDouble() > 1e-6);
    }

    [Fact]
    public void TensorField_IsTranslationInvariant_AndIgnoresPaddedAtoms()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(26);
        using var tfn = SmallTfn(Irreps.Parse("1x0e+1x1o"));
        tfn.to(ScalarType.Float64);
        var positions = torch.randn(2, 5, 3, dtype: ScalarType.Float64);
        var attributes = torch.ones(2, 5, 1, dtype: ScalarType.Float64);
        var y = tfn.Forward(positions, attributes);
        var moved = tfn.Forward(positions + torch.tensor(new[] { 4.0, -2, 1 }), attributes);
        Assert.True((y - moved).abs().max().ToDouble() < 1e-10);
        // A padded sixth atom anywhere changes nothing for the others.
        var padded = torch.cat(new[] { positions, torch.randn(2, 1, 3, dtype: ScalarType.Float64) * 0.1 }, 1);
        var mask = torch.cat(new[] { torch.ones(2, 5), torch.zeros(2, 1) }, 1);
        var withPadding = tfn.Forward(padded, torch.ones(2, 6, 1, dtype: ScalarType.Float64), mask);
        Assert.True((withPadding.narrow(1, 0, 5) - y).abs().max().ToDouble() < 1e-10);
        Assert.Equal(0.0, withPadding.narrow(1, 5, 1).abs().max().ToDouble());
    }

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5)]
    [InlineData(ScalarType.Float64, 1e-10)]
    public void TensorField_EnergyIsInvariant_AndForcesRotateWithInput(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(27);
        using var tfn = SmallTfn(Irreps.Parse("1x0e"));
        tfn.to(dtype);
        var positions = torch.randn(3, 6, 3, dtype: dtype) * 1.2;
        var attributes = torch.ones(3, 6, 1, dtype: dtype);
        var energy = EquivarianceCheck.Invariance(x => tfn.Energy(x, attributes).unsqueeze(1), new IrrepsAction(1, Irreps.Empty), positions, samples: 6, seed: 28);
        Assert.True(energy.MaxRelativeError < tolerance, energy.ToString());
        var forces = EquivarianceCheck.Run(x => tfn.EnergyAndForces(x, attributes).Forces, new IrrepsAction(1, Irreps.Empty), new IrrepsAction(1, Irreps.Empty),
            positions, samples: 6, seed: 29);
        Assert.True(forces.MaxRelativeError < tolerance * 10, forces.ToString());
        // Conservative: the forces of an isolated system sum to zero (translation invariance of E).
        var f = tfn.EnergyAndForces(positions, attributes).Forces;
        Assert.True((f.sum(1).abs().max() / f.abs().max()).ToDouble() < tolerance * 10);
    }

    [Fact]
    public void TensorField_Forces_MatchFiniteDifferencesOfEnergy()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(30);
        using var tfn = SmallTfn(Irreps.Parse("1x0e"));
        tfn.to(ScalarType.Float64);
        var positions = torch.randn(1, 4, 3, dtype: ScalarType.Float64);
        var attributes = torch.ones(1, 4, 1, dtype: ScalarType.Float64);
        var forces = tfn.EnergyAndForces(positions, attributes).Forces;
        const double h = 1e-5;
        var plus = positions.clone();
        plus[0, 2, 1] += h;
        var minus = positions.clone();
        minus[0, 2, 1] -= h;
        var numeric = -(tfn.Energy(plus, attributes) - tfn.Energy(minus, attributes)).ToDouble() / (2 * h);
        Assert.Equal(numeric, forces[0, 2, 1].ToDouble(), 6);
    }

    [Fact]
    public void Models_RejectNaNCoordinates()
    {
        using var scope = NewDisposeScope();
        using var tfn = SmallTfn(Irreps.Parse("1x0e"));
        var positions = torch.randn(1, 4, 3);
        positions[0, 1, 0] = torch.tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => tfn.Forward(positions, torch.ones(1, 4, 1))).Message);
        using var egnn = new Egnn(1, 0, 8, 1, velocity: false);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => egnn.Forward(torch.ones(1, 4, 1), positions)).Message);
    }
}
