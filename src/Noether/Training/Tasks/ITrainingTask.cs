using System.Text.Json.Nodes;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>What one run of a task is asked to do (<c>noether train</c>, one cell of <c>noether experiment</c>).</summary>
/// <param name="Model">a model name the task accepts (<see cref="TaskInfo.Models"/>).</param>
/// <param name="Strategy">a strategy the task accepts (<see cref="TaskInfo.Strategies"/>); a string converts (<c>"augment"</c>).</param>
/// <param name="TrainSize">training examples, or null for the task's default.</param>
/// <param name="Epochs">training epochs (≥ 1), or null for the model's default (<see cref="TaskInfo.Epochs(TaskRunOptions)"/>).</param>
/// <param name="Seed">seed of every random choice of the run (subset, weights, shuffling, augmentation).</param>
/// <param name="Options">the task options the run gives (<see cref="TaskInfo.Options"/>), keyed by their CLI name
/// without dashes, e.g. <c>train-rotation</c> for image tasks or <c>group</c> for matrix-group tasks; absent keys take
/// the model's or the option's default (<see cref="TaskInfo.Value{T}"/>).</param>
/// <param name="StateDirectory">a folder where the trainer keeps the run's state after every epoch, so that an
/// interrupted run resumes where it stopped (<see cref="TrainerOptions.StateDirectory"/>); null keeps nothing.</param>
public sealed record TaskRunOptions(string Model, Strategy Strategy = default, int? TrainSize = null, int? Epochs = null, int Seed = 0,
    IReadOnlyDictionary<string, string>? Options = null, string? StateDirectory = null)
{
    /// <summary>What identifies this run of <paramref name="task"/> (model, strategy, size, seed and options), so a
    /// saved training state is resumed only by the same run.</summary>
    public string RunKey(string task) =>
        string.Join("|", task, Model, Strategy, TrainSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default", Seed,
            string.Join(",", (Options ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")));

    /// <summary>The run a checkpoint came from, as <c>check</c> describes it: <paramref name="model"/>, the strategy in
    /// <paramref name="options"/>' <c>strategy</c> entry (default none) and the other entries as task options, so that a
    /// task's <c>Check</c> builds the same model its <c>Run</c> trained (a symmetrized model included).</summary>
    public static TaskRunOptions ForCheck(string model, IReadOnlyDictionary<string, string>? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var strategy = options?.GetValueOrDefault("strategy") is { Length: > 0 } named ? named : Strategy.None.Name;
        var rest = options?.Where(kv => kv.Key != "strategy").ToDictionary(kv => kv.Key, kv => kv.Value);
        return new TaskRunOptions(model, strategy, Options: rest);
    }

    /// <summary>The trainer options of this run of <paramref name="task"/> (its state folder and run key included).</summary>
    public TrainerOptions Trainer(string task, int epochs, int? batchSize, double learningRate) =>
        new(epochs, batchSize, learningRate, Seed) { StateDirectory = StateDirectory, RunKey = RunKey(task), Strategy = Strategy };
}

/// <summary>The outcome of one run: the DESIGN.md train fields, the task's extra JSON fields, and the
/// trained model (owned by this object; disposed with it).</summary>
public sealed class TaskRun : IDisposable
{
    /// <summary>Creates the outcome.</summary>
    public TaskRun(RunResult result, JsonObject? extra = null, Module? model = null)
    {
        Result = result ?? throw new ArgumentNullException(nameof(result));
        Extra = extra ?? new JsonObject();
        Model = model;
    }

    /// <summary>The contract's train fields.</summary>
    public RunResult Result { get; }

    /// <summary>Fields the task adds to <c>train --json</c> (e.g. <c>test_by_length</c>).</summary>
    public JsonObject Extra { get; }

    /// <summary>The trained model, for checkpoints; null where the task keeps none.</summary>
    public Module? Model { get; }

    /// <inheritdoc />
    public void Dispose() => Model?.Dispose();
}

/// <summary>The equivariance of one (trained or fresh) model of a task: the whole model and each layer.</summary>
/// <param name="EquivarianceError">mean relative error of the model's output on test inputs.</param>
/// <param name="Layers">per-layer errors, in order; may be a single entry for the whole model.</param>
/// <param name="Action">what was checked, in words (e.g. "rotations by multiples of 90°").</param>
/// <param name="LieDerivatives">for continuous symmetries, the Lie derivative of the output along each
/// one-parameter subgroup (e.g. "rotation", "translation"), relative to the output's norm; null where not measured.</param>
/// <param name="TypeCheck">the static symmetry type check of the model (<see cref="Nn.Images.SymmetryTypeCheck"/>), or null.</param>
public sealed record ModelCheck(double EquivarianceError, IReadOnlyList<LayerError> Layers, string Action,
    IReadOnlyDictionary<string, double>? LieDerivatives = null, Nn.Images.TypeCheckReport? TypeCheck = null);

/// <summary>A task's data, loaded once and shared by the runs of a sweep.</summary>
public interface ITaskData : IDisposable
{
    /// <summary>Trains one model and evaluates it. Bad options throw <see cref="ArgumentException"/> naming the value.</summary>
    /// <param name="options">what to run.</param>
    /// <param name="onEpoch">called after each epoch with the trainer's metrics (0-based epoch, loss, time left …).</param>
    TaskRun Run(TaskRunOptions options, Action<EpochMetrics>? onEpoch = null);

    /// <summary>Creates model <paramref name="model"/> (its weights from <paramref name="checkpoint"/> when given,
    /// see <see cref="Training.Checkpoint"/>) and measures its equivariance per layer on test inputs.</summary>
    /// <param name="model">a model name the task accepts.</param>
    /// <param name="checkpoint">trained weights, or null for the untrained model.</param>
    /// <param name="options">the task options the model was trained with (e.g. <c>pooling</c>, <c>group</c>), so the
    /// same architecture is built; absent keys take the task's default.</param>
    ModelCheck Check(string model, string? checkpoint, IReadOnlyDictionary<string, string>? options = null);

    /// <summary>Which candidate symmetries the task's data has (<c>noether check --data</c>): exact, approximate
    /// or absent, with a score, and a recommended strategy. Tasks without a data diagnostic throw
    /// <see cref="NotSupportedException"/>.</summary>
    /// <param name="options">task options (e.g. <c>train-rotation</c>), as for <see cref="Run"/>.</param>
    /// <param name="seed">seed of the small models the diagnostic trains.</param>
    DataSymmetryReport CheckData(IReadOnlyDictionary<string, string>? options = null, int seed = 0) =>
        throw new NotSupportedException("the data diagnostic exists for the image tasks (rotated-mnist, rotated-fashion-mnist) and nbody so far.");
}

/// <summary>A built-in task: what it is (<see cref="Info"/>) and how to load its data.</summary>
public interface ITrainingTask
{
    /// <summary>Name, symmetry, metric, data source, models and strategies.</summary>
    TaskInfo Info { get; }

    /// <summary>Loads (or generates, from fixed seeds) the task's data. A missing data set throws
    /// <see cref="Data.DataSetNotFoundException"/>, a corrupt one <see cref="InvalidDataException"/>.</summary>
    /// <param name="dataDirectory">where the data is, or null for its default place (ignored by generated tasks).</param>
    ITaskData Load(string? dataDirectory = null);
}
