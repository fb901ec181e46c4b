using System.Buffers.Binary;
using System.Text;

namespace Noether.Tests.Runtime;

/// <summary>Which exported <c>THS*</c> functions of <c>libLibTorchSharp.so</c> can catch a C++ exception, read from the
/// library's own unwind tables, with no disassembler.</summary>
/// <remarks>
/// A C++ function catches only where its FDE (<c>.eh_frame</c>) names an LSDA (<c>.gcc_except_table</c>) with a call
/// site whose action chain holds a type filter &gt; 0 (a catch clause; a type entry of 0 is <c>catch (...)</c>).
/// A function without one lets a libtorch exception unwind into the managed caller, and the .NET runtime then ends the
/// process. GCC may split a function into a hot part and a <c>NAME.cold</c> part with an FDE of its own: the cold part
/// is found through <c>.symtab</c> when present, else through the landing pads of the hot part's LSDA.
/// Layout references: System V gABI (ELF64), LSB 5.0 "Exception Frames", the Itanium C++ ABI LSDA as read by
/// libsupc++'s <c>eh_personality.cc</c>. Anything malformed is an <see cref="InvalidDataException"/>.
/// </remarks>
public sealed class NativeGuardScan
{
    private const uint ShtSymtab = 2, ShtDynsym = 11, ShtNobits = 8;
    private const byte SttFunc = 2;
    private const byte DwEhPeOmit = 0xff;

    private readonly byte[] _bytes;
    private readonly bool _readSymtab;
    private readonly List<Section> _sections = new();
    private readonly Dictionary<string, Section> _byName = new(StringComparer.Ordinal);

    private readonly record struct Section(string Name, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize);

    /// <summary>One CIE of <c>.eh_frame</c>: its augmentation and pointer encodings.</summary>
    public sealed record Cie(ulong Offset, string Augmentation, byte FdeEncoding, byte LsdaEncoding, byte PersonalityEncoding, ulong Personality);

    /// <summary>One FDE: the code range it covers and the address of its LSDA (0 if none).</summary>
    public sealed record Fde(ulong Offset, Cie Cie, ulong Start, ulong End, ulong Lsda);

    /// <summary>One action of a call site: its type filter (&gt; 0 a catch clause, &lt; 0 an exception specification,
    /// 0 a cleanup) and, for a catch clause, whether its type entry is null (<c>catch (...)</c>).</summary>
    public readonly record struct Action(long Filter, bool CatchAll);

    /// <summary>One call-site record of an LSDA: its code range, landing pad (0 if none), the actions of its chain
    /// (empty for a cleanup only), and whether its landing pad only calls the terminate helper (clang's
    /// <c>__clang_call_terminate</c>: the <c>catch (...)</c> of a noexcept region, which ends the process).</summary>
    public sealed record CallSite(ulong Start, ulong End, ulong LandingPad, IReadOnlyList<Action> Actions, bool TerminatePad)
    {
        /// <summary>A catch clause that handles the exception guards this call site: a typed catch, or a
        /// <c>catch (...)</c> whose landing pad is not the terminate helper.</summary>
        public bool Catches => LandingPad != 0 && Actions.Any(a => a.Filter > 0 && (!a.CatchAll || !TerminatePad));
    }

    /// <summary>One exported function: its code range, the FDEs of its code (hot and cold parts), and whether any
    /// call site of their LSDAs has a catch clause.</summary>
    public sealed record NativeFunction(string Name, ulong Address, ulong Size, IReadOnlyList<Fde> Fdes, bool HasCatch);

    /// <summary>The exported <c>THS*</c> functions by name.</summary>
    public IReadOnlyDictionary<string, NativeFunction> Functions { get; }

    /// <summary>Every CIE and FDE of <c>.eh_frame</c>, in file order.</summary>
    public IReadOnlyList<Cie> Cies { get; }

    /// <inheritdoc cref="Cies"/>
    public IReadOnlyList<Fde> Fdes { get; }

    /// <summary>The names of the exported functions with no catch clause, sorted ordinally.</summary>
    public IReadOnlyList<string> Unguarded => Functions.Values.Where(f => !f.HasCatch).Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The shipped library next to the test assembly (copied there by the TorchSharp package).</summary>
    public static string ShippedLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>Reads the library at <paramref name="path"/>.</summary>
    public static NativeGuardScan Read(string path) => new(File.ReadAllBytes(path));

    /// <summary>Parses an ELF64 little-endian image held in memory.</summary>
    /// <param name="bytes">the whole file.</param>
    /// <param name="prefix">the exported function names to classify.</param>
    /// <param name="readSymtab">false reads the library as if stripped (no <c>.symtab</c>): cold parts and clang's
    /// terminate helper are then found from landing pads and code alone.</param>
    public NativeGuardScan(byte[] bytes, string prefix = "THS", bool readSymtab = true)
    {
        _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
        _readSymtab = readSymtab;
        ReadSections();
        var (cies, fdes) = ReadEhFrame();
        Cies = cies;
        Fdes = fdes;
        Functions = Classify(prefix);
    }

    // ---- ELF sections and symbols ----

    private void ReadSections()
    {
        if (_bytes.Length < 64 || _bytes[0] != 0x7f || _bytes[1] != (byte)'E' || _bytes[2] != (byte)'L' || _bytes[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (bad magic).");
        if (_bytes[4] != 2 || _bytes[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
        ulong shoff = U64(0x28);
        ushort shentsize = U16(0x3A), shnum = U16(0x3C), shstrndx = U16(0x3E);
        if (shoff == 0 || shnum == 0 || shentsize < 64 || shoff + (ulong)shnum * shentsize > (ulong)_bytes.Length)
            throw new InvalidDataException("ELF section header table is missing or truncated.");
        if (shstrndx >= shnum) throw new InvalidDataException($"ELF section-name table index {shstrndx} is out of range ({shnum} sections).");
        var raw = new List<(uint NameOffset, uint Type, ulong Address, ulong Offset, ulong Size, uint Link, ulong EntrySize)>();
        for (int i = 0; i < shnum; i++)
        {
            int h = checked((int)(shoff + (ulong)i * shentsize));
            var s = (U32(h), U32(h + 4), U64(h + 0x10), U64(h + 0x18), U64(h + 0x20), U32(h + 0x28), U64(h + 0x38));
            if (s.Item2 != ShtNobits && s.Item2 != 0 && s.Item4 + s.Item5 > (ulong)_bytes.Length)
                throw new InvalidDataException($"ELF section {i} runs past the end of the file.");
            raw.Add(s);
        }
        var names = raw[shstrndx];
        foreach (var s in raw)
        {
            var section = new Section(CString(names.Offset, names.Size, s.NameOffset), s.Type, s.Address, s.Offset, s.Size, s.Link, s.EntrySize);
            _sections.Add(section);
            if (section.Name.Length > 0) _byName.TryAdd(section.Name, section);
        }
    }

    /// <summary>The file offset of the section named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">the library has no such section.</exception>
    public ulong SectionFileOffset(string name) => Required(name).Offset;

    private Section Required(string name) =>
        _byName.TryGetValue(name, out var s) ? s : throw new InvalidDataException($"The library has no {name} section.");

    private readonly record struct Symbol(string Name, byte Type, ushort SectionIndex, ulong Value, ulong Size);

    private List<Symbol> Symbols(Section table)
    {
        if (table.EntrySize != 24 || table.Size % 24 != 0) throw new InvalidDataException($"{table.Name} has entries of {table.EntrySize} bytes, not 24.");
        if (table.Link >= _sections.Count) throw new InvalidDataException($"{table.Name} links to section {table.Link}, which does not exist.");
        var strings = _sections[(int)table.Link];
        var symbols = new List<Symbol>((int)(table.Size / 24));
        for (ulong o = table.Offset; o < table.Offset + table.Size; o += 24)
        {
            int p = checked((int)o);
            symbols.Add(new Symbol(CString(strings.Offset, strings.Size, U32(p)), (byte)(_bytes[p + 4] & 0xf), U16(p + 6), U64(p + 8), U64(p + 16)));
        }
        return symbols;
    }

    // ---- .eh_frame ----

    private (List<Cie>, List<Fde>) ReadEhFrame()
    {
        var ehFrame = Required(".eh_frame");
        var cies = new Dictionary<ulong, Cie>();
        var fdes = new List<Fde>();
        ulong end = ehFrame.Offset + ehFrame.Size;
        ulong at = ehFrame.Offset;
        while (at < end)
        {
            var r = new Reader(this, at, end, ehFrame);
            ulong length = r.U32();
            if (length == 0) break;                       // the zero terminator
            if (length == 0xffffffff) length = r.U64();
            ulong bodyStart = r.Position;
            ulong recordEnd = bodyStart + length;
            if (length < 4 || recordEnd > end) throw new InvalidDataException($".eh_frame record at 0x{at - ehFrame.Offset:x} runs past the section ({length} bytes).");
            r = new Reader(this, bodyStart, recordEnd, ehFrame);
            uint id = r.U32();
            if (id == 0) cies[at] = ReadCie(r, at - ehFrame.Offset);
            else
            {
                ulong cieAt = bodyStart - id;
                if (id > bodyStart - ehFrame.Offset || !cies.TryGetValue(cieAt, out var cie))
                    throw new InvalidDataException($".eh_frame FDE at 0x{at - ehFrame.Offset:x} points to no CIE read before it (0x{cieAt - ehFrame.Offset:x}).");
                fdes.Add(ReadFde(r, cie, at - ehFrame.Offset));
            }
            at = recordEnd;
        }
        return (cies.Values.ToList(), fdes);
    }

    private Cie ReadCie(Reader r, ulong offset)
    {
        byte version = r.U8();
        if (version is not (1 or 3)) throw new InvalidDataException($"CIE at 0x{offset:x} has version {version}; .eh_frame uses 1 or 3.");
        string augmentation = r.CString();
        if (augmentation.Length > 0 && augmentation[0] != 'z')
            throw new InvalidDataException($"CIE at 0x{offset:x} has augmentation \"{augmentation}\"; only the \"z…\" forms are supported.");
        r.Uleb();                                         // code alignment
        r.Sleb();                                         // data alignment
        if (version == 1) r.U8(); else r.Uleb();          // return-address register
        byte fdeEncoding = 0, lsdaEncoding = DwEhPeOmit, personalityEncoding = DwEhPeOmit;
        ulong personality = 0;
        if (augmentation.Length > 0)
        {
            ulong dataLength = r.Uleb();
            ulong dataEnd = r.Position + dataLength;
            foreach (char c in augmentation.AsSpan(1))
            {
                switch (c)
                {
                    case 'L': lsdaEncoding = r.U8(); break;
                    case 'R': fdeEncoding = r.U8(); break;
                    case 'P':
                        personalityEncoding = r.U8();
                        personality = r.Encoded(personalityEncoding, functionStart: 0, what: $"personality of CIE 0x{offset:x}");
                        break;
                    case 'S' or 'B' or 'G': break;        // signal frame, AArch64 B key, MTE tagged frame: no data
                    default: throw new InvalidDataException($"CIE at 0x{offset:x} has augmentation \"{augmentation}\" with the unknown letter '{c}'.");
                }
            }
            if (r.Position != dataEnd)
                throw new InvalidDataException($"CIE at 0x{offset:x}: augmentation data is {dataLength} bytes but \"{augmentation}\" reads {r.Position - (dataEnd - dataLength)}.");
        }
        if (fdeEncoding == DwEhPeOmit) throw new InvalidDataException($"CIE at 0x{offset:x} omits the FDE pointer encoding.");
        return new Cie(offset, augmentation, fdeEncoding, lsdaEncoding, personalityEncoding, personality);
    }

    private Fde ReadFde(Reader r, Cie cie, ulong offset)
    {
        ulong start = r.Encoded(cie.FdeEncoding, 0, $"start of FDE 0x{offset:x}");
        ulong range = r.Encoded((byte)(cie.FdeEncoding & 0x0f), 0, $"range of FDE 0x{offset:x}");
        ulong lsda = 0;
        if (cie.Augmentation.Length > 0)
        {
            ulong dataLength = r.Uleb();
            ulong dataEnd = r.Position + dataLength;
            if (cie.Augmentation.Contains('L') && cie.LsdaEncoding != DwEhPeOmit) lsda = r.Encoded(cie.LsdaEncoding, start, $"LSDA of FDE 0x{offset:x}");
            if (r.Position != dataEnd) throw new InvalidDataException($"FDE at 0x{offset:x}: augmentation data is {dataLength} bytes, the CIE's letters read {r.Position - (dataEnd - dataLength)}.");
        }
        return new Fde(offset, cie, start, checked(start + range), lsda);
    }

    // ---- LSDA (.gcc_except_table) ----

    /// <summary>The call-site table of the LSDA at <paramref name="address"/>, for a function starting at <paramref name="functionStart"/>.</summary>
    public IReadOnlyList<CallSite> ReadLsda(ulong address, ulong functionStart)
    {
        var table = SectionAt(address, "LSDA");
        var r = new Reader(this, FileOffset(table, address), table.Offset + table.Size, table);
        string where = $"LSDA at 0x{address:x}";
        byte lpStartEncoding = r.U8();
        ulong lpStart = lpStartEncoding == DwEhPeOmit ? functionStart : r.Encoded(lpStartEncoding, functionStart, $"landing-pad base of {where}");
        byte ttypeEncoding = r.U8();
        ulong ttBase = 0;
        if (ttypeEncoding != DwEhPeOmit)
        {
            ulong ttOffset = r.Uleb();
            ttBase = r.Position + ttOffset;               // the type table ends here; entry i (from 1) lies i entries before
            if (ttBase > table.Offset + table.Size) throw new InvalidDataException($"{where}: its type table ends past {table.Name}.");
        }
        int ttEntry = ttypeEncoding == DwEhPeOmit ? 0 : (ttypeEncoding & 0x0f) switch
        {
            0x00 or 0x04 or 0x0c => 8,
            0x03 or 0x0b => 4,
            0x02 or 0x0a => 2,
            _ => throw new InvalidDataException($"{where}: type-table encoding 0x{ttypeEncoding:x2} has no fixed size."),
        };
        byte callSiteEncoding = r.U8();
        ulong callSiteLength = r.Uleb();
        ulong callSiteEnd = r.Position + callSiteLength;
        if (callSiteEnd > table.Offset + table.Size) throw new InvalidDataException($"{where}: its call-site table runs past {table.Name}.");
        ulong actionTable = callSiteEnd;
        var sites = new List<CallSite>();
        while (r.Position < callSiteEnd)
        {
            ulong start = r.Encoded((byte)(callSiteEncoding & 0x0f), 0, $"call site of {where}");
            ulong length = r.Encoded((byte)(callSiteEncoding & 0x0f), 0, $"call site of {where}");
            ulong pad = r.Encoded((byte)(callSiteEncoding & 0x0f), 0, $"call site of {where}");
            ulong action = r.Uleb();
            var actions = new List<Action>();
            if (action != 0)
            {
                ulong next = actionTable + action - 1;
                for (int guard = 0; ; guard++)
                {
                    if (guard > 4096) throw new InvalidDataException($"{where}: an action chain does not end.");
                    var a = new Reader(this, next, table.Offset + table.Size, table);
                    long filter = a.Sleb();
                    bool catchAll = false;
                    if (filter > 0)
                    {
                        if (ttEntry == 0) throw new InvalidDataException($"{where}: a catch clause (filter {filter}) but no type table.");
                        ulong entry = ttBase - (ulong)filter * (ulong)ttEntry;
                        if (filter > (long)(ttBase - table.Offset) / ttEntry) throw new InvalidDataException($"{where}: type filter {filter} lies before {table.Name}.");
                        var t = new Reader(this, entry, ttBase, table);
                        catchAll = t.Encoded(ttypeEncoding, functionStart, $"type entry {filter} of {where}") == 0;
                    }
                    actions.Add(new Action(filter, catchAll));
                    ulong displacementAt = a.Position;
                    long displacement = a.Sleb();
                    if (displacement == 0) break;
                    next = (ulong)((long)displacementAt + displacement);
                    if (next < table.Offset || next >= table.Offset + table.Size) throw new InvalidDataException($"{where}: an action points outside {table.Name}.");
                }
            }
            ulong landing = pad == 0 ? 0 : lpStart + pad;
            sites.Add(new CallSite(lpStart + start, lpStart + start + length, landing, actions, landing != 0 && IsTerminatePad(landing)));
        }
        if (r.Position != callSiteEnd) throw new InvalidDataException($"{where}: the call-site table overruns its declared length.");
        return sites;
    }

    /// <summary>clang's landing pad for a noexcept region: <c>mov %rax,%rdi; call __clang_call_terminate</c>. The helper
    /// is named in <c>.symtab</c>; without one it is known by its code, <c>push %rax; call (begin_catch); call (terminate)</c>.</summary>
    private bool IsTerminatePad(ulong landingPad)
    {
        var text = SectionAt(landingPad, "landing pad");
        ulong at = FileOffset(text, landingPad);
        if (at + 8 > text.Offset + text.Size) return false;
        var code = _bytes.AsSpan(checked((int)at), 8);
        if (!(code[0] == 0x48 && code[1] == 0x89 && code[2] == 0xc7 && code[3] == 0xe8)) return false;
        ulong target = unchecked(landingPad + 8 + (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(code[4..]));
        if (_terminateHelpers is { } named) return named.Contains(target);
        var helper = SectionAt(target, "call target");
        ulong h = FileOffset(helper, target);
        if (h + 11 > helper.Offset + helper.Size) return false;
        return _bytes[h] == 0x50 && _bytes[h + 1] == 0xe8 && _bytes[h + 6] == 0xe8;
    }

    private HashSet<ulong>? _terminateHelpers;

    // ---- classification ----

    private IReadOnlyDictionary<string, NativeFunction> Classify(string prefix)
    {
        var dynsym = _sections.Find(s => s.Type == ShtDynsym);
        if (dynsym.Type == 0) throw new InvalidDataException("The library has no .dynsym section.");
        var exported = Symbols(dynsym).Where(s => s.Type == SttFunc && s.SectionIndex != 0 && s.Name.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(s => s.Name, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var symtab = _readSymtab ? _sections.Find(s => s.Type == ShtSymtab) : default;
        var local = symtab.Type == 0 ? new List<Symbol>() : Symbols(symtab).Where(s => s.Type == SttFunc && s.SectionIndex != 0).ToList();
        if (symtab.Type != 0) _terminateHelpers = local.Where(s => s.Name == "__clang_call_terminate").Select(s => s.Value).ToHashSet();
        var cold = local.Where(s => s.Name.EndsWith(".cold", StringComparison.Ordinal))
            .GroupBy(s => s.Name[..^5], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        // Function starts known from any symbol: an FDE starting at one belongs to that function, not to a hot part's landing pads.
        var starts = exported.Concat(local).Select(s => s.Value).ToHashSet();
        var sorted = Fdes.OrderBy(f => f.Start).ToArray();
        var lsdaCache = new Dictionary<(ulong, ulong), IReadOnlyList<CallSite>>();
        IReadOnlyList<CallSite> Sites(Fde f) =>
            f.Lsda == 0 ? Array.Empty<CallSite>() : lsdaCache.TryGetValue((f.Lsda, f.Start), out var s) ? s : lsdaCache[(f.Lsda, f.Start)] = ReadLsda(f.Lsda, f.Start);

        var result = new Dictionary<string, NativeFunction>(StringComparer.Ordinal);
        foreach (var symbol in exported)
        {
            var ranges = new List<(ulong Start, ulong End)> { (symbol.Value, symbol.Value + Math.Max(symbol.Size, 1)) };
            if (cold.TryGetValue(symbol.Name, out var parts)) ranges.AddRange(parts.Select(p => (p.Value, p.Value + Math.Max(p.Size, 1))));
            var mine = new List<Fde>();
            foreach (var (start, end) in ranges) mine.AddRange(Covering(sorted, start, end));
            // Without .symtab a cold part is known only as the target of the hot part's landing pads.
            for (int i = 0; i < mine.Count; i++)
                foreach (var site in Sites(mine[i]))
                    if (site.LandingPad != 0 && !ranges.Any(r => site.LandingPad >= r.Start && site.LandingPad < r.End))
                        foreach (var f in Covering(sorted, site.LandingPad, site.LandingPad + 1))
                            if (!mine.Contains(f) && !starts.Contains(f.Start)) mine.Add(f);
            bool catches = mine.Any(f => Sites(f).Any(s => s.Catches));
            result[symbol.Name] = new NativeFunction(symbol.Name, symbol.Value, symbol.Size, mine, catches);
        }
        return result;
    }

    private static IEnumerable<Fde> Covering(Fde[] sorted, ulong start, ulong end)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid].End <= start) lo = mid + 1; else hi = mid; }
        // FDEs do not overlap, so the ones ending after start and beginning before end are contiguous from lo.
        for (int i = lo; i < sorted.Length && sorted[i].Start < end; i++)
            if (sorted[i].End > start) yield return sorted[i];
    }

    // ---- bytes ----

    private Section SectionAt(ulong address, string what)
    {
        foreach (var s in _sections)
            if (s.Address != 0 && s.Type != ShtNobits && address >= s.Address && address < s.Address + s.Size) return s;
        throw new InvalidDataException($"The {what} address 0x{address:x} lies in no section of the file.");
    }

    private static ulong FileOffset(Section s, ulong address) => s.Offset + (address - s.Address);

    private ushort U16(int at) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(at, 2));
    private uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(at, 4));
    private ulong U64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(at, 8));

    private string CString(ulong tableOffset, ulong tableSize, uint index)
    {
        if (index >= tableSize) throw new InvalidDataException($"A string index {index} lies outside its string table ({tableSize} bytes).");
        int start = checked((int)(tableOffset + index));
        int end = Array.IndexOf(_bytes, (byte)0, start, checked((int)(tableSize - index)));
        if (end < 0) throw new InvalidDataException($"The string at {index} of a string table is not terminated.");
        return Encoding.UTF8.GetString(_bytes, start, end - start);
    }

    /// <summary>A bounded cursor over one section's bytes; <see cref="Position"/> is a file offset.</summary>
    private sealed class Reader(NativeGuardScan elf, ulong position, ulong end, Section section)
    {
        public ulong Position { get; private set; } = position;

        private ReadOnlySpan<byte> Take(int n, string what)
        {
            if (Position + (ulong)n > end) throw new InvalidDataException($"{section.Name}: {what} at 0x{Position - section.Offset:x} runs past its record.");
            var span = elf._bytes.AsSpan(checked((int)Position), n);
            Position += (ulong)n;
            return span;
        }

        public byte U8() => Take(1, "a byte")[0];
        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "a 4-byte value"));
        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "an 8-byte value"));

        public string CString()
        {
            var start = Position;
            while (U8() != 0) { }
            return Encoding.ASCII.GetString(elf._bytes, checked((int)start), checked((int)(Position - start - 1)));
        }

        public ulong Uleb()
        {
            ulong result = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (shift > 63) throw new InvalidDataException($"{section.Name}: a ULEB128 at 0x{Position - section.Offset:x} is longer than 64 bits.");
                byte b = U8();
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
        }

        public long Sleb()
        {
            long result = 0;
            int shift = 0;
            byte b;
            do
            {
                if (shift > 63) throw new InvalidDataException($"{section.Name}: an SLEB128 at 0x{Position - section.Offset:x} is longer than 64 bits.");
                b = U8();
                result |= (long)(b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
            return result;
        }

        /// <summary>A DW_EH_PE-encoded pointer. A raw value of 0 stays 0 (no pointer), as libgcc reads it; an indirect
        /// pointer gives the address of the slot that holds the target, which is filled by a relocation at load time.</summary>
        public ulong Encoded(byte encoding, ulong functionStart, string what)
        {
            if (encoding == DwEhPeOmit) throw new InvalidDataException($"{what}: the encoding is 'omit' where a value is required.");
            ulong fieldAddress = section.Address + (Position - section.Offset);
            ulong raw = (encoding & 0x0f) switch
            {
                0x00 => U64(),                                                     // absptr (8 bytes on ELF64)
                0x01 => Uleb(),
                0x02 => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what)),
                0x03 => U32(),
                0x04 => U64(),
                0x09 => (ulong)Sleb(),
                0x0a => (ulong)(long)BinaryPrimitives.ReadInt16LittleEndian(Take(2, what)),
                0x0b => (ulong)(long)BinaryPrimitives.ReadInt32LittleEndian(Take(4, what)),
                0x0c => U64(),
                _ => throw new InvalidDataException($"{what}: unknown pointer format 0x{encoding & 0x0f:x} (encoding 0x{encoding:x2})."),
            };
            if (raw == 0) return 0;
            ulong value = (encoding & 0x70) switch
            {
                0x00 => raw,
                0x10 => unchecked(fieldAddress + raw),                           // pcrel
                0x30 => unchecked(elf.Required(".got").Address + raw),           // datarel: the GOT, as libgcc's x86 data base
                0x40 => unchecked(functionStart + raw),                          // funcrel
                _ => throw new InvalidDataException($"{what}: unsupported pointer application 0x{encoding & 0x70:x2} (encoding 0x{encoding:x2})."),
            };
            return value;                                                         // 0x80 (indirect): the slot's address
        }
    }
}
