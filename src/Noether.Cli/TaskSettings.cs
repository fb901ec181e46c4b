using System.ComponentModel;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary>The options every training command shares: task, epochs, training rotation, data.</summary>
public class TaskSettings : JsonSettings
{
    /// <summary>The task.</summary>
    [CommandOption("--task <TASK>")]
    [Description("A task from `noether tasks`.")]
    public string? Task { get; init; }

    /// <summary>Epochs.</summary>
    [CommandOption("--epochs <E>")]
    [Description("Training epochs per run (default 10).")]
    public int Epochs { get; init; } = 10;

    /// <summary>Training rotation for image tasks.</summary>
    [CommandOption("--train-rotation <MODE>")]
    [Description("Image tasks: random (default; each training image rotated by its own angle) or none (upright).")]
    public string TrainRotation { get; init; } = "random";

    /// <summary>DeepSets pooling for set tasks.</summary>
    [CommandOption("--pooling <P>")]
    [Description("Set tasks, model deepsets: sum (default), mean or max pooling.")]
    public string Pooling { get; init; } = "sum";

    /// <summary>Data location.</summary>
    [CommandOption("--data <DIR>")]
    [Description("Where the data set is, if not in its default place.")]
    public string? Data { get; init; }

    /// <summary>Matrix-group tasks: the group the emlp/rpp model is built for.</summary>
    [CommandOption("--group <G>")]
    [Description("Matrix-group tasks: the group of the emlp/rpp model (e.g. O5, SO5, O3, SO3, lorentz, SO13+; default: the task's).")]
    public string? Group { get; init; }

    /// <summary>Matrix-group tasks: a published training protocol instead of --epochs.</summary>
    [CommandOption("--protocol <P>")]
    [Description("Matrix-group tasks: emlp = the EMLP paper's data-efficiency protocol (min(1000, 900,000/n) epochs, cosine learning-rate decay; replaces --epochs).")]
    public string? Protocol { get; init; }

    /// <summary>Matrix-group tasks: Adam's learning rate.</summary>
    [CommandOption("--lr <RATE>")]
    [Description("Matrix-group tasks: Adam's learning rate (default 3e-3), e.g. 1e-3.")]
    public string? LearningRate { get; init; }

    /// <summary>Matrix-group tasks: members of a deep ensemble.</summary>
    [CommandOption("--ensemble <K>")]
    [Description("Matrix-group tasks: train K networks from different initialisations and predict their mean (default 1), e.g. 5.")]
    public string? Ensemble { get; init; }

    /// <summary>The data draw of generated tasks that have more than one.</summary>
    [CommandOption("--draw <D>")]
    [Description("nbody: seeded (default; splits from seeds 1/2/3) or reference (the EGNN paper's own systems, regenerated from its numpy seed 43).")]
    public string? Draw { get; init; }

    /// <summary>nbody's force limit.</summary>
    [CommandOption("--force-clip <MODE>")]
    [Description("nbody: how the simulator limits forces in close encounters: component (default; each component at ±100, the EGNN protocol, which breaks E(3) there), norm (the force's length at 100: E(3) exact) or none.")]
    public string? ForceClip { get; init; }

    /// <summary>libtorch threads.</summary>
    [CommandOption("--threads <N>")]
    [Description("libtorch threads (default: all cores, except tasks with tiny models, which use 1 unless this is given).")]
    public int? Threads { get; init; }

    /// <summary>Symmetry-breaking level(s).</summary>
    [CommandOption("--symmetry-breaking <E>")]
    [Description("Tasks with a symmetry-breaking knob (see `noether tasks`, e.g. modified-inertia): its level ε ≥ 0; experiment takes a list, e.g. 0,0.01,0.1,0.5.")]
    public string? SymmetryBreaking { get; init; }

    /// <summary>The task-specific options passed to every run (<see cref="Noether.Training.Tasks.TaskRunOptions.Options"/>),
    /// with the symmetry-breaking level <paramref name="breaking"/> when one is given (absent otherwise, so runs stored
    /// before the option existed keep their keys).</summary>
    public IReadOnlyDictionary<string, string> TaskOptions(string? breaking = null)
    {
        var options = new Dictionary<string, string>
        {
            ["train-rotation"] = TrainRotation,
            ["pooling"] = Pooling,
            ["group"] = Group ?? "",
        };
        if (breaking is not null) options["symmetry-breaking"] = breaking;
        if (Draw is not null) options["draw"] = Draw;
        if (ForceClip is not null) options["force-clip"] = ForceClip;
        if (Protocol is not null) options["protocol"] = Protocol;
        if (LearningRate is not null) options["lr"] = LearningRate;
        if (Ensemble is not null) options["ensemble"] = Ensemble;
        return options;
    }

    /// <summary>The levels of --symmetry-breaking (invariant text, ascending, distinct), or an empty list when not given;
    /// a task without the knob, a negative or unparsable level are user errors.</summary>
    public IReadOnlyList<string> BreakingLevels(Noether.Training.TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (SymmetryBreaking is null) return Array.Empty<string>();
        if (task.SymmetryBreaking is null)
            throw new UserInputException($"Task {task.Name} has no --symmetry-breaking knob; `noether tasks` lists the tasks that have one (modified-inertia).");
        var levels = new List<double>();
        foreach (var part in SymmetryBreaking.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var level)
                || !double.IsFinite(level) || level < 0)
                throw new UserInputException($"--symmetry-breaking: '{part}' is not a number ≥ 0 (expected e.g. 0.1 or, for experiment, 0,0.01,0.1,0.5).");
            levels.Add(level);
        }
        return levels.Distinct().OrderBy(l => l).Select(l => l.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Rejects a task-specific option given to a task that does not take it (instead of ignoring it).</summary>
    public void CheckTaskOptions(Noether.Training.TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        foreach (var (name, value) in new[] { ("draw", Draw), ("force-clip", ForceClip), ("protocol", Protocol), ("lr", LearningRate), ("ensemble", Ensemble) })
            CheckTaskOption(task, name, value);
    }

    /// <summary>Rejects task-specific option --<paramref name="name"/> (given when <paramref name="value"/> is not
    /// null) for a task that does not take it, naming the tasks that do.</summary>
    public static void CheckTaskOption(Noether.Training.TaskInfo task, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (value is null || task.ExtraOptions.Contains(name)) return;
        var takers = Noether.Training.TaskCatalog.Tasks.Where(t => t.Info.ExtraOptions.Contains(name)).Select(t => t.Info.Name);
        throw new UserInputException($"Task {task.Name} takes no --{name} (tasks that do: {string.Join(", ", takers)}).");
    }

    /// <summary>Rejects a --force-clip that names no force limit.</summary>
    public static void CheckForceClip(string? clip)
    {
        if (clip is not null && !Noether.Training.Tasks.NBodyTask.ForceClips.Contains(clip))
            throw new UserInputException($"--force-clip must be one of {string.Join(", ", Noether.Training.Tasks.NBodyTask.ForceClips)} (got '{clip}').");
    }

    /// <summary>Rejects an --ensemble that is not a whole number of members from 1 to 100.</summary>
    public static void CheckEnsemble(string? ensemble)
    {
        if (ensemble is not null && !Noether.Training.Tasks.MatrixGroupTask.TryParseEnsembleSize(ensemble, out _))
            throw new UserInputException($"--ensemble must be a whole number of members from 1 to 100, e.g. 5 (got '{ensemble}').");
    }

    /// <summary>Rejects a --draw that names no data draw.</summary>
    public static void CheckDraw(string? draw)
    {
        if (draw is not null && !Noether.Training.Tasks.NBodyTask.Draws.Contains(draw))
            throw new UserInputException($"--draw must be one of {string.Join(", ", Noether.Training.Tasks.NBodyTask.Draws)} (got '{draw}').");
    }

    /// <summary>Checks the shared options (a user error names the bad value) and applies --threads.</summary>
    public void ValidateShared()
    {
        if (Epochs < 1) throw new UserInputException($"--epochs must be ≥ 1 (got {Epochs}).");
        if (TrainRotation is not ("random" or "none"))
            throw new UserInputException($"--train-rotation must be random or none (got '{TrainRotation}').");
        if (Protocol is not null && Protocol != "emlp")
            throw new UserInputException($"--protocol must be emlp (got '{Protocol}').");
        if (LearningRate is not null && !Noether.Training.Tasks.MatrixGroupTask.TryParseLearningRate(LearningRate, out _))
            throw new UserInputException($"--lr must be a positive number such as 1e-3 (got '{LearningRate}').");
        CheckEnsemble(Ensemble);
        CheckDraw(Draw);
        CheckForceClip(ForceClip);
        if (Threads is int threads)
        {
            if (threads < 1) throw new UserInputException($"--threads must be ≥ 1 (got {threads}).");
            Noether.Runtime.TorchRuntime.Threads = threads;
        }
    }
}
