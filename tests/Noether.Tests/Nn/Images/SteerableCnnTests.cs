using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Images;

public class SteerableCnnTests
{
    [Theory]
    [InlineData("p4cnn")]
    [InlineData("c8")]
    [InlineData("d8")]
    [InlineData("so2")]
    [InlineData("c8-small")]
    public void Logits_AreInvariant_ToQuarterTurnsOfThe28x28Input(string model)
    {
        // The p4cnn acceptance figure: invariant to 90° rotations of the input to ≤ 1e-4 (float32).
        using var scope = NewDisposeScope();
        using var net = ImageModels.Create(model, 10, seed: 1);
        net.eval();
        var x = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(2));
        var space = GSpace2D.Rotations(4);
        var report = EquivarianceCheck.Invariance(v => net.forward(v), new FieldAction(space.Trivial(1)), x, samples: 4);
        Assert.Equal(4, report.PerElement.Count);
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void D8Model_IsInvariant_ToFlipsToo_AndTheCnnIsNot()
    {
        using var scope = NewDisposeScope();
        using var d8 = ImageModels.Create("d8", 10, seed: 3);
        using var cnn = ImageModels.Create("cnn", 10, seed: 3);
        d8.eval();
        cnn.eval();
        var x = rand(new long[] { 3, 1, 28, 28 }, generator: new Generator(4));
        var space = GSpace2D.FlipsRotations(4);
        var action = new FieldAction(space.Trivial(1));
        var invariant = EquivarianceCheck.Invariance(v => d8.forward(v), action, x, samples: 8);
        Assert.True(invariant.MaxRelativeError < Tolerance.Float32, invariant.ToString());
        var plain = EquivarianceCheck.Invariance(v => cnn.forward(v), action, x, samples: 8);
        // Untrained, global pooling makes the CNN nearly invariant already (~1e-4), but not to float32 rounding.
        Assert.True(plain.MaxRelativeError > 1e-5, plain.ToString());
    }

    [Fact]
    public void SteerableCnn_RejectsBadConfigurations()
    {
        Assert.Throws<ArgumentException>(() => new SteerableCnn(GSpace2D.Rotations(4), new[] { 1, 0, 3 }, 10));
        Assert.Throws<ArgumentException>(() => new SteerableCnn(GSpace2D.Rotations(4), new[] { 1, 2, 3 }, 10, kernels: new[] { 3, 3 }));
        Assert.Throws<ArgumentException>(() => new SteerableCnn(GSpace2D.Rotations(4), new[] { 1, 2, 3 }, 10, poolAfter: new[] { 3 }));
        Assert.Throws<ArgumentException>(() => new SteerableCnn(GSpace2D.Rotations(4), new[] { 1, 2, 3 }, 10, kernels: new[] { 3, 4, 3 }));
        Assert.Throws<ArgumentException>(() => ImageModels.Create("nope", 10, 0));
        using var scope = NewDisposeScope();
        using var net = ImageModels.Create("p4cnn", 10, 0);
        var e = Assert.Throws<ArgumentException>(() => net.forward(zeros(2, 3, 28, 28)));
        Assert.Contains("(batch, 1, height, width)", e.Message);
    }
}

public class SteerableCnnExportTests
{
    [Theory]
    [InlineData("p4cnn")]
    [InlineData("d8")]
    [InlineData("so2")]
    [InlineData("c8-small")]
    public void ToPlainModule_AfterTraining_GivesEqualOutputs(string model)
    {
        using var scope = NewDisposeScope();
        var net = (SteerableCnn)ImageModels.Create(model, 10, seed: 5);
        // A few training steps so the batch norms' running statistics and weights are not at their defaults.
        var optimizer = optim.Adam(net.parameters(), 1e-2);
        var x = rand(new long[] { 8, 1, 28, 28 }, generator: new Generator(6));
        var y = randint(10, new long[] { 8 }, generator: new Generator(7));
        net.train();
        for (int step = 0; step < 3; step++)
        {
            using var inner = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(net.forward(x), y).backward();
            optimizer.step();
        }
        net.eval();
        var plain = net.ToPlainModule();
        Assert.DoesNotContain(plain.modules(), m => m is R2Conv);
        using (no_grad())
        {
            var expected = net.forward(x);
            var actual = plain.forward(x);
            // Relative to the logits' scale (float32 sums in a different order): ≤ 1e-5.
            double difference = (expected - actual).abs().max().ToDouble() / Math.Max(1.0, expected.abs().max().ToDouble());
            Assert.True(difference < 1e-5, $"{difference}");
        }
    }
}
