using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>Saves and loads model weights atomically and verified: an interrupted save never destroys the previous
/// checkpoint, and a damaged, truncated or foreign file is a clear error instead of other numbers.</summary>
/// <remarks>
/// <para>Format (version <see cref="FormatVersion"/>): the 8 bytes <c>NOETHER\x01</c>; a little-endian int32 with the
/// format version; a little-endian int32 with the length of a UTF-8 JSON header; the header — <c>format</c>, the module's
/// type (<c>module</c>), its parameters and buffers with their shapes and dtypes (<c>tensors</c>), the byte length and
/// the SHA-256 of the weights (<c>bytes</c>, <c>sha256</c>) —; then the weights as TorchSharp writes them
/// (<c>Module.save</c>).</para>
/// <para>Loading checks the header, the checksum and that the file holds the same module type before any weight is
/// read. A file without the header (a checkpoint of the format before, a raw TorchSharp file) is loaded as it is, with
/// no checksum to verify; saving it again writes the current format.</para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>The format version <see cref="Save"/> writes.</summary>
    public const int FormatVersion = 2;

    private static readonly byte[] Magic = "NOETHER\u0001"u8.ToArray();

    /// <summary>JSON as Noether writes it: a field named twice is an error, not a later surprise.</summary>
    internal static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>The largest header read (a header is a few kilobytes; a larger one is a damaged file).</summary>
    private const int MaxHeaderBytes = 16 << 20;

    /// <summary>Writes <paramref name="model"/>'s state to <paramref name="path"/> (with its header and checksum) via a
    /// temporary file in the same folder, renamed over the target when complete.</summary>
    public static void Save(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        byte[] weights;
        using (var buffer = new MemoryStream())
        {
            model.save(buffer);
            weights = buffer.ToArray();
        }
        var header = new JsonObject
        {
            ["format"] = FormatVersion,
            ["module"] = model.GetType().FullName,
            ["tensors"] = new JsonArray(model.state_dict().Select(kv => (JsonNode)new JsonObject
            {
                ["name"] = kv.Key,
                ["shape"] = new JsonArray(kv.Value.shape.Select(n => (JsonNode)n).ToArray()),
                ["dtype"] = kv.Value.dtype.ToString(),
            }).ToArray()),
            ["bytes"] = weights.LongLength,
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(weights)),
        };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new BinaryWriter(file))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(headerBytes.Length);
                writer.Write(headerBytes);
                writer.Write(weights);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Loads weights saved by <see cref="Save"/> into <paramref name="model"/> (same architecture).</summary>
    /// <exception cref="FileNotFoundException">no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">the file is damaged (its weights do not match their checksum, or it is
    /// truncated), was written by a newer format, holds another module type, or is not a checkpoint of this model.</exception>
    public static void Load(Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(path)) throw new FileNotFoundException($"No checkpoint at '{path}'.", path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"'{path}' cannot be read: {e.Message}", e);
        }
        Load(model, bytes, path);
    }

    /// <summary>Loads a checkpoint's bytes as <see cref="Load(Module, string)"/> does; <paramref name="path"/> names it in messages.</summary>
    internal static void Load(Module model, byte[] bytes, string path)
    {
        var weights = bytes.AsSpan().StartsWith(Magic) ? Verified(bytes, path, model) : bytes;
        CheckLayout(weights, model, path);
        try
        {
            using var stream = new MemoryStream(weights, writable: false);
            model.load(stream);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or EndOfStreamException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidDataException($"'{path}' is not a valid checkpoint of {model.GetName()}: {e.Message}", e);
        }
    }

    /// <summary>Reads TorchSharp's weight layout (<c>Module.save</c>: a 7-bit-encoded count, then per tensor its name, dtype,
    /// rank, sizes and raw bytes) against <paramref name="model"/>'s state before TorchSharp does, so a file of another
    /// model or a damaged one without a checksum (the format before) is a clear error, never a huge allocation or a
    /// reader exception from inside TorchSharp.</summary>
    private static void CheckLayout(byte[] weights, Module model, string path)
    {
        var expected = model.state_dict();
        InvalidDataException NotThis(string why) => new($"'{path}' is not a valid checkpoint of {model.GetName()}: {why}.");
        int at = 0;
        long ReadEncoded(string what)
        {
            long value = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (at >= weights.Length) throw NotThis($"it ends inside {what}");
                if (shift > 56) throw NotThis($"{what} is not a valid number");
                byte b = weights[at++];
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
        }
        long count = ReadEncoded("the tensor count");
        if (count != expected.Count) throw NotThis($"it holds {count:N0} tensors, the model has {expected.Count}");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long t = 0; t < count; t++)
        {
            long nameLength = ReadEncoded("a tensor name");
            if (nameLength < 0 || nameLength > 4096 || at + nameLength > weights.Length) throw NotThis($"tensor {t + 1} has a name of {nameLength:N0} bytes");
            string name;
            try
            {
                name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(weights, at, (int)nameLength);
            }
            catch (DecoderFallbackException)
            {
                throw NotThis($"the name of tensor {t + 1} is not UTF-8");
            }
            at += (int)nameLength;
            if (!expected.TryGetValue(name, out var tensor)) throw NotThis($"it holds a tensor '{Shorten(name)}' the model does not have");
            if (!seen.Add(name)) throw NotThis($"it holds tensor '{Shorten(name)}' twice");
            long dtype = ReadEncoded($"the dtype of '{name}'");
            if (dtype != (long)tensor.dtype) throw NotThis($"'{name}' has dtype code {dtype}, the model's is {tensor.dtype}");
            long rank = ReadEncoded($"the rank of '{name}'");
            if (rank != tensor.dim()) throw NotThis($"'{name}' has {rank} axes, the model's has {tensor.dim()}");
            for (int axis = 0; axis < rank; axis++)
            {
                long size = ReadEncoded($"the shape of '{name}'");
                if (size != tensor.shape[axis])
                    throw NotThis($"'{name}' has size {size} on axis {axis}, the model's has shape [{string.Join(", ", tensor.shape)}]");
            }
            long length = tensor.numel() * tensor.element_size();
            if (at + length > weights.Length) throw NotThis($"it ends inside the values of '{name}'");
            at += (int)length;
        }
        if (at != weights.Length) throw NotThis($"{weights.Length - at:N0} bytes follow the last tensor");
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "…";

    /// <summary>The weights of a file in the current format, after checking its header and checksum.</summary>
    private static byte[] Verified(byte[] bytes, string path, Module model)
    {
        InvalidDataException Damaged(string why) => new($"'{path}' is a damaged checkpoint: {why}. Train again or restore the file.");
        int offset = Magic.Length;
        if (bytes.Length < offset + 8) throw Damaged("it ends inside its header");
        int version = BitConverter.ToInt32(bytes, offset);
        int headerLength = BitConverter.ToInt32(bytes, offset + 4);
        if (version > FormatVersion)
            throw new InvalidDataException($"'{path}' was written in checkpoint format {version}; this Noether reads formats up to {FormatVersion}. Update Noether.");
        if (version < 2) throw Damaged($"its format number is {version}");
        if (headerLength < 2 || headerLength > MaxHeaderBytes || offset + 8L + headerLength > bytes.Length) throw Damaged("its header length is wrong");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(offset + 8, headerLength), documentOptions: StrictJson) as JsonObject
                     ?? throw Damaged("its header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is a damaged checkpoint: its header is not valid JSON ({e.Message}).", e);
        }
        var weights = bytes.AsSpan(offset + 8 + headerLength).ToArray();
        string? Text(string field) => header[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.TryGetValue(out string? text) ? text : null;
        string? sha, module;
        try
        {
            if (header["bytes"] is not JsonValue length || !length.TryGetValue(out long expected) || expected != weights.LongLength)
                throw Damaged($"it holds {weights.LongLength:N0} bytes of weights where its header says {Shorten(header["bytes"]?.ToJsonString() ?? "nothing")}");
            sha = Text("sha256");
            module = Text("module");
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"'{path}' is a damaged checkpoint: its header cannot be read ({e.Message}).", e);
        }
        if (sha is null || !string.Equals(sha, Convert.ToHexStringLower(SHA256.HashData(weights)), StringComparison.Ordinal))
            throw Damaged("its weights do not match their SHA-256 checksum");
        if (module != model.GetType().FullName)
            throw new InvalidDataException($"'{path}' holds the weights of a {module?.Split('.')[^1] ?? "module of unknown type"}, not of a {model.GetType().Name}.");
        return weights;
    }
}
