using System.Buffers.Binary;
using System.IO.Compression;

namespace Noether.Data;

/// <summary>The contents of an IDX file (the MNIST format): its dimensions and its raw unsigned bytes.</summary>
/// <remarks>
/// Layout: two zero bytes, a type code, the number of dimensions d, then d big-endian 32-bit sizes,
/// then the data, row-major, with no padding (LeCun et al., "THE MNIST DATABASE of handwritten digits").
/// The file may be gzip-compressed; that is detected from the gzip magic bytes (1F 8B), not the name.
/// Only type code 0x08 (unsigned byte) is supported: it is what MNIST and Fashion-MNIST use.
/// Every size is checked: a file shorter or longer than its header declares is rejected.
/// </remarks>
public sealed class IdxFile
{
    /// <summary>The type code of unsigned-byte data, the only one supported.</summary>
    public const byte UnsignedByteType = 0x08;

    private static readonly Dictionary<byte, string> KnownTypes = new()
    {
        [0x08] = "unsigned byte", [0x09] = "signed byte", [0x0B] = "int16", [0x0C] = "int32",
        [0x0D] = "float32", [0x0E] = "float64",
    };

    private IdxFile(string path, int[] dimensions, byte[] data)
    {
        Path = path;
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The sizes of the dimensions, outermost first (for images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The data, row-major, one byte per element (length = product of <see cref="Dimensions"/>).</summary>
    public byte[] Data { get; }

    /// <summary>Reads and validates an IDX file, plain or gzip-compressed.</summary>
    /// <param name="path">the file.</param>
    /// <exception cref="FileNotFoundException">the file does not exist.</exception>
    /// <exception cref="InvalidDataException">bad magic, unsupported type code, or a length that does
    /// not match the dimensions; the message names the file and the expected and actual sizes.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        using var file = File.OpenRead(path);
        var magic = new byte[2];
        int got = ReadFully(file, magic);
        file.Position = 0;
        bool gzip = got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path, gzip);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith("IDX file", StringComparison.Ordinal))
        {
            // GZipStream's own message does not say which file was corrupt.
            throw new InvalidDataException($"IDX file '{path}': the gzip stream is corrupt ({e.Message}).", e);
        }
    }

    /// <summary>Reads an IDX file's bytes (plain or gzip) as <see cref="Read(string)"/> does; <paramref name="path"/> names
    /// it in messages.</summary>
    internal static IdxFile Parse(byte[] bytes, string path)
    {
        bool gzip = bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B;
        using var file = new MemoryStream(bytes, writable: false);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return Read(stream, path, gzip);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith("IDX file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"IDX file '{path}': the gzip stream is corrupt ({e.Message}).", e);
        }
    }

    private static IdxFile Read(Stream stream, string path, bool gzip)
    {
        string what = gzip ? "decompressed length" : "length";
        var header = new byte[4];
        int got = ReadFully(stream, header);
        if (got < 4)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: expected at least 4 header bytes, but its {what} is {got} bytes.");
        if (header[0] != 0 || header[1] != 0)
            throw new InvalidDataException(
                $"IDX file '{path}' has a bad magic number: expected the first two bytes 00 00, got {header[0]:X2} {header[1]:X2}.");
        byte type = header[2];
        if (type != UnsignedByteType)
        {
            string name = KnownTypes.TryGetValue(type, out var known) ? $"{known}, not supported" : "unknown";
            throw new InvalidDataException(
                $"IDX file '{path}' has type code 0x{type:X2} ({name}): expected 0x{UnsignedByteType:X2} (unsigned byte).");
        }
        int rank = header[3];
        if (rank == 0)
            throw new InvalidDataException($"IDX file '{path}' declares 0 dimensions: expected at least 1.");

        var sizes = new byte[4 * rank];
        got = ReadFully(stream, sizes);
        long headerLength = 4 + 4L * rank;
        if (got < sizes.Length)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: its header declares {rank} dimensions, so expected at least {headerLength} bytes, but its {what} is {4 + got} bytes.");
        var dimensions = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes.AsSpan(4 * i));
            if (size > int.MaxValue)
                throw new InvalidDataException($"IDX file '{path}': dimension {i} has size {size}, more than the supported {int.MaxValue}.");
            dimensions[i] = (int)size;
            count *= size;
            if (count > Array.MaxLength)
                throw new InvalidDataException(
                    $"IDX file '{path}': dimensions [{string.Join(", ", dimensions.Take(i + 1))}...] hold more than the supported {Array.MaxLength} elements.");
        }

        string shape = $"[{string.Join(", ", dimensions)}]";
        long expected = headerLength + count;
        if (stream.CanSeek && stream.Length - stream.Position < count)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: dimensions {shape} need {expected} bytes, but its {what} is {headerLength + stream.Length - stream.Position} bytes.");
        // A compressed stream's length is known only by reading it: grow the buffer with the data actually there, so a
        // header that lies about its sizes costs no more memory than the file holds.
        var data = stream.CanSeek ? new byte[count] : ReadUpTo(stream, count);
        got = stream.CanSeek ? ReadFully(stream, data) : data.Length;
        if (got < count)
            throw new InvalidDataException(
                $"IDX file '{path}' is truncated: dimensions {shape} need {expected} bytes, but its {what} is {headerLength + got} bytes.");
        long extra = CountRemaining(stream);
        if (extra > 0)
            throw new InvalidDataException(
                $"IDX file '{path}' has trailing bytes: dimensions {shape} need {expected} bytes, but its {what} is {expected + extra} bytes.");
        return new IdxFile(path, dimensions, data);
    }

    /// <summary>Up to <paramref name="limit"/> bytes of <paramref name="stream"/>, in a buffer that grows with what is read.</summary>
    private static byte[] ReadUpTo(Stream stream, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (buffer.Length < limit)
        {
            int n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
            if (n == 0) break;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static long CountRemaining(Stream stream)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) total += n;
        return total;
    }
}
