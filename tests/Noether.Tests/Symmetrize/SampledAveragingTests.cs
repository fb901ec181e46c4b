using Noether.Data;
using Noether.Nn.Graphs;
using Noether.Nn.Sets;
using Noether.Runtime;
using Noether.Symmetrize;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Tests.Symmetrize;

/// <summary>The Monte Carlo averaging modules: an already invariant model is unchanged, a non-invariant one gets
/// closer to invariance as the samples grow, and the sample count is bounded.</summary>
[Collection("NoParallel")] // sets the global seed
public class SampledAveragingTests
{
    /// <summary>Random sets of 3–6 elements of dimension 4, padded to 6, and the same sets with their elements shuffled.</summary>
    private static (Tensor X, Tensor Mask, Tensor ShuffledX, Tensor ShuffledMask) Sets(int seed)
    {
        using var generator = new Generator((ulong)seed);
        var x = randn(new long[] { 16, 6, 4 }, generator: generator);
        var lengths = randint(3, 7, new long[] { 16, 1 }, generator: generator);
        var mask = arange(6).unsqueeze(0) < lengths;
        x = x * mask.unsqueeze(2);
        var shuffled = SetOrder.Shuffle(new SetBatch(x, mask), generator);
        return (x, mask, shuffled.Features, shuffled.Mask);
    }

    private static double Relative(Tensor a, Tensor b) => ((a - b).norm() / (b.norm() + 1e-12)).ToDouble();

    [Fact]
    public void SetAveraging_LeavesAnInvariantModelUnchanged_AndMakesAPaddedMlpMoreInvariant()
    {
        using var scope = NewDisposeScope();
        TorchRuntime.Seed(3);
        var deepSets = new DeepSets(4, new[] { 16 }, new[] { 16 }, 2);
        var averagedDeepSets = new SetAveraging(deepSets, samples: 8, seed: 1);
        var (x, mask, sx, smask) = Sets(7);
        using (no_grad())
            Assert.True(Relative(averagedDeepSets.forward(x, mask), deepSets.forward(x, mask)) < 1e-5);

        var mlp = new PaddedSetMlp(4, 6, new[] { 32 }, 2);
        double Error(Module<Tensor, Tensor, Tensor> f)
        {
            using var noGrad = no_grad();
            return Relative(f.forward(sx, smask), f.forward(x, mask));
        }
        double plain = Error(mlp), averaged = Error(new SetAveraging(mlp, samples: 256, seed: 2));
        Assert.True(averaged < plain / 4, $"plain {plain:G3}, averaged over 256 orderings {averaged:G3}");
        Assert.Throws<ArgumentOutOfRangeException>(() => new SetAveraging(mlp, samples: 0, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SetAveraging(mlp, samples: 1025, seed: 0));
    }

    [Fact]
    public void GraphAveraging_LeavesMessagePassingUnchanged_AndMakesAGraphMlpMoreInvariant()
    {
        using var scope = NewDisposeScope();
        TorchRuntime.Seed(4);
        var graphs = RandomGraphs.Generate(8, seed: 5);
        var batch = GraphTask.Batch(graphs);
        var relabelled = GraphTask.Batch(graphs, new Random(6));
        var gin = new GraphNetwork(GraphLayerKind.Gin, 1, 16, 2, 1);
        using (no_grad())
            Assert.True(Relative(new GraphAveraging(gin, samples: 4, seed: 1).forward(batch), gin.forward(batch)) < 1e-5);

        var mlp = new GraphMlp(RandomGraphs.MaxNodes, new[] { 32 }, 1);
        double Error(Module<GraphBatch, Tensor> f)
        {
            using var noGrad = no_grad();
            return Relative(f.forward(relabelled), f.forward(batch));
        }
        double plain = Error(mlp), averaged = Error(new GraphAveraging(mlp, samples: 256, seed: 2));
        Assert.True(averaged < plain / 4, $"plain {plain:G3}, averaged over 256 relabellings {averaged:G3}");
    }

    /// <summary>x ↦ Σ x² (invariant under sign flips) and x ↦ Σ x (not).</summary>
    private sealed class Reduce(bool squares) : Module<Tensor, Tensor>(nameof(Reduce))
    {
        public override Tensor forward(Tensor x) => (squares ? x.square() : x).sum(1, keepdim: true);
    }

    [Fact]
    public void TransformAveraging_LeavesAnInvariantModelUnchanged_AndAveragesOutWhatIsNot()
    {
        using var scope = NewDisposeScope();
        // Random sign flips of every entry: Σ x² is invariant, Σ x averages towards 0.
        static Tensor Flip(Tensor x, Generator g) => x * (randint(0, 2, x.shape, generator: g) * 2 - 1).to(x.dtype);
        var x = randn(new long[] { 32, 10 }, generator: new Generator(9));
        using (no_grad())
        {
            var squares = new Reduce(squares: true);
            Assert.True(Relative(new TransformAveraging(squares, Flip, samples: 8, seed: 1).forward(x), squares.forward(x)) < 1e-6);
            var sums = new Reduce(squares: false);
            var plain = sums.forward(x).norm().ToDouble();
            var averaged = new TransformAveraging(sums, Flip, samples: 256, seed: 1).forward(x).norm().ToDouble();
            Assert.True(averaged < plain / 4, $"plain {plain:G3}, averaged {averaged:G3}");
        }
    }
}
