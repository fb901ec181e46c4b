using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Gauge;
using Noether.Nn.Generic;
using Noether.Nn.Images;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn;

/// <summary>Every built-in model with one tensor in and one tensor out is a <c>Module&lt;Tensor, Tensor&gt;</c> and works
/// inside <c>torch.nn.Sequential</c>: same output, its parameters visible, train/eval passed on.</summary>
/// <remarks>Models with other signatures cannot sit in <c>nn.Sequential</c>, which chains one tensor: DeepSets and the
/// Set Transformer take (features, mask); GraphNetwork takes a GraphBatch; Egnn, PointGnn and TensorFieldNetwork take
/// positions and features (and return features and positions).</remarks>
[Collection("NoParallel")] // Emlp draws its weights from the global torch generator after seeding it
public class ModelsInSequentialTests
{
    public static TheoryData<string> Models => new() { "PlainCnn", "SteerableCnn", "EquivariantSequential", "Emlp", "BlockScaledInput", "Lcnn", "GaugeCnn" };

    private static (nn.Module<Tensor, Tensor> Model, Tensor Input) Build(string name)
    {
        random.manual_seed(1);
        var generator = new Generator(2);
        var o5 = MatrixGroup.O(5);
        var (rin, rout) = (TensorRepresentation.Parse("2V", o5), TensorRepresentation.Parse("1", o5));
        var c4 = GSpace2D.Rotations(4);
        return name switch
        {
            "PlainCnn" => (new PlainCnn(1, new[] { 4, 4, 4, 4, 4 }, 10), randn(new long[] { 2, 1, 12, 12 }, generator: generator)),
            "SteerableCnn" => (new SteerableCnn(c4, new[] { 2, 2, 2 }, 10, firstKernel: 5, kernel: 3, seed: 1), randn(new long[] { 2, 1, 12, 12 }, generator: generator)),
            "EquivariantSequential" => (new EquivariantSequential(new R2Conv(c4.Trivial(1), c4.Regular(2), 3, seed: 1), new GlobalInvariantPool(c4.Regular(2))),
                randn(new long[] { 2, 1, 9, 9 }, generator: generator)),
            "Emlp" => (new Emlp(rin, rout, layers: 1, width: 40), randn(new long[] { 4, 10 }, generator: generator)),
            "BlockScaledInput" => (new BlockScaledInput(rin, new Emlp(rin, rout, layers: 1, width: 40)), randn(new long[] { 4, 10 }, generator: generator)),
            "Lcnn" => (new Lcnn(GaugeGroup.SU2, 2, new[] { 2 }, new[] { 1 }, outputs: 1, seed: 2),
                GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 4, 4 }, generator, ScalarType.ComplexFloat32)),
            "GaugeCnn" => (new GaugeCnn(GaugeGroup.SU2, new[] { 4 }, outputs: 1, seed: 1),
                GaugeLinks.Hot(GaugeGroup.SU2, 2, new long[] { 4, 4 }, generator, ScalarType.ComplexFloat32)),
            _ => throw new ArgumentException(name, nameof(name)),
        };
    }

    [Theory, MemberData(nameof(Models))]
    public void Model_WorksInsideNnSequential(string name)
    {
        using var scope = NewDisposeScope();
        var (model, x) = Build(name);
        var sequential = nn.Sequential(model, nn.Identity());
        // eval() must reach the model through the container (batch norms then use their running statistics).
        sequential.eval();
        Assert.False(model.training);
        var direct = model.forward(x);
        var wrapped = sequential.forward(x);
        Assert.Equal(direct.shape, wrapped.shape);
        Assert.True(direct.allclose(wrapped), $"{name}: nn.Sequential changed the output");
        // The container sees the model's parameters (an optimizer built on it would train them).
        Assert.Equal(model.parameters().Count(), sequential.parameters().Count());
        Assert.True(sequential.parameters().Any());
        sequential.train();
        Assert.True(model.training);
    }
}
