namespace Noether.Training;

/// <summary>What a built-in task is: its symmetry, metric, data source and models.</summary>
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
    /// task has no such knob.</summary>
    public string? SymmetryBreaking { get; init; }

    /// <summary>The task-specific CLI options it accepts beyond the shared ones (<c>draw</c> for nbody, <c>protocol</c>
    /// and <c>lr</c> for the matrix-group tasks); the CLI rejects the others for this task rather than ignore them.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = Array.Empty<string>();
}
