using System.Text.Json.Nodes;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>What one run of a task is asked to do (<c>noether train</c>, one cell of <c>noether experiment</c>).</summary>
/// <param name="Model">a model name the task accepts (<see cref="TaskInfo.Models"/>).</param>
/// <param name="Strategy">a strategy the task accepts (<see cref="TaskInfo.Strategies"/>).</param>
/// <param name="TrainSize">training examples, or null for the task's default.</param>
/// <param name="Epochs">training epochs (≥ 1).</param>
/// <param name="Seed">seed of every random choice of the run (subset, weights, shuffling, augmentation).</param>
/// <param name="Options">task-specific options keyed by their CLI name without dashes, e.g.
/// <c>train-rotation</c> for image tasks or <c>group</c> for matrix-group tasks; absent keys take the task's default.</param>
/// <param name="Monitor">called after each epoch with the training-time metrics (loss and, where the task measures
/// it, the model's equivariance error on a few test inputs), so a model that loses its symmetry while training is noticed.</param>
public sealed record TaskRunOptions(string Model, string Strategy = "none", int? TrainSize = null, int Epochs = 10, int Seed = 0,
    IReadOnlyDictionary<string, string>? Options = null, Action<EpochMetrics>? Monitor = null)
{
    /// <summary>The task-specific option <paramref name="key"/>, or <paramref name="fallback"/> when not given.</summary>
    public string Option(string key, string fallback) =>
        Options is not null && Options.TryGetValue(key, out var value) ? value : fallback;
}

/// <summary>The training-time metrics of one epoch.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Loss">mean training loss of the epoch.</param>
/// <param name="EquivarianceError">the model's equivariance error after the epoch on a fixed probe of test inputs, or null where not measured.</param>
public sealed record EpochMetrics(int Epoch, double Loss, double? EquivarianceError);

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
    /// <param name="onEpoch">called after each epoch with (epoch, mean training loss).</param>
    TaskRun Run(TaskRunOptions options, Action<int, double>? onEpoch = null);

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
