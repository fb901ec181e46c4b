using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class MiniBatchesTests
{
    /// <summary>Example i has input i and label i % 7.</summary>
    private static LabeledSet Indexed(int count) =>
        new(arange(count, dtype: ScalarType.Float32).reshape(count, 1), arange(count) % 7);

    [Theory]
    [InlineData(103, 10)]
    [InlineData(100, 10)]
    [InlineData(5, 64)]
    [InlineData(7, 1)]
    public void Epoch_CoversEveryExampleOnce_WithLabelsAttached(int count, int batchSize)
    {
        using var scope = NewDisposeScope();
        using var set = Indexed(count);
        var batches = new MiniBatches(set, batchSize, seed: 2);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var seen = new List<int>();
            int n = 0;
            foreach (var (x, y) in batches.Epoch(epoch))
            {
                n++;
                Assert.InRange(x.shape[0], 1, batchSize);
                var ids = x.squeeze(1).data<float>().Select(v => (int)v).ToArray();
                Assert.Equal(ids.Select(i => (long)(i % 7)), y.data<long>().ToArray());
                seen.AddRange(ids);
            }
            Assert.Equal(batches.BatchesPerEpoch, n);
            Assert.Equal(Enumerable.Range(0, count), seen.Order());
            Assert.Equal(batches.Order(epoch), seen);
        }
    }

    [Fact]
    public void Order_IsSeeded_AndChangesFromEpochToEpoch()
    {
        using var scope = NewDisposeScope();
        using var set = Indexed(50);
        var a = new MiniBatches(set, 8, seed: 1);
        var b = new MiniBatches(set, 8, seed: 1);
        var c = new MiniBatches(set, 8, seed: 2);
        Assert.Equal(a.Order(0), b.Order(0));
        Assert.NotEqual(a.Order(0), a.Order(1));
        Assert.NotEqual(a.Order(0), c.Order(0));
        Assert.NotEqual(Enumerable.Range(0, 50), a.Order(0)); // shuffled
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var scope = NewDisposeScope();
        using var set = Indexed(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatches(set, 0, seed: 0));
        Assert.Equal("batchSize", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatches(set, 4, seed: 0).Epoch(-1));
    }
}

/// <summary>The data helpers leave no live tensors behind (STYLE.md §6.7).</summary>
[Collection("NoParallel")]
public class DataLeakTests
{
    [Fact]
    public void RotationSplitsAndBatches_LeakNoTensors()
    {
        using var set = new LabeledSet(zeros(40, 1, 8, 8), arange(40) % 3);
        DisposeScopeManager.Statistics.Reset();
        using (var scope = NewDisposeScope())
        {
            ImageRotation.Rotate(set.Inputs, linspace(0, 3, 40), circularMask: true);
            RotatedImageSet.Rotate(set, seed: 1).Dispose();
            RotatedImageSet.Take(set, 10, seed: 1).Dispose();
            var (train, test) = Mnist.Split(set, 10, seed: 1);
            train.Dispose();
            test.Dispose();
            foreach (var (x, y) in new MiniBatches(set, 16, seed: 0).Epoch(0))
                scope.DisposeEverything(); // the batch's tensors live in the caller's scope
        }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
