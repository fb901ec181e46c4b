using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class RestrictionModuleTests
{
    public static IEnumerable<object[]> Restrictions => new[]
    {
        new object[] { "D8", "regular+E1", "C8" },
        new object[] { "D8", "regular+E3", "D4" },
        new object[] { "C8", "regular+irreps", "C4" },
        new object[] { "D4", "quotient", "D1" },
        new object[] { "O2", "irreps", "SO2" },
        new object[] { "O2", "irreps", "D4" },
        new object[] { "SO2", "irreps", "C4" },
    };

    /// <summary>out(ι(h)·x) = h·out(x) for h in the subgroup's lattice elements.</summary>
    private static EquivarianceReport CheckRestriction(RestrictionModule layer, Tensor x)
    {
        var subspace = (GSpace2D)layer.Out.Space;
        var input = new FunctionAction(subspace.Group, (h, v) => GeometricTensor.Apply(layer.In, layer.Embedding.Apply(h), v), "ρ_in∘ι");
        return EquivarianceCheck.Run(v => layer.forward(v), input, new FieldAction(layer.Out), x, Lattice(subspace));
    }

    [Theory, MemberData(nameof(Restrictions))]
    public void Forward_IsExactlyEquivariant_UnderTheSubgroup_Float32(string group, string fields, string subgroup)
    {
        using var scope = NewDisposeScope();
        var layer = new RestrictionModule(Field(Space(group), fields, 2), subgroup);
        Assert.Equal(subgroup, layer.Out.Space.Group.Name);
        var report = CheckRestriction(layer, Input(layer.In, 9, seed: 1));
        Assert.True(report.PerElement.Count >= 2);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64()
    {
        using var scope = NewDisposeScope();
        var layer = new RestrictionModule(Space("D8").Regular(2), "D4");
        var report = CheckRestriction(layer, Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void D16Regular_BecomesC16Fields_WithTheSameData()
    {
        using var scope = NewDisposeScope();
        var layer = new RestrictionModule(GSpace2D.FlipsRotations(16).Regular(2), "C16");
        Assert.Equal(Group.Cyclic(16), layer.Out.Space.Group);
        Assert.Equal(2, layer.Out.Representations.Count);
        Assert.All(layer.Out.Representations, r => Assert.Equal(32, r.Dim));
        Assert.Same(layer.Out.Representations[0], layer.Out.Representations[1]);
        var x = Input(layer.In, 4, seed: 3);
        var y = layer.forward(x);
        Assert.Equal(0.0, (y - x).abs().max().ToDouble());
        // The restricted regular representation still permutes channels: a pointwise ReLU of C16 accepts it.
        var relu = new PointwiseNonlinearity(layer.Out);
        Assert.Equal(layer.Out, relu.In);
    }

    [Fact]
    public void EmbeddingThatMovesThePlaneDifferently_IsRejected()
    {
        // r ↦ r⁻¹ embeds C4 in D4 as a group (an automorphism), but C4's 90° turn would act as D4's −90° turn.
        var d4 = Group.Dihedral(4);
        var inverted = new SubgroupEmbedding("C4 ⊂ D4 (inverted)", Group.Cyclic(4), d4, h => d4.Rotation(-((DihedralElement)h).Rotation));
        var e = Assert.Throws<ArgumentException>(() => new RestrictionModule(Space("D4").Regular(1), inverted));
        Assert.Contains("does not move the plane consistently", e.Message);
        // The library's own embedding is accepted.
        Assert.Equal(Group.Cyclic(4), new RestrictionModule(Space("D4").Regular(1), d4.RotationSubgroup).Out.Space.Group);
    }

    [Fact]
    public void BadInput_GivesClearErrors()
    {
        using var scope = NewDisposeScope();
        var type = Space("D8").Regular(1);
        var unknown = Assert.Throws<ArgumentException>(() => new RestrictionModule(type, "C3"));
        Assert.Contains("C3", unknown.Message);
        var layer = new RestrictionModule(type, "C8");
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(1, 8, 4, 4)));
        Assert.Contains("(batch, 16, height, width)", e.Message);
        Assert.Contains("[1, 8, 4, 4]", e.Message);
    }
}
