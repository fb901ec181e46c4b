namespace Noether.Training;

/// <summary>Whether a task's data has one candidate symmetry.</summary>
/// <param name="Name">the candidate transformation or group, e.g. <c>rotation-180</c>.</param>
/// <param name="Verdict"><c>exact</c>, <c>approximate</c> or <c>absent</c>.</param>
/// <param name="Score">in [0, 1]: how well the data keeps the symmetry (1 = perfectly).</param>
/// <param name="Notes">what was measured, in words, including labels the transformation changes.</param>
/// <param name="Group">the group in the form <c>noether groups</c>/<c>train</c> accept (e.g. <c>C4</c>), or null.</param>
/// <param name="Discriminator">where measured, the accuracy with which a discriminator tells transformed task inputs
/// from the task's own (0.5: the transformation is already in the task's inputs).</param>
public sealed record SymmetryVerdict(string Name, string Verdict, double Score, string Notes, string? Group, double? Discriminator = null);

/// <summary>The result of <c>noether check --data</c>: each candidate symmetry's verdict and a recommended strategy.</summary>
/// <param name="Task">the task.</param>
/// <param name="Symmetries">one verdict per candidate.</param>
/// <param name="Recommendation">what to train, as a sentence that names the model or strategy and the group.</param>
public sealed record DataSymmetryReport(string Task, IReadOnlyList<SymmetryVerdict> Symmetries, string Recommendation)
{
    /// <summary>The report as JSON (the fields <c>noether check --data --json</c> prints).</summary>
    public System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["task"] = Task,
        ["symmetries"] = new System.Text.Json.Nodes.JsonArray(Symmetries.Select(s => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = s.Name,
            ["verdict"] = s.Verdict,
            ["score"] = s.Score,
            ["notes"] = s.Notes,
            ["group"] = s.Group,
            ["discriminator"] = s.Discriminator,
        }).ToArray()),
        ["recommendation"] = Recommendation,
    };

    /// <summary>Reads what <see cref="ToJson"/> wrote; a malformed object throws <see cref="InvalidDataException"/>.</summary>
    public static DataSymmetryReport FromJson(System.Text.Json.Nodes.JsonNode? json)
    {
        try
        {
            var o = json!.AsObject();
            var symmetries = o["symmetries"]!.AsArray().Select(n => new SymmetryVerdict(n!["name"]!.GetValue<string>(), n["verdict"]!.GetValue<string>(),
                n["score"]!.GetValue<double>(), n["notes"]!.GetValue<string>(), n["group"]?.GetValue<string>(),
                n["discriminator"]?.GetValue<double>())).ToArray();
            return new DataSymmetryReport(o["task"]!.GetValue<string>(), symmetries, o["recommendation"]!.GetValue<string>());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Not a data-symmetry report: {e.Message}", e);
        }
    }

    /// <summary>The report as a Markdown section: one table row per candidate symmetry, then the recommendation.</summary>
    public string ToMarkdown()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("## Data symmetry (`noether check --data`)").AppendLine();
        sb.AppendLine("| candidate | verdict | score | group | what was measured |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var s in Symmetries)
            sb.AppendLine($"| {s.Name} | {s.Verdict} | {s.Score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)} | {s.Group ?? ""} | {s.Notes.Replace("|", "\\|", StringComparison.Ordinal)} |");
        sb.AppendLine().AppendLine($"**Recommendation:** {Recommendation}");
        return sb.ToString();
    }
}
