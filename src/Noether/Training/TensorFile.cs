using static TorchSharp.torch;

namespace Noether.Training;

/// <summary>Writes and reads named float tensors in a small binary format (name, dtype, shape, raw values), for the
/// trainer's state files: best weights and optimizer moments.</summary>
internal static class TensorFile
{
    private const int Magic = 0x4E545331; // "NTS1"

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Value)> tensors, long header = 0)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temp))
            using (var writer = new BinaryWriter(stream))
            {
                writer.Write(Magic);
                writer.Write(header);
                writer.Write(tensors.Count);
                foreach (var (name, value) in tensors)
                {
                    using var cpu = value.detach().cpu().contiguous();
                    writer.Write(name);
                    writer.Write((int)cpu.dtype);
                    writer.Write((int)cpu.dim());
                    foreach (var d in cpu.shape) writer.Write(d);
                    var bytes = cpu.bytes;
                    writer.Write(bytes.Length);
                    writer.Write(bytes);
                }
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads a file of <see cref="Write"/> into <paramref name="targets"/> (same names, dtypes and shapes, in
    /// order) and returns its header; anything else is an <see cref="InvalidDataException"/>.</summary>
    public static long Read(string path, IReadOnlyList<(string Name, Tensor Value)> targets)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (reader.ReadInt32() != Magic) throw new InvalidDataException($"'{path}' is not a Noether tensor file.");
            long header = reader.ReadInt64();
            int count = reader.ReadInt32();
            if (count != targets.Count) throw new InvalidDataException($"'{path}' holds {count} tensors; expected {targets.Count}.");
            using var noGrad = no_grad();
            foreach (var (name, target) in targets)
            {
                var savedName = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
                var shape = new long[reader.ReadInt32()];
                for (int i = 0; i < shape.Length; i++) shape[i] = reader.ReadInt64();
                var bytes = reader.ReadBytes(reader.ReadInt32());
                if (savedName != name || dtype != target.dtype || !shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"'{path}' holds {savedName} ({dtype}, [{string.Join(", ", shape)}]); expected {name} ({target.dtype}, [{string.Join(", ", target.shape)}]).");
                using var loaded = empty(shape, dtype: dtype);
                loaded.bytes = bytes;
                target.copy_(loaded);
            }
            return header;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is truncated or unreadable: {e.Message}", e);
        }
    }
}
