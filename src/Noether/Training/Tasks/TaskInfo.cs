
namespace Noether.Training.Tasks;

/// <summary>What a built-in task is: its symmetry, metric, data source, models, strategies, the options it declares
/// and the training budget each model uses by default.</summary>
/// <param name="Name">the CLI name, e.g. <c>rotated-mnist</c>.</param>
/// <param name="Description">one sentence.</param>
/// <param name="Symmetry">the group its labels are invariant (or targets equivariant) under.</param>
/// <param name="Metric">what <c>test</c> measures.</param>
/// <param name="DataSource">where the data comes from, and how to install it when it is not generated.</param>
/// <param name="Models">the model names <c>noether train</c> accepts for it.</param>
/// <param name="Strategies">the strategies it accepts.</param>
public sealed record TaskInfo(string Name, string Description, string Symmetry, string Metric, string DataSource,
    IReadOnlyList<string> Models, IReadOnlyList<string> Strategies)
{
    /// <summary>What <c>--symmetry-breaking ε</c> does to the task's data (with its default level), or null when the
    /// task has no such knob (then it declares no <c>symmetry-breaking</c> option).</summary>
    public string? SymmetryBreaking { get; init; }

    /// <summary>The task-specific options it declares (<c>draw</c> for nbody, <c>pooling</c> for sets …); the CLI offers
    /// these and refuses any other.</summary>
    public IReadOnlyList<TaskOption> Options { get; init; } = Array.Empty<TaskOption>();

    /// <summary>Whether the task reads a data set from disk (so <c>--data DIR</c> means something for it).</summary>
    public bool ReadsDataFiles { get; init; }

    /// <summary>An upper estimate of the memory one training example takes once generated or loaded (inputs, targets and
    /// masks as the task stores them, float32 unless stated, with room for one converted copy), from the task's shapes
    /// (default 1 KiB, enough for the point-cloud, matrix-group and ring tasks);
    /// <see cref="Require"/> refuses a training size whose data would exceed <see cref="Runtime.MemoryBudget.Limit"/>.</summary>
    public long ExampleBytes { get; init; } = 1024;

    /// <summary>The training examples of a run that names none (for models without their own in <see cref="ModelDefaults"/>).</summary>
    public int DefaultTrainSize { get; init; } = 1000;

    /// <summary>The epochs of a run that names none (for models without their own in <see cref="ModelDefaults"/>).</summary>
    public int DefaultEpochs { get; init; } = 10;

    /// <summary>Per model, the budget and option values of its recorded result.</summary>
    public IReadOnlyDictionary<string, ModelDefaults> ModelDefaults { get; init; } = new Dictionary<string, ModelDefaults>();

    /// <summary>Epochs fixed by an option rather than by the user (e.g. <c>--protocol emlp</c>: min(1000, 900,000/n)),
    /// given the training size and the run's options; null where no option fixes them.</summary>
    public Func<int, IReadOnlyDictionary<string, string>, int?>? EpochRule { get; init; }

    /// <summary>Refuses a run whose model or strategy the task does not have (naming the ones it has), whose training size
    /// is out of range, or whose data would not fit the memory limit.</summary>
    /// <exception cref="ArgumentException">an unknown model or strategy, or a training size outside 1 … <see cref="MaxTrainSize"/>.</exception>
    /// <exception cref="Runtime.MemoryLimitException">the training set's estimate (<see cref="ExampleBytes"/> each) is above
    /// <see cref="Runtime.MemoryBudget.Limit"/>.</exception>
    public void Require(TaskRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.TrainSize is < 1 or > MaxTrainSize)
            throw new ArgumentException($"--train-size must be between 1 and {MaxTrainSize:N0} (got {run.TrainSize:N0}).", nameof(run));
        if (!Models.Contains(run.Model))
            throw new ArgumentException($"Task {Name} has no model '{run.Model}'; models: {string.Join(", ", Models)}.", nameof(run));
        if (!Strategies.Contains(run.Strategy.Name))
            throw new ArgumentException($"Task {Name} has no strategy '{run.Strategy}'; strategies: {string.Join(", ", Strategies)}.", nameof(run));
        int size = TrainSize(run);
        Runtime.MemoryBudget.Require((double)size * ExampleBytes, $"The {size:N0} training examples of {Name} (about {Runtime.MemoryBudget.Format(ExampleBytes)} each)");
    }

    /// <summary>The option called <paramref name="name"/>, or null.</summary>
    public TaskOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The largest training size a run may ask for (the recorded runs use up to 100,000); larger sizes are
    /// refused before any data is generated or loaded.</summary>
    public const int MaxTrainSize = 1_000_000;

    /// <summary>The training size of <paramref name="run"/>: its own, the model's default, or the task's.</summary>
    public int TrainSize(TaskRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.TrainSize ?? (ModelDefaults.TryGetValue(run.Model, out var d) ? d.TrainSize : null) ?? DefaultTrainSize;
    }

    /// <summary>The epochs a run trains for: fixed by an option (<see cref="EpochRule"/>), else the run's own, else
    /// the model's default, else the task's.</summary>
    public int Epochs(string model, int? requested, int trainSize, IReadOnlyDictionary<string, string>? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (EpochRule?.Invoke(trainSize, options ?? new Dictionary<string, string>()) is int fixedEpochs) return fixedEpochs;
        return requested ?? (ModelDefaults.TryGetValue(model, out var d) ? d.Epochs : DefaultEpochs);
    }

    /// <summary>The epochs of <paramref name="run"/> (see <see cref="Epochs(string, int?, int, IReadOnlyDictionary{string, string}?)"/>).</summary>
    public int Epochs(TaskRunOptions run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Epochs(run.Model, run.Epochs, TrainSize(run), run.Options);
    }

    /// <summary>The value of <paramref name="option"/> in <paramref name="run"/>: the run's, else the model's default,
    /// else the option's.</summary>
    public T Value<T>(TaskOption<T> option, TaskRunOptions run) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(run);
        if (run.Options is not null && run.Options.TryGetValue(option.Name, out var text)) return option.Parse(text);
        if (ModelDefaults.TryGetValue(run.Model, out var d) && d.Options is not null && d.Options.TryGetValue(option.Name, out var modelText))
            return option.Parse(modelText);
        return option.Default;
    }

    /// <summary>Whether the run gave <paramref name="option"/> itself.</summary>
    public static bool Given(TaskOption option, TaskRunOptions run) =>
        run.Options is not null && run.Options.ContainsKey(option.Name);

    /// <summary>Checks the option values a user gave for <paramref name="models"/> (every name declared by this task and
    /// applying to the model, every value valid) and returns them in canonical text; <see cref="ArgumentException"/>
    /// naming the first problem otherwise. Nothing is run before this passes.</summary>
    public IReadOnlyDictionary<string, string> CheckOptions(IReadOnlyDictionary<string, string>? given, IEnumerable<string> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (given is null) return result;
        var chosen = models.ToArray();
        foreach (var (name, text) in given)
        {
            var option = Option(name) ?? throw new ArgumentException(Options.Count == 0
                ? $"Task {Name} takes no --{name} (it has no task options)."
                : $"Task {Name} takes no --{name}; its options: {string.Join(", ", Options.Select(o => "--" + o.Name))}.");
            if (option.Models is { } only && chosen.Length > 0 && !chosen.Any(only.Contains))
                throw new ArgumentException($"--{name} applies to {TaskOption.Words(only)} only (task {Name}), not to {string.Join(", ", chosen)}.");
            result[name] = option.Canonical(text);
        }
        return result;
    }
}
