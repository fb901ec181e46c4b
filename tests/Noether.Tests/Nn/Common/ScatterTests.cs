using Noether.Nn.Common;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Common;

public sealed class ScatterTests
{
    [Fact]
    public void Scatter_SumMeanMaxSoftmax_HaveTheirValues_AndEmptyGroupsGiveZero()
    {
        using var scope = NewDisposeScope();
        var source = tensor(new float[] { 1, 4, -2, 3, 5 }).unsqueeze(1);
        var index = tensor(new long[] { 0, 0, 2, 2, 2 });
        Assert.Equal(new float[] { 5, 0, 6 }, Scatter.Sum(source, index, 3).data<float>().ToArray());
        Assert.Equal(new float[] { 2.5f, 0, 2 }, Scatter.Mean(source, index, 3).data<float>().ToArray());
        Assert.Equal(new float[] { 4, 0, 5 }, Scatter.Max(source, index, 3).data<float>().ToArray());
        var softmax = Scatter.Softmax(source, index, 3).squeeze(1);
        var first = tensor(new float[] { 1, 4 }).softmax(0);
        Assert.True(allclose(softmax.narrow(0, 0, 2), first, 1e-6, 1e-6));
        Assert.True(allclose(Scatter.Sum(softmax.unsqueeze(1), index, 3).squeeze(1), tensor(new float[] { 1, 0, 1 }), 1e-6, 1e-6));
        // The max's gradient reaches the arg-max rows only.
        var leaf = source.clone().requires_grad_(true);
        Scatter.Max(leaf, index, 3).sum().backward();
        Assert.Equal(new float[] { 0, 1, 0, 0, 1 }, leaf.grad!.squeeze(1).data<float>().ToArray());
    }
}
