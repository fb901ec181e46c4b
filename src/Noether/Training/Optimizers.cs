using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Noether.Training;

/// <summary>Makes the optimizer of a run from the parameters and the learning rate: <see cref="Adam"/> (TorchSharp's),
/// <see cref="FusedAdam"/> (the same updates on one flat buffer) or any TorchSharp optimizer (<see cref="Torch"/>).</summary>
/// <example><code>var options = new TrainerOptions(Epochs: 100, BatchSize: 100, LearningRate: 5e-4, Seed: 0)
/// { Optimizer = Optimizers.FusedAdam(weightDecay: 1e-12) };</code></example>
public static class Optimizers
{
    /// <summary>TorchSharp's Adam (<c>torch.optim.Adam</c>).</summary>
    public static OptimizerFactory Adam(double weightDecay = 0) =>
        (parameters, rate) => new TorchOptimizer(optim.Adam(parameters, rate, weight_decay: weightDecay));

    /// <summary><see cref="Training.FusedAdam"/>: Adam's updates in a handful of operations on one flat buffer (for
    /// models with many small parameter tensors).</summary>
    public static OptimizerFactory FusedAdam(double weightDecay = 0) =>
        (parameters, rate) => new FusedAdam(parameters, rate, weightDecay: weightDecay);

    /// <summary>Any TorchSharp optimizer, e.g. <c>Optimizers.Torch((p, lr) =&gt; optim.SGD(p, lr, momentum: 0.9))</c>.</summary>
    public static OptimizerFactory Torch(Func<IEnumerable<Parameter>, double, optim.Optimizer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return (parameters, rate) => new TorchOptimizer(create(parameters, rate));
    }

    /// <summary>A TorchSharp optimizer seen as an <see cref="IOptimizer"/>.</summary>
    private sealed class TorchOptimizer(optim.Optimizer inner) : IOptimizer
    {
        public double LearningRate
        {
            get => inner.ParamGroups.First().LearningRate;
            set
            {
                foreach (var group in inner.ParamGroups) group.LearningRate = value;
            }
        }

        public void ZeroGrad() => inner.zero_grad();

        public void Step() => inner.step();

        public void SaveState(string path)
        {
            var full = Path.GetFullPath(path);
            var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                Helper.save_state_dict(temp);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }

        private OptimizerHelper Helper => inner as OptimizerHelper
            ?? throw new NotSupportedException($"{inner.GetType().Name} cannot save its state, so a run that uses it cannot resume; train without a state folder.");

        public void LoadState(string path)
        {
            try
            {
                Helper.load_state_dict(path);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or EndOfStreamException or FormatException)
            {
                throw new InvalidDataException($"'{path}' is not the state of this optimizer: {e.Message}", e);
            }
        }

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>Makes an optimizer over <paramref name="parameters"/> (those that require gradients) with step size
/// <paramref name="learningRate"/>.</summary>
public delegate IOptimizer OptimizerFactory(IEnumerable<Parameter> parameters, double learningRate);
