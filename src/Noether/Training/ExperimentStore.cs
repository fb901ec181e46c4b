using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Noether.Training;

/// <summary>The finished runs of an experiment, kept in <c>runs.json</c> and <c>runs.csv</c> in its folder
/// and rewritten atomically after every run, so an experiment that is stopped midway resumes where it
/// was: a run whose key is already stored is not redone, and none is lost or duplicated.</summary>
/// <remarks>The key of a run is (task, model, strategy, requested training size, epochs, seed, task
/// options): changing any of them makes a new run; the other runs are kept. Several processes may fill one folder:
/// each write happens under a lock file (<see cref="LockFileName"/>) and first takes in the runs the others stored.</remarks>
public sealed class ExperimentStore
{
    private readonly List<(string Key, JsonObject Json, RunResult Run)> _runs = new();
    private static readonly CultureInfo F = CultureInfo.InvariantCulture;

    /// <summary>Opens (or starts) the store in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">runs.json exists but is not a list of runs written by this store.</exception>
    public ExperimentStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        JsonPath = Path.Combine(Directory, "runs.json");
        CsvPath = Path.Combine(Directory, "runs.csv");
        foreach (var entry in ReadFile()) _runs.Add(entry);
    }

    /// <summary>The runs in runs.json (none when it does not exist), first of each key only.</summary>
    private List<(string Key, JsonObject Json, RunResult Run)> ReadFile()
    {
        var runs = new List<(string Key, JsonObject Json, RunResult Run)>();
        if (!File.Exists(JsonPath)) return runs;
        try
        {
            var array = JsonNode.Parse(File.ReadAllText(JsonPath), documentOptions: Checkpoint.StrictJson) as JsonArray
                        ?? throw new InvalidDataException("the top level is not a JSON array");
            for (int i = 0; i < array.Count; i++)
            {
                var json = array[i] as JsonObject ?? throw new InvalidDataException($"entry {i + 1} is not a JSON object");
                var run = Parse(json, i + 1);
                var options = json["options"] switch
                {
                    null => null,
                    JsonObject o => o,
                    _ => throw new InvalidDataException($"entry {i + 1}: 'options' is not a JSON object"),
                };
                int requested = json["requested_size"] switch
                {
                    null => run.TrainSize,
                    JsonValue v when v.TryGetValue(out int size) => size,
                    _ => throw new InvalidDataException($"entry {i + 1}: 'requested_size' is not a whole number"),
                };
                var key = Key(run.Task, run.Model, run.Strategy, requested, run.Epochs, run.Seed,
                    options?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""));
                if (runs.All(r => r.Key != key)) runs.Add((key, (JsonObject)json.DeepClone(), run));
            }
            return runs;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"'{JsonPath}' is not a valid experiment file ({e.Message}); move it away to start afresh.", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{JsonPath}' is not a valid experiment file ({e.Message}); move it away to start afresh.", e);
        }
    }

    /// <summary>The experiment folder.</summary>
    public string Directory { get; }

    /// <summary>runs.json: every finished run with DESIGN.md's train fields, its options and extra fields.</summary>
    public string JsonPath { get; }

    /// <summary>runs.csv: the same runs, one row each (train fields only).</summary>
    public string CsvPath { get; }

    /// <summary>Every stored run, in the order they finished.</summary>
    public IReadOnlyList<RunResult> Runs => _runs.Select(r => r.Run).ToArray();

    /// <summary>The stored run with this key, if any.</summary>
    public RunResult? Find(string task, string model, string strategy, int requestedSize, int epochs, int seed,
        IReadOnlyDictionary<string, string>? options = null)
    {
        var key = Key(task, model, strategy, requestedSize, epochs, seed, options);
        return _runs.FirstOrDefault(r => r.Key == key).Run;
    }

    /// <summary>Stores a finished run (replacing one with the same key) and rewrites both files atomically.</summary>
    /// <param name="run">the run's train fields.</param>
    /// <param name="requestedSize">the training size it was asked for (part of the key).</param>
    /// <param name="options">its task options (part of the key).</param>
    /// <param name="extra">task-specific fields to keep with it (e.g. test_by_length).</param>
    public void Add(RunResult run, int requestedSize, IReadOnlyDictionary<string, string>? options = null, JsonObject? extra = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var key = Key(run.Task, run.Model, run.Strategy, requestedSize, run.Epochs, run.Seed, options);
        var json = ToJson(run);
        if (extra is not null)
            foreach (var (name, value) in extra)
                if (!json.ContainsKey(name)) json[name] = value?.DeepClone();
        json["requested_size"] = requestedSize;
        json["options"] = new JsonObject((options ?? new Dictionary<string, string>())
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        // Another process may be filling the same folder (two experiments, or a second invocation): under an exclusive
        // lock, take in what it stored since this store last read the file, so that neither overwrites the other's runs.
        using (AcquireLock())
        {
            foreach (var stored in ReadFile())
                if (_runs.All(r => r.Key != stored.Key)) _runs.Add(stored);
            _runs.RemoveAll(r => r.Key == key);
            _runs.Add((key, json, run));
            Save();
        }
    }

    /// <summary>The lock file next to runs.json, held exclusively (an advisory lock between processes; waits up to
    /// a minute for another writer).</summary>
    private FileStream AcquireLock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, LockFileName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The name of the lock file writers hold while they update the folder.</summary>
    public const string LockFileName = ".runs.lock";

    /// <summary>DESIGN.md's train fields of one run.</summary>
    public static JsonObject ToJson(RunResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new JsonObject
        {
            ["task"] = r.Task,
            ["model"] = r.Model,
            ["strategy"] = r.Strategy,
            ["train_size"] = r.TrainSize,
            ["epochs"] = r.Epochs,
            ["seed"] = r.Seed,
            ["metric"] = r.Metric,
            // JSON has no NaN or infinity: a diverged run's values are written as null (and read back as NaN).
            ["test"] = Finite(r.Test),
            ["equivariance_error"] = Finite(r.EquivarianceError),
            ["params"] = r.Params,
            ["train_seconds"] = Math.Round(r.TrainSeconds, 3),
        };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>The stored runs as a JSON array (what runs.json holds).</summary>
    public JsonArray ToJsonArray() => new(_runs.Select(r => (JsonNode)r.Json.DeepClone()).ToArray());

    private void Save()
    {
        AtomicFile.WriteAllText(JsonPath, ToJsonArray().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var csv = new StringBuilder("task,model,strategy,train_size,epochs,seed,metric,test,equivariance_error,params,train_seconds\n");
        foreach (var (_, _, r) in _runs)
            csv.AppendLine(string.Join(',', Csv(r.Task), Csv(r.Model), Csv(r.Strategy), r.TrainSize.ToString(F), r.Epochs.ToString(F),
                r.Seed.ToString(F), Csv(r.Metric), r.Test.ToString("R", F), r.EquivarianceError.ToString("R", F), r.Params.ToString(F),
                r.TrainSeconds.ToString("0.###", F)));
        AtomicFile.WriteAllText(CsvPath, csv.ToString());
    }

    private static string Csv(string value) =>
        value.IndexOfAny(new[] { ',', '"', '\n' }) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static RunResult Parse(JsonObject j, int entry)
    {
        T Need<T>(string name) => j[name] is JsonValue v && v.TryGetValue(out T? value) && value is not null
            ? value
            : throw new InvalidDataException($"entry {entry} has no field '{name}' of the right type");
        double Optional(string name) => j[name] is null ? double.NaN : Need<double>(name);
        return new(Need<string>("task"), Need<string>("model"), Need<string>("strategy"), Need<int>("train_size"), Need<int>("epochs"),
            Need<int>("seed"), Need<string>("metric"), Optional("test"), Optional("equivariance_error"), Need<long>("params"),
            Need<double>("train_seconds"));
    }

    private static string Key(string task, string model, string strategy, int size, int epochs, int seed, IReadOnlyDictionary<string, string>? options) =>
        string.Join('|', task, model, strategy, size.ToString(F), epochs.ToString(F), seed.ToString(F),
            string.Join(';', (options ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
}
