namespace Noether.Training;

/// <summary>Whether a task's data has one candidate symmetry.</summary>
/// <param name="Name">the candidate transformation or group, e.g. <c>rotation-180</c>.</param>
/// <param name="Verdict"><c>exact</c>, <c>approximate</c> or <c>absent</c>.</param>
/// <param name="Score">in [0, 1]: how well the data keeps the symmetry (1 = perfectly).</param>
/// <param name="Notes">what was measured, in words, including labels the transformation changes.</param>
/// <param name="Group">the group in the form <c>noether groups</c>/<c>train</c> accept (e.g. <c>C4</c>), or null.</param>
public sealed record SymmetryVerdict(string Name, string Verdict, double Score, string Notes, string? Group);

/// <summary>The result of <c>noether check --data</c>: each candidate symmetry's verdict and a recommended strategy.</summary>
/// <param name="Task">the task.</param>
/// <param name="Symmetries">one verdict per candidate.</param>
/// <param name="Recommendation">what to train, as a sentence that names the model or strategy and the group.</param>
public sealed record DataSymmetryReport(string Task, IReadOnlyList<SymmetryVerdict> Symmetries, string Recommendation);
