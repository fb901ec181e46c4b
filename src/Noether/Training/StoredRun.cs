using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Noether.Training;

/// <summary>A finished run as stored on disk: its train fields, the whole JSON object it was written as (options and
/// task-specific fields included) and the file it came from.</summary>
/// <param name="Result">DESIGN.md's train fields.</param>
/// <param name="Json">the stored object.</param>
/// <param name="Source">the file it was read from.</param>
public sealed record StoredRun(RunResult Result, JsonObject Json, string Source)
{
    private static readonly CultureInfo F = CultureInfo.InvariantCulture;

    /// <summary>The value of a field as text, or null when the run does not record it: a top-level field (an option's
    /// name with '-' read as '_', e.g. <c>symmetry_breaking</c> for <c>symmetry-breaking</c>) — the value the run
    /// actually used — or else the entry of its <c>options</c> object. An empty value counts as not recorded.</summary>
    public string? Field(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var node = Json[name] ?? Json[name.Replace('-', '_')] ?? (Json["options"] as JsonObject)?[name];
        var text = Text(node);
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>A JSON value as the reports show it: strings as they are, numbers with up to 6 significant digits.</summary>
    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>().ToString("G6", F),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>Reads every run under <paramref name="paths"/>: a file holds a JSON array of runs (an experiment's
    /// <c>runs.json</c>) or one run per line (what <c>noether train --json</c> prints; lines that are not a run object
    /// are skipped); a folder stands for its <c>runs.json</c> when it has one, and otherwise for its <c>*.json</c> files
    /// and, by the same rule, its subfolders. Files are read in ordinal name order.</summary>
    /// <exception cref="FileNotFoundException">a path does not exist.</exception>
    /// <exception cref="InvalidDataException">a file is not JSON runs, or no run is found; the message names the file.</exception>
    public static IReadOnlyList<StoredRun> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        var list = paths.ToArray();
        if (list.Length == 0) throw new ArgumentException("Give at least one folder or file of runs.", nameof(paths));
        foreach (var path in list)
        {
            if (File.Exists(path)) files.Add(Path.GetFullPath(path));
            else if (Directory.Exists(path)) Collect(Path.GetFullPath(path), files);
            else throw new FileNotFoundException($"'{path}' is neither a file nor a folder of runs.", path);
        }
        var runs = new List<StoredRun>();
        foreach (var file in files.Distinct()) runs.AddRange(ReadFile(file));
        if (runs.Count == 0)
            throw new InvalidDataException($"No runs found in {string.Join(", ", list.Select(p => $"'{p}'"))} (expected runs.json files or JSON lines from `train --json`).");
        return runs;
    }

    private static void Collect(string folder, List<string> files)
    {
        var runsJson = Path.Combine(folder, "runs.json");
        if (File.Exists(runsJson))
        {
            files.Add(runsJson);
            return;
        }
        files.AddRange(Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal));
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            if (!Path.GetFileName(sub).StartsWith('.')) Collect(sub, files);
    }

    private static IEnumerable<StoredRun> ReadFile(string file) => ReadText(File.ReadAllText(file), file);

    /// <summary>The runs in a file's text: a runs.json array, or the JSON lines of <c>train --json</c> (other lines skipped).</summary>
    internal static List<StoredRun> ReadText(string text, string file)
    {
        var runs = new List<StoredRun>();
        if (text.TrimStart().StartsWith('['))
        {
            JsonArray array;
            try
            {
                array = JsonNode.Parse(text, documentOptions: Checkpoint.StrictJson) as JsonArray ?? throw new InvalidDataException($"'{file}' starts like a JSON array but is not one.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"'{file}' is not valid JSON ({e.Message}).", e);
            }
            for (int i = 0; i < array.Count; i++)
                runs.Add(Parse(array[i] as JsonObject ?? throw new InvalidDataException($"'{file}': entry {i + 1} is not a JSON object."), file, $"entry {i + 1}"));
            return runs;
        }
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('{')) continue;
            JsonObject? json;
            try
            {
                json = JsonNode.Parse(line, documentOptions: Checkpoint.StrictJson) as JsonObject;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"'{file}', line {i + 1}: not valid JSON ({e.Message}).", e);
            }
            if (json is not null && json.ContainsKey("task") && json.ContainsKey("test")) runs.Add(Parse(json, file, $"line {i + 1}"));
        }
        return runs;
    }

    private static StoredRun Parse(JsonObject j, string file, string where)
    {
        T Need<T>(string name) => j[name] is JsonValue v && v.TryGetValue(out T? value) && value is not null
            ? value
            : throw new InvalidDataException($"'{file}', {where}: not a run of `noether train` or `experiment` (field '{name}' missing or of the wrong type).");
        double Number(string name) => j[name] is null ? double.NaN : Need<double>(name);
        var result = new RunResult(Need<string>("task"), Need<string>("model"), Need<string>("strategy"), Need<int>("train_size"),
            Need<int>("epochs"), Need<int>("seed"), Need<string>("metric"), Number("test"), Number("equivariance_error"),
            j["params"] is null ? 0 : Need<long>("params"), Number("train_seconds"));
        return new StoredRun(result, j, file);
    }
}
