
namespace Noether.Training.Tasks;

/// <summary>The built-in tasks (<c>noether tasks</c>, <c>train</c>, <c>experiment</c>, <c>check</c>).</summary>
/// <remarks>A domain adds its tasks by listing their <see cref="ITrainingTask"/> in <see cref="Tasks"/>.</remarks>
public static class TaskCatalog
{
    /// <summary>Every built-in task, in the order <c>noether tasks</c> lists them.</summary>
    public static IReadOnlyList<ITrainingTask> Tasks { get; } = new ITrainingTask[]
    {
        new RingPatternsTask(),
        ImageTask.RotatedFashionMnist,
        ImageTask.RotatedMnist,
        SetTask.DigitSum,
        SetTask.MnistSum,
        SetTask.SetMax,
        SetTask.MogClustering,
        GraphTask.Triangles,
        GraphTask.Components,
        new NBodyTask(),
        new TetrisTask(),
        new LennardJonesTask(),
        MatrixGroupTask.O5Invariant,
        MatrixGroupTask.O3Inertia,
        MatrixGroupTask.LorentzScattering,
        MatrixGroupTask.ModifiedInertia,
        GaugeTask.WilsonLoopsTask,
        GaugeTask.TopologicalChargeTask,
    };

    /// <summary>What every built-in task is.</summary>
    public static IReadOnlyList<TaskInfo> All { get; } = Tasks.Select(t => t.Info).ToArray();

    /// <summary>The task called <paramref name="name"/>; ArgumentException listing the known ones otherwise.</summary>
    public static ITrainingTask Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Tasks.FirstOrDefault(t => t.Info.Name == name)
            ?? throw new ArgumentException($"Unknown task '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
    }
}
