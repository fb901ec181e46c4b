using System.ComponentModel;
using Spectre.Console.Cli;

using Noether.Training.Tasks;

namespace Noether.Cli;

/// <summary>The options every training command shares: task, epochs, data, threads; the task's own options come from
/// its declarations (<see cref="TaskOptionArguments"/>).</summary>
public class TaskSettings : JsonSettings, ITakesTaskOptions
{
    /// <summary>The task.</summary>
    [CommandOption("--task <TASK>")]
    [Description("A task from `noether tasks`. Its own options (e.g. --pooling, --draw, --lr) are listed by `noether tasks TASK`.")]
    public string? Task { get; init; }

    /// <summary>Epochs, or null for each model's default.</summary>
    [CommandOption("--epochs <E>")]
    [Description("Training epochs per run (default: the budget of the task's recorded result for the model; see `noether tasks TASK`).")]
    public int? Epochs { get; init; }

    /// <summary>Data location.</summary>
    [CommandOption("--data <DIR>")]
    [Description("Tasks that read data files (rotated-fashion-mnist, rotated-mnist, mnist-sum): where the data set is, if not in its default place.")]
    public string? Data { get; init; }

    /// <summary>libtorch threads.</summary>
    [CommandOption("--threads <N>")]
    [Description("libtorch threads (default: all cores, except tasks with tiny models, which use 1 unless this is given).")]
    public int? Threads { get; init; }

    /// <summary>The memory limit of the run's data (and of any basis solve), e.g. 16G.</summary>
    [CommandOption("--memory-limit <SIZE>")]
    [Description("Refuse work whose memory estimate is above SIZE (e.g. 16G, 512M; default: half the machine's memory, or NOETHER_MEMORY_LIMIT).")]
    public string? MemoryLimit { get; init; }

    /// <summary>Checks the shared options against <paramref name="task"/> (a user error names the bad value) and applies --threads and --memory-limit.</summary>
    public void ValidateShared(Noether.Training.Tasks.TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (Epochs is int e && (e < 1 || e > Noether.Training.TrainerOptions.MaxEpochs))
            throw new UserInputException($"--epochs must be between 1 and {Noether.Training.TrainerOptions.MaxEpochs:N0} (got {e}).");
        if (Data is not null && !task.ReadsDataFiles)
            throw new UserInputException($"Task {task.Name} generates its data; --data applies to tasks that read data files " +
                $"({string.Join(", ", Noether.Training.Tasks.TaskCatalog.All.Where(t => t.ReadsDataFiles).Select(t => t.Name))}).");
        TaskOptionArguments.ApplyThreads(Threads);
        TaskOptionArguments.ApplyMemoryLimit(MemoryLimit);
    }
}
