using System.Buffers.Binary;
using System.Text;

namespace Noether.Runtime;

/// <summary>Reads and edits the symbol-version requirements (<c>.gnu.version_r</c>) of a 64-bit
/// little-endian ELF shared library.</summary>
/// <remarks>
/// A library built with a newer GCC may ask libstdc++ for a version node (for example
/// <c>GLIBCXX_3.4.32</c>) that an older system library does not define, and the dynamic loader then
/// refuses it even when no symbol of that version is ever bound. Marking such a requirement weak
/// (<c>VER_FLG_WEAK</c>) makes the loader accept its absence. That is safe only when no relocation
/// uses a symbol of that version, which <see cref="VersionsUsedByRelocations"/> checks.
/// Layout reference: the System V gABI and the LSB "Symbol Versioning" chapter.
/// </remarks>
public sealed class ElfVersionPatcher
{
    private const uint ShtRela = 4;
    private const uint ShtRel = 9;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    /// <summary>The ELF flag that marks a version requirement as weak.</summary>
    public const ushort VerFlagWeak = 0x2;

    private readonly byte[] _bytes;
    private readonly List<Section> _sections = new();

    private readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, ulong EntrySize);

    /// <summary>One version requirement: the library it is asked of, the version name, its flags,
    /// its version index, and the file offset of its flags field.</summary>
    public readonly record struct Requirement(string File, string Version, ushort Flags, ushort Index, int FlagsOffset)
    {
        /// <summary>True when the loader accepts the absence of this version.</summary>
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    /// <summary>Parses an ELF image held in memory.</summary>
    /// <param name="bytes">the whole file; it is edited in place by <see cref="MarkWeak"/>.</param>
    public ElfVersionPatcher(byte[] bytes)
    {
        _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (bad magic).");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        ulong shoff = U64(0x28);
        ushort shentsize = U16(0x3A);
        ushort shnum = U16(0x3C);
        if (shoff == 0 || shnum == 0 || shentsize < 64 || shoff + (ulong)shnum * shentsize > (ulong)bytes.Length)
            throw new InvalidDataException("ELF section header table is missing or truncated.");
        for (int i = 0; i < shnum; i++)
        {
            int h = checked((int)(shoff + (ulong)(i * shentsize)));
            _sections.Add(new Section(U32(h + 4), U64(h + 0x18), U64(h + 0x20), U32(h + 0x28), U64(h + 0x38)));
        }
        Requirements = ReadRequirements();
    }

    /// <summary>Every version requirement in <c>.gnu.version_r</c>, in file order.</summary>
    public IReadOnlyList<Requirement> Requirements { get; private set; }

    /// <summary>The version names this library defines (<c>.gnu.version_d</c>), e.g. the
    /// <c>GLIBCXX_3.4.30</c> nodes of a libstdc++.</summary>
    public IReadOnlySet<string> DefinedVersions()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var verdef = _sections.Find(s => s.Type == ShtGnuVerdef);
        if (verdef.Type == 0) return names;
        var strtab = _sections[(int)verdef.Link];
        int offset = checked((int)verdef.Offset);
        int end = checked((int)(verdef.Offset + verdef.Size));
        while (offset < end)
        {
            ushort count = U16(offset + 6);
            if (count > 0) names.Add(CString(strtab, U32(offset + (int)U32(offset + 12))));
            uint next = U32(offset + 16);
            if (next == 0) break;
            offset += (int)next;
        }
        return names;
    }

    /// <summary>The version indices of the undefined symbols that some relocation refers to.</summary>
    public ISet<ushort> VersionsUsedByRelocations()
    {
        var dynsymIndex = _sections.FindIndex(s => s.Type == ShtDynsym);
        var versym = _sections.Find(s => s.Type == ShtGnuVersym);
        var used = new HashSet<ushort>();
        if (dynsymIndex < 0 || versym.Type == 0) return used;
        foreach (var s in _sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == (uint)dynsymIndex))
        {
            ulong entry = s.EntrySize != 0 ? s.EntrySize : (s.Type == ShtRela ? 24UL : 16UL);
            for (ulong o = 0; o + entry <= s.Size; o += entry)
            {
                ulong info = U64(checked((int)(s.Offset + o + 8)));
                uint symbol = (uint)(info >> 32);
                if (symbol == 0) continue;
                int at = checked((int)(versym.Offset + symbol * 2UL));
                used.Add((ushort)(U16(at) & 0x7fff));
            }
        }
        return used;
    }

    /// <summary>Marks the requirement of <paramref name="version"/> weak; returns false if the file
    /// does not require it.</summary>
    public bool MarkWeak(string version)
    {
        bool changed = false;
        foreach (var r in Requirements.Where(r => r.Version == version))
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(r.FlagsOffset), (ushort)(r.Flags | VerFlagWeak));
            changed = true;
        }
        Requirements = ReadRequirements();
        return changed;
    }

    /// <summary>The (possibly edited) image.</summary>
    public byte[] Bytes => _bytes;

    private List<Requirement> ReadRequirements()
    {
        var result = new List<Requirement>();
        var verneed = _sections.Find(s => s.Type == ShtGnuVerneed);
        if (verneed.Type == 0) return result;
        var strtab = _sections[(int)verneed.Link];
        int offset = checked((int)verneed.Offset);
        int end = checked((int)(verneed.Offset + verneed.Size));
        while (offset < end)
        {
            ushort count = U16(offset + 2);
            string file = CString(strtab, U32(offset + 4));
            int aux = offset + (int)U32(offset + 8);
            for (int i = 0; i < count; i++)
            {
                result.Add(new Requirement(file, CString(strtab, U32(aux + 8)), U16(aux + 4), (ushort)(U16(aux + 6) & 0x7fff), aux + 4));
                uint nextAux = U32(aux + 12);
                if (nextAux == 0) break;
                aux += (int)nextAux;
            }
            uint next = U32(offset + 12);
            if (next == 0) break;
            offset += (int)next;
        }
        return result;
    }

    private string CString(Section strtab, uint at)
    {
        int start = checked((int)(strtab.Offset + at));
        int stop = Array.IndexOf(_bytes, (byte)0, start);
        if (stop < 0) throw new InvalidDataException("Unterminated string in ELF string table.");
        return Encoding.ASCII.GetString(_bytes, start, stop - start);
    }

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(at));
    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(at));
    private ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(at));
}
