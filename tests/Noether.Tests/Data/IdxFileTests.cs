using System.Buffers.Binary;
using System.IO.Compression;
using Noether.Data;

namespace Noether.Tests.Data;

/// <summary>IDX files written by hand to a temporary directory: plain, gzip, and broken ones.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("noether-idx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>An IDX file: 00 00 type rank, big-endian sizes, then the data.</summary>
    internal static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(bytes);
        return memory.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static readonly byte[] Pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();

    [Theory]
    [InlineData(false, "images-idx3-ubyte")]
    [InlineData(true, "images-idx3-ubyte")]
    [InlineData(true, "no-gz-suffix")] // gzip is detected from the content, not the name
    public void Read_ReturnsDimensionsAndBytes_PlainOrGzip(bool gzip, string name)
    {
        var bytes = Idx(0x08, new[] { 2, 3, 4 }, Pixels);
        var file = IdxFile.Read(Write(name, gzip ? Gzip(bytes) : bytes));
        Assert.Equal(new[] { 2, 3, 4 }, file.Dimensions);
        Assert.Equal(Pixels, file.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TruncatedFile_NamesExpectedAndActualSizes(bool gzip)
    {
        var bytes = Idx(0x08, new[] { 2, 3, 4 }, Pixels)[..^5]; // 40 bytes needed, 35 present
        string path = Write("truncated", gzip ? Gzip(bytes) : bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("need 40 bytes", e.Message);
        Assert.Contains("is 35 bytes", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_TrailingBytes_NamesExpectedAndActualSizes(bool gzip)
    {
        var bytes = Idx(0x08, new[] { 2, 3, 4 }, Pixels).Concat(new byte[] { 1, 2, 3 }).ToArray();
        string path = Write("extra", gzip ? Gzip(bytes) : bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("trailing", e.Message);
        Assert.Contains("need 40 bytes", e.Message);
        Assert.Contains("is 43 bytes", e.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_IsRejected()
    {
        // Rank 3 needs 16 header bytes; only 10 are there.
        string path = Write("short-header", Idx(0x08, new[] { 2, 3, 4 }, Pixels)[..10]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("at least 16 bytes", e.Message);
        Assert.Contains("is 10 bytes", e.Message);
    }

    [Fact]
    public void Read_BadMagic_NamesExpectedAndActualBytes()
    {
        var bytes = Idx(0x08, new[] { 2, 3, 4 }, Pixels);
        bytes[0] = 0x12;
        string path = Write("bad-magic", bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("expected the first two bytes 00 00, got 12 00", e.Message);
    }

    [Theory]
    [InlineData(0x0D, "float32")]
    [InlineData(0x42, "unknown")]
    public void Read_UnsupportedTypeCode_IsRejectedByName(byte type, string description)
    {
        string path = Write("float", Idx(type, new[] { 2, 3, 4 }, Pixels));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"0x{type:X2} ({description}", e.Message);
        Assert.Contains("expected 0x08 (unsigned byte)", e.Message);
    }

    [Fact]
    public void Read_CorruptGzip_NamesTheFile()
    {
        var bytes = Gzip(Idx(0x08, new[] { 2, 3, 4 }, Pixels));
        for (int i = 12; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A; // keep the gzip magic, break the stream
        string path = Write("corrupt.gz", bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(_directory, "absent");
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }
}
