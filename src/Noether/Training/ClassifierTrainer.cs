using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Noether.Data;

namespace Noether.Training;

/// <summary>Trains a classifier with Adam and cross-entropy, one dispose scope per mini-batch so
/// native memory stays flat, and measures accuracy.</summary>
public static class ClassifierTrainer
{
    /// <summary>Trains <paramref name="model"/> in place on <paramref name="train"/>.</summary>
    /// <param name="model">maps (batch, ...) to logits (batch, classes).</param>
    /// <param name="train">the training set.</param>
    /// <param name="options">epochs, batch size, learning rate, seed.</param>
    /// <param name="augment">optional per-batch transformation (data augmentation), given the trainer's generator.</param>
    /// <param name="onEpoch">called after each epoch with (epoch, mean training loss).</param>
    /// <returns>the mean training loss of the last epoch.</returns>
    public static double Train(Module<Tensor, Tensor> model, LabeledSet train, TrainOptions options,
        Func<Tensor, Generator, Tensor>? augment = null, Action<int, double>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        model.train();
        using var generator = new Generator((ulong)options.Seed);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        double lastEpochLoss = double.NaN;
        int n = train.Count;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            double sum = 0;
            int batches = 0;
            using var order = randperm(n, generator: generator);
            for (int start = 0; start < n; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(options.BatchSize, n - start));
                var x = train.Inputs.index_select(0, index);
                if (augment is not null) x = augment(x, generator);
                var y = train.Labels.index_select(0, index);
                var loss = functional.cross_entropy(model.forward(x), y);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                sum += loss.ToDouble();
                batches++;
            }
            lastEpochLoss = sum / batches;
            onEpoch?.Invoke(epoch, lastEpochLoss);
        }
        model.eval();
        return lastEpochLoss;
    }

    /// <summary>The fraction of <paramref name="set"/> the model classifies correctly (eval mode, no gradients).</summary>
    public static double Accuracy(Module<Tensor, Tensor> model, LabeledSet set, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(set);
        model.eval();
        long correct = 0;
        using (no_grad())
        {
            for (int start = 0; start < set.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, set.Count - start);
                var predicted = model.forward(set.Inputs.narrow(0, start, count)).argmax(1);
                correct += predicted.eq(set.Labels.narrow(0, start, count)).sum().ToInt64();
            }
        }
        return (double)correct / set.Count;
    }

    /// <summary>The number of trainable parameters.</summary>
    public static long ParameterCount(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
    }
}
