using System.Security.Cryptography;
using System.Text;

namespace Noether.Training;

/// <summary>The trainer-state folder of one run of an experiment, <c>out/.trainer/&lt;hash of the run key&gt;</c>, held
/// under an exclusive lock while the run trains: an interrupted grid resumes the run mid-way, and two processes filling
/// one experiment folder never write the same state.</summary>
public sealed class RunState : IDisposable
{
    private readonly FileStream? _lock;

    private RunState(string? directory, FileStream? lockFile)
    {
        Directory = directory;
        _lock = lockFile;
    }

    /// <summary>The folder to give the trainer (<see cref="TrainerOptions.StateDirectory"/>), or null when another
    /// process holds this run's state (then the run trains without one).</summary>
    public string? Directory { get; }

    /// <summary>Claims the state folder of the run <paramref name="runKey"/> under <paramref name="experimentDirectory"/>.</summary>
    public static RunState Claim(string experimentDirectory, string runKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentDirectory);
        ArgumentNullException.ThrowIfNull(runKey);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(runKey)), 0, 8).ToLowerInvariant();
        var directory = Path.Combine(Path.GetFullPath(experimentDirectory), ".trainer", hash);
        System.IO.Directory.CreateDirectory(directory);
        try
        {
            var lockFile = new FileStream(Path.Combine(directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new RunState(directory, lockFile);
        }
        catch (IOException)
        {
            return new RunState(null, null);
        }
    }

    /// <summary>Deletes the state once the run is recorded (its results are in runs.json).</summary>
    public void Complete()
    {
        if (Directory is null) return;
        _lock?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <inheritdoc />
    public void Dispose() => _lock?.Dispose();
}
