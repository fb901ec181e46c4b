using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Noether.Data;

namespace Noether.Training;

/// <summary>Test metrics shared by the tasks.</summary>
public static class Metrics
{
    /// <summary>The fraction of <paramref name="set"/> the classifier <paramref name="model"/> labels correctly
    /// (eval mode, no gradients, in batches of <paramref name="batchSize"/>).</summary>
    public static double Accuracy(Module<Tensor, Tensor> model, LabeledSet set, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        if (batchSize < 1) throw new ArgumentException($"Batch size must be ≥ 1; got {batchSize}.", nameof(batchSize));
        model.eval();
        long correct = 0;
        using (no_grad())
        {
            for (int start = 0; start < set.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, set.Count - start);
                var predicted = model.forward(set.Inputs.narrow(0, start, count)).argmax(1);
                correct += predicted.eq(set.Labels.narrow(0, start, count)).sum().ToInt64Checked();
            }
        }
        return (double)correct / set.Count;
    }
}
