using TorchSharp;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>Saves and loads model weights atomically, so an interrupted save never destroys the
/// previous checkpoint, and a corrupt file gives a clear error.</summary>
public static class Checkpoint
{
    /// <summary>Writes <paramref name="model"/>'s state to <paramref name="path"/> via a temporary file
    /// in the same folder, renamed over the target when complete.</summary>
    public static void Save(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            model.save(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads weights saved by <see cref="Save"/> into <paramref name="model"/> (same architecture).</summary>
    /// <exception cref="FileNotFoundException">no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">the file is not a checkpoint of this model (corrupt, truncated, other architecture).</exception>
    public static void Load(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        try
        {
            model.load(path);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or EndOfStreamException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidDataException($"'{path}' is not a valid checkpoint of {model.GetName()}: {e.Message}", e);
        }
    }
}
