using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Generic;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Generic;

[Collection("NoParallel")] // draws its weights and inputs from the global torch generator after seeding it
public class EmlpTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "O5", "2V", "1" },
        { "O3", "5+5V", "T(2)" },
        { "lorentz", "4V", "1" },
        { "SO13+", "V+V⊗V", "V" },
        { "S5", "V+T(2)", "V" },
        { "SO3", "V⊗V", "V" },
    };

    private static IReadOnlyList<GroupElement> Elements(MatrixGroup g) => TestCases.MatrixGroupElements(g, seed: 17);

    [Theory, MemberData(nameof(Cases))]
    public void EquivariantLinear_IsEquivariant_InFloat32(string group, string input, string output)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var g = MatrixGroup.Parse(group);
        var (rin, rout) = (TensorRepresentation.Parse(input, g), TensorRepresentation.Parse(output, g));
        using var layer = new EquivariantLinear(rin, rout);
        var x = randn(16, rin.Dim);
        var report = EquivarianceCheck.Run(layer.forward, new RepresentationAction(rin), new RepresentationAction(rout), x, Elements(g));
        Assert.True(report.MaxRelativeError < 1e-5, report.ToString());
    }

    [Theory, MemberData(nameof(Cases))]
    public void Emlp_AndItsBilinearAndGates_AreEquivariant_InFloat32(string group, string input, string output)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(2);
        var g = MatrixGroup.Parse(group);
        var (rin, rout) = (TensorRepresentation.Parse(input, g), TensorRepresentation.Parse(output, g));
        // Lorentz needs V* blocks: without them no path carries a four-vector to a scalar and the output would not
        // depend on the input at all (the constructor now refuses that; the check would pass vacuously).
        var hidden = TensorRepresentation.Parse(group == "lorentz" ? "8+4V+4V*+2T(2)" : "8+4V+2T(2)", g);
        using var model = new Emlp(rin, rout, hidden, 2);
        var x = randn(16, rin.Dim) * 0.5;
        var elements = Elements(g);
        // float32: the mean error is at rounding level; single small outputs can reach ~1e-5 relative, hence max ≤ Float32.
        var report = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x, elements);
        Assert.True(report.MeanRelativeError < 1e-5 && report.MaxRelativeError < Tolerance.Float32, report.ToString());
        // float64: the same weights are exactly equivariant.
        model.to(ScalarType.Float64);
        var report64 = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x.to_type(ScalarType.Float64), elements);
        Assert.True(report64.MaxRelativeError < Tolerance.Float64, report64.ToString());
    }

    [Fact]
    public void Rpp_StartsAsTheEmlp_BreaksEquivarianceOnceTheFreePathMoves_AndItsPriorPenalisesTheFreePathMore()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        var g = MatrixGroup.O(3);
        var (rin, rout) = (TensorRepresentation.Parse("5+5V", g), TensorRepresentation.Parse("T(2)", g));
        using var model = new Emlp(rin, rout, TensorRepresentation.Parse("8+4V+2T(2)", g), 1, residualPathways: true);
        // In float64, so that "starts as the EMLP" is checked without float32 rounding (whose worst case over samples
        // sits near the float32 bound for this architecture and moves with the thread count).
        model.to(ScalarType.Float64);
        var x = randn(16, rin.Dim, dtype: ScalarType.Float64);
        var elements = g.Sample(3, seed: 1);
        var start = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x, elements);
        Assert.True(start.MaxRelativeError < Tolerance.Float32, $"the free paths start at zero: {start}");
        Assert.True(start.MaxRelativeError < Tolerance.Float64, $"the free paths start at zero (float64): {start}");
        Assert.Equal(0.0, model.PriorPenalty(0, 1).ToDouble());
        using (no_grad())
            foreach (var (name, p) in model.named_parameters())
                if (name.StartsWith("free", StringComparison.Ordinal)) p.add_(0.1 * randn_like(p));
        var moved = EquivarianceCheck.Run(model.forward, new RepresentationAction(rin), new RepresentationAction(rout), x, elements);
        Assert.True(moved.MeanRelativeError > 1e-3, $"a non-zero free path breaks equivariance: {moved}");
        double eqOnly = model.PriorPenalty(1, 0).ToDouble(), freeOnly = model.PriorPenalty(0, 1).ToDouble();
        Assert.True(eqOnly > 0 && freeOnly > 0);
        Assert.Equal(eqOnly * 1e-5 + freeOnly * 1e-2, model.PriorPenalty(1e-5, 1e-2).ToDouble(), 4);
    }

    [Fact]
    public void EquivariantLinear_WeightIsInTheBasisSpan_AndMatchesForward()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(4);
        var g = MatrixGroup.SO(3);
        var rep = TensorRepresentation.Parse("V⊗V", g);
        var vec = TensorRepresentation.Parse("V", g);
        using var layer = new EquivariantLinear(rep, vec, bias: false);
        Assert.Equal(1, layer.FreeParameters); // the cross product
        var x = randn(4, 9);
        var direct = x.matmul(layer.Weight().t());
        Assert.True((layer.forward(x) - direct).abs().max().ToSingle() < 1e-6);
    }

    [Fact]
    public void EquivariantLinear_WithNoEquivariantMap_ThrowsAClearError()
    {
        var g = MatrixGroup.O(3);
        var error = Assert.Throws<ArgumentException>(() => new EquivariantLinear(TensorRepresentation.Parse("V⊗V", g), TensorRepresentation.Parse("V", g)));
        Assert.Contains("basis is empty", error.Message);
    }

    [Fact]
    public void EquivariantLinear_SurvivesLeavingItsConstructionScope()
    {
        var g = MatrixGroup.O(3);
        EquivariantLinear layer;
        using (var outer = NewDisposeScope())
            layer = new EquivariantLinear(TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("V+1", g));
        using var scope = NewDisposeScope();
        var y = layer.forward(randn(3, 6));
        Assert.Equal(new long[] { 3, 4 }, y.shape);
        layer.Dispose();
    }
}
