using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Gauge;
using Noether.Nn.Generic;
using Noether.Nn.Graphs;
using Noether.Nn.Images;
using Noether.Nn.Points;
using Noether.Nn.Sets;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

public class EquivarianceCheckOfTests
{
    /// <summary>A user's own Sequential of C8 steerable convolutions with a ReLU between them (regular fields).</summary>
    internal static nn.Module<Tensor, Tensor> C8Sequential()
    {
        var space = GSpace2D.Rotations(8);
        return nn.Sequential(
            ("a", new R2Conv(space.Trivial(1), space.Regular(2), kernelSize: 5, seed: 1)),
            ("b", nn.ReLU()),
            ("c", new R2Conv(space.Regular(2), space.Regular(2), kernelSize: 5, seed: 2)));
    }

    [Fact]
    public void Of_UserSequentialOfR2Convs_IsExactAt90Degrees_ApproximateAt45Degrees()
    {
        using var scope = NewDisposeScope();
        using var net = C8Sequential();
        // All 8 rotations of C8 on a 17×17 image; the types declare multiples of 90° exact on the pixel grid.
        var report = EquivarianceCheck.Of(net, size: 17, seed: 3);
        Assert.Equal("C8", report.Symmetry.Name);
        Assert.Equal(8, report.PerElement.Count);
        Assert.Equal(Tolerance.Float32, report.Tolerance);
        Assert.Equal(4, report.Exact.Count);
        Assert.Equal(4, report.Approximate.Count);
        // Measured verdicts agree with the declared ones: 90° multiples exact, odd multiples of 45° only approximate.
        Assert.All(report.PerElement, e => Assert.Equal(e.DeclaredExact ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate, e.Verdict));
        Assert.True(report.DeclaredExactOnly().MaxRelativeError < Tolerance.Float32, report.ToString());
        Assert.True(report.Approximate.Min(e => e.MaxRelativeError) > Tolerance.Float32, report.ToString());
        Assert.True(report.Approximate.Max(e => e.MeanRelativeError) < 1.0, report.ToString());
    }

    [Fact]
    public void Of_SequentialWithPlainConv2d_DeclaresNothing()
    {
        using var scope = NewDisposeScope();
        var space = GSpace2D.Rotations(4);
        using var net = nn.Sequential(("a", new R2Conv(space.Trivial(1), space.Regular(1), kernelSize: 3, seed: 1)),
            ("plain", nn.Conv2d(4, 4, 3)));
        Assert.Null(DeclaredTypes.Of(net));
        var error = Assert.Throws<ArgumentException>(() => EquivarianceCheck.Of(net));
        Assert.Contains("declares no types", error.Message);
    }

    [Fact]
    public void Of_TensorProductOfTwoInputs_IsExact_InFloat64()
    {
        using var scope = NewDisposeScope();
        using var tp = new FullyConnectedTensorProduct(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("0e+1o"), Irreps.Parse("2x0e+2x1o+1x1e"));
        tp.to(ScalarType.Float64);
        // Two inputs, one O(3) element acting on both: 16 seeded Haar samples.
        var report = EquivarianceCheck.Of(tp, seed: 1);
        Assert.Equal("O3", report.Symmetry.Name);
        Assert.Equal(16, report.PerElement.Count);
        Assert.True(report.IsExact && report.MaxRelativeError < Tolerance.Float64, report.ToString());
        // The same check on given inputs (one tensor per input type).
        var x = randn(new long[] { 5, 5 }, dtype: ScalarType.Float64, generator: new Generator(2));
        var y = randn(new long[] { 5, 4 }, dtype: ScalarType.Float64, generator: new Generator(3));
        var given = EquivarianceCheck.Of(tp, new[] { x, y }, samples: 4, seed: 4);
        Assert.True(given.MaxRelativeError < Tolerance.Float64, given.ToString());
        Assert.Equal(5, given.Inputs);
    }

    [Fact]
    public void Of_Egnn_PointsAndFeatures_IsExact_InFloat64()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        using var egnn = new Egnn(nodeFeatures: 2, edgeAttributes: 0, hidden: 8, layers: 2, velocity: false);
        egnn.to(ScalarType.Float64);
        // Inputs: invariant features (2, 6, 2) and positions (2, 6, 3); outputs: invariant features and rotated positions.
        var report = EquivarianceCheck.Of(egnn, size: 6, seed: 2);
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
        // A closure over the module works the same (here: the positions only are compared through the function).
        var closure = EquivarianceCheck.Of(egnn, xs =>
        {
            var (h, positions) = egnn.Forward(xs[0], xs[1]);
            return new[] { h, positions };
        }, size: 6, seed: 2);
        Assert.Equal(report.MaxRelativeError, closure.MaxRelativeError, 15);
    }

    [Fact]
    public void Of_BreaksOnAModuleThatIsNotEquivariant()
    {
        using var scope = NewDisposeScope();
        // A plain linear map declared (wrongly) as O(3)-equivariant on vectors is caught as approximate.
        using var wrong = new DeclaredLinear();
        var report = EquivarianceCheck.Of(wrong, seed: 1);
        Assert.False(report.IsExact);
        Assert.True(report.MaxRelativeError > 0.01, report.ToString());
    }

    [Fact]
    public void PermutationAndGaugeChecks_ReturnTheOneReport()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 3, 5, 2 }, dtype: ScalarType.Float64, generator: new Generator(1));
        var permutation = PermutationCheck.Run(v => v.sum(1), x, new[] { 1 }, Array.Empty<int>(), permutations: 4, seed: 2);
        Assert.Equal(PermutationSymmetry.Instance, permutation.Symmetry);
        Assert.Equal(4, permutation.PerElement.Count);
        Assert.True(permutation.IsExact, permutation.ToString());
        var links = GaugeLinks.RandomElements(GaugeGroup.SU2, new long[] { 2, 2, 3, 3 }, new Generator(3));
        var gauge = GaugeCheck.Invariance(u => GaugeLinks.Trace(u).real, links, samples: 3, seed: 4);
        Assert.Equal("SU2 gauge", gauge.Symmetry.Name);
        Assert.Equal(3, gauge.PerElement.Count);
        Assert.Equal(Tolerance.Float64, gauge.Tolerance);
    }

    /// <summary>Every module that implements <see cref="IEquivariant"/>, by name, with its dtype's tolerance.</summary>
    public static TheoryData<string> DeclaredModules => new(Factories.Keys);

    private sealed record Case(Func<nn.Module> Create, int Size = 5, bool Float64 = true);

    private static readonly Dictionary<string, Case> Factories = new()
    {
        // Images (float32; exact at the pixel grid's own symmetries, Tolerance.Float32).
        ["R2Conv C8"] = new(() => new R2Conv(Image("C8").Trivial(1), Image("C8").Regular(1), kernelSize: 5, seed: 1), 9, Float64: false),
        ["R2Conv D4 float64"] = new(() => new R2Conv(Image("D4").Regular(1), Image("D4").Regular(1), kernelSize: 3, seed: 1).to(ScalarType.Float64), 7),
        ["NormNonlinearity SO2"] = new(() => new NormNonlinearity(Image("SO2").Irrep("E1", 2)), 7, Float64: false),
        ["GroupPooling D4"] = new(() => new GroupPooling(Image("D4").Regular(2)), 7, Float64: false),
        ["InnerBatchNorm C4"] = new(() => new InnerBatchNorm(Image("C4").Regular(2)), 7, Float64: false),
        ["PointwiseMaxPool C4"] = new(() => new PointwiseMaxPool(Image("C4").Regular(1), 2), 8, Float64: false),
        ["SteerableCnn C8"] = new(() => new SteerableCnn(GSpace2D.Rotations(8), new[] { 2, 2, 2 }, 3, seed: 0), 28, Float64: false),
        ["EquivariantSequential C4"] = new(() => new EquivariantSequential(new R2Conv(Image("C4").Trivial(1), Image("C4").Regular(1), kernelSize: 3, seed: 1),
            new PointwiseNonlinearity(Image("C4").Regular(1)), new GlobalInvariantPool(Image("C4").Regular(1))), 7, Float64: false),
        ["PointwiseNonlinearity C4"] = new(() => new PointwiseNonlinearity(Image("C4").Regular(2)), 7, Float64: false),
        ["GatedNonlinearity C4"] = new(() => new GatedNonlinearity(Image("C4").Trivial(1), Image("C4").Regular(1)), 7, Float64: false),
        ["GlobalInvariantPool D4"] = new(() => new GlobalInvariantPool(Image("D4").Regular(2)), 7, Float64: false),
        ["InvariantNorms SO2"] = new(() => new InvariantNorms(Image("SO2").Irrep("E1", 2)), 7, Float64: false),
        ["IIDBatchNorm C4"] = new(() => new IIDBatchNorm(Image("C4").Regular(2)), 7, Float64: false),
        ["NormBatchNorm SO2"] = new(() => new NormBatchNorm(Image("SO2").Irrep("E1", 2)), 7, Float64: false),
        ["NormMaxPool SO2"] = new(() => new NormMaxPool(Image("SO2").Irrep("E1", 1), 2), 8, Float64: false),
        ["PointwiseAvgPool C4"] = new(() => new PointwiseAvgPool(Image("C4").Regular(1), 2), 8, Float64: false),
        ["AntialiasedAvgPool C4"] = new(() => new AntialiasedAvgPool(Image("C4").Regular(1), sigma: 0.6, stride: 2), 9, Float64: false),
        ["FieldBlurPool C4"] = new(() => new FieldBlurPool(Image("C4").Regular(1)), 8, Float64: false),
        // Points (O(3), float64).
        ["IrrepsLinear"] = new(() => new IrrepsLinear(Irreps.Parse("2x0e+1x1o+1x2e"), Irreps.Parse("1x0e+2x1o+1x2e"))),
        ["Gate"] = new(() => new Gate(Irreps.Parse("2x0e"), Irreps.Parse("2x0e"), Irreps.Parse("1x1o+1x2e"))),
        ["NormActivation"] = new(() => new NormActivation(Irreps.Parse("1x0e+2x1o"))),
        ["SphericalHarmonicsEmbedding"] = new(() => new SphericalHarmonicsEmbedding(3)),
        ["FullyConnectedTensorProduct"] = new(() => new FullyConnectedTensorProduct(Irreps.Parse("1x0e+1x1o"), Irreps.Parse("1x1o"), Irreps.Parse("1x0e+1x1o+1x1e"))),
        ["ElementwiseTensorProduct"] = new(() => new ElementwiseTensorProduct(Irreps.Parse("1x0e+1x1o"), Irreps.Parse("1x1o+1x0e"))),
        ["ChannelWiseTensorProduct"] = new(() => new ChannelWiseTensorProduct(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("0e+1o"), maxDegree: 2)),
        ["EgnnLayer"] = new(() => new EgnnLayer(8, 2, velocity: true)),
        ["Egnn"] = new(() => new Egnn(2, 0, 8, 2, velocity: true)),
        ["LinearDynamics"] = new(() => new LinearDynamics()),
        ["TensorFieldNetwork"] = new(() => new TensorFieldNetwork(2, Irreps.Parse("4x0e+2x1o+2x1e"), Irreps.Parse("2x0e+1x1o"), layers: 2, cutoff: 4.0)),
        ["PointGnn (permutations)"] = new(() => new PointGnn(4, 2, 8, 2, 3)),
        // Generic matrix groups (EMLP, SO(3) as a matrix group, float64).
        ["EquivariantLinear"] = new(() => new EquivariantLinear(Rep("2+V"), Rep("V+T(2)"))),
        ["Emlp"] = new(() => new Emlp(Rep("V"), Rep("1"), Rep("4+2V+T(2)"), 2)),
        ["TensorGate"] = new(() => new TensorGate(Rep("2+V"))),
        ["EquivariantBilinear"] = new(() => new EquivariantBilinear(Rep("2+2V"))),
        // Sets (permutations of the element axis, float64).
        ["DeepSets"] = new(() => new DeepSets(3, new[] { 8 }, new[] { 8 }, 2)),
        ["PermutationEquivariantLinear"] = new(() => new PermutationEquivariantLinear(3, 4)),
        ["SetAttentionBlock"] = new(() => new SetAttentionBlock(3, 8, heads: 2)),
        ["InducedSetAttentionBlock"] = new(() => new InducedSetAttentionBlock(3, 8, inducingPoints: 3, heads: 2)),
        ["PoolingByMultiheadAttention"] = new(() => new PoolingByMultiheadAttention(4, seeds: 2, heads: 2)),
        ["SetTransformer"] = new(() => new SetTransformer(3, 8, 2, heads: 2, seeds: 2)),
        ["ElementwiseMlp"] = new(() => new Noether.Nn.Common.ElementwiseMlp(3, new[] { 8 }, 2)),
        ["MultiheadAttentionBlock"] = new(() => new MultiheadAttentionBlock(3, 3, 8, heads: 2, layerNorm: true)),
        // Graphs (node permutations with relabelled edges, float64).
        ["GcnConv"] = new(() => new GcnConv(3, 4), 7),
        ["GinConv"] = new(() => new GinConv(3, 4), 7),
        ["SageConv"] = new(() => new SageConv(3, 4), 7),
        ["GatConv"] = new(() => new GatConv(3, 4, heads: 2), 7),
        ["IgnLinear edge→edge"] = new(() => new IgnLinear(IgnOrders.EdgeToEdge, 2, 3)),
        ["IgnLinear node→edge"] = new(() => new IgnLinear(IgnOrders.NodeToEdge, 2, 3)),
        ["IgnLinear edge→node"] = new(() => new IgnLinear(IgnOrders.EdgeToNode, 2, 3)),
        ["GraphNetwork GIN"] = new(() => new GraphNetwork(GraphLayerKind.Gin, 3, 8, 2, 2), 7),
        ["AttentionReadout"] = new(() => new AttentionReadout(3, 4), 7),
        // Symmetrization (exact over a whole finite group).
        ["GroupAveraging C4"] = new(() => new Noether.Symmetrize.GroupAveraging(new Noether.Nn.Common.Mlp(4, new[] { 8 }, 2), Group.Cyclic(4).Regular)),
        ["ActionAveraging C4"] = new(() => new Noether.Symmetrize.ActionAveraging(new Noether.Nn.Common.Mlp(4, new[] { 8 }, 4),
            new RepresentationAction(Group.Cyclic(4).Regular), Group.Cyclic(4).Elements, new RepresentationAction(Group.Cyclic(4).Regular))),
        // Gauge (random Ω(x) per site, float64 → complex128).
        ["LConv"] = new(() => new LConv(2, 2, 3, reach: 2, seed: 1), 4),
        ["LBilin"] = new(() => new LBilin(2, 3, 2, seed: 1), 4),
        ["LAct SU2"] = new(() => new LAct { Group = GaugeGroup.SU2, Dimensions = 2, Channels = 3 }, 4),
        ["TracePool U1"] = new(() => new TracePool { Group = GaugeGroup.U1, Dimensions = 2, Channels = 2 }, 4),
        ["Lcnn U1"] = new(() => new Lcnn(GaugeGroup.U1, 2, new[] { 3 }, new[] { 1 }, outputs: 2, seed: 1), 4),
        ["Lcnn SU2"] = new(() => new Lcnn(GaugeGroup.SU2, 2, new[] { 3, 3 }, new[] { 1, 2 }, outputs: 2, activation: true, seed: 1), 4),
    };

    [Theory, MemberData(nameof(DeclaredModules))]
    public void Of_EveryDeclaredModule_IsEquivariant(string name)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var @case = Factories[name];
        using var module = @case.Create();
        if (@case.Float64) module.to(ScalarType.Float64);
        Assert.IsAssignableFrom<IEquivariant>(module);
        // Float64 modules claim exactness at 1e-9; float32 image layers at 1e-4 on the pixel grid's own symmetries.
        var report = EquivarianceCheck.Of(module, size: @case.Size, samples: 8, seed: 3, declaredExactOnly: !@case.Float64,
            dtype: @case.Float64 ? ScalarType.Float64 : ScalarType.Float32);
        Assert.Equal(@case.Float64 ? Tolerance.Float64 : Tolerance.Float32, report.Tolerance);
        Assert.True(report.IsExact, $"{name}: {report}");
    }

    /// <summary>The list above covers every class of the library that implements <see cref="IEquivariant"/>: a new
    /// declared module without a case here fails.</summary>
    [Fact]
    public void EveryIEquivariantClassOfTheLibrary_HasACase()
    {
        var declared = typeof(IEquivariant).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEquivariant).IsAssignableFrom(t) && t.IsPublic)
            .Select(t => t.Name).ToHashSet();
        var covered = Factories.Values.Select(c =>
        {
            using var module = c.Create();
            return module.GetType().Name;
        }).ToHashSet();
        // Restriction changes the symmetry (D4 fields in, C4 fields out): RestrictionModuleTests checks it under the subgroup.
        covered.Add(nameof(RestrictionModule));
        var missing = declared.Except(covered).Order().ToArray();
        Assert.True(missing.Length == 0, "IEquivariant classes without a case in Of_EveryDeclaredModule_IsEquivariant: " + string.Join(", ", missing));
    }

    private static GSpace2D Image(string group) => GSpace2D.For(Group.Parse(group), maximumFrequency: 3);

    private static TensorRepresentation Rep(string text) => TensorRepresentation.Parse(text, MatrixGroup.Parse("SO3"));

    /// <summary>A linear map of vectors that claims O(3) equivariance but has a random (non-commuting) weight.</summary>
    private sealed class DeclaredLinear : nn.Module<Tensor, Tensor>, IEquivariant
    {
        private readonly TorchSharp.Modules.Linear linear;

        public DeclaredLinear() : base(nameof(DeclaredLinear))
        {
            random.manual_seed(5);
            linear = nn.Linear(3, 3, hasBias: false, dtype: ScalarType.Float64);
            RegisterComponents();
        }

        public IReadOnlyList<ITensorType> InputTypes => new ITensorType[] { new IrrepsAction(1, Irreps.Empty) };

        public IReadOnlyList<ITensorType> OutputTypes => new ITensorType[] { new IrrepsAction(1, Irreps.Empty) };

        public override Tensor forward(Tensor input) => linear.forward(input);
    }
}

[Collection("NoParallel")]
public class EquivarianceCheckOfLeakTests
{
    [Fact]
    public void Of_LeaksNoTensors()
    {
        using var module = new IrrepsLinear(Irreps.Parse("2x0e+1x1o"), Irreps.Parse("1x0e+1x1o"));
        using var net = EquivarianceCheckOfTests.C8Sequential();
        EquivarianceCheck.Of(module, samples: 2);
        EquivarianceCheck.Of(net, samples: 2);
        DisposeScopeManager.Statistics.Reset();
        using (NewDisposeScope())
        {
            EquivarianceCheck.Of(module, samples: 4, seed: 1);
            EquivarianceCheck.Of(net, samples: 4, seed: 1);
        }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
