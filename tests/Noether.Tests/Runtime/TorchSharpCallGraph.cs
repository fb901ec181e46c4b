using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Noether.Tests.Runtime;

/// <summary>The native <c>LibTorchSharp</c> functions that managed code can reach through <c>TorchSharp.dll</c>, read from
/// IL with <see cref="System.Reflection.Metadata"/>: no assembly is loaded or run.</summary>
/// <remarks>
/// Edges are the method tokens of <c>call</c>, <c>callvirt</c>, <c>newobj</c>, <c>ldftn</c>, <c>ldvirtftn</c> and
/// <c>jmp</c>, matched by declaring type, name and signature. It over-approximates where IL cannot say more: a virtual
/// call also reaches the overrides (by name and parameter count) in every TorchSharp type that reachable code
/// instantiates, or that a root assembly derives from; a call to a method outside TorchSharp (<c>IDisposable.Dispose</c>,
/// <c>object.ToString</c>) reaches the TorchSharp methods of that name on instantiated types; touching a type reaches its
/// static constructor; an instantiated type's finalizer is reached. Leaves are the P/Invoke methods
/// (<c>DllImport</c>, <see cref="MethodImportAttributes"/>), named by their entry point.
/// </remarks>
public sealed class TorchSharpCallGraph : IDisposable
{
    private readonly PEReader _pe;
    private readonly MetadataReader _md;
    private readonly string _assemblyName;
    private readonly Dictionary<string, TypeDefinitionHandle> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<MethodDefinitionHandle, Body> _bodies = new();
    private readonly Dictionary<MethodDefinitionHandle, string> _signatures = new();
    private readonly Dictionary<TypeDefinitionHandle, TypeDefinitionHandle> _baseTypes = new();

    /// <summary>The P/Invoke methods of TorchSharp and the native entry point each one names.</summary>
    public IReadOnlyDictionary<MethodDefinitionHandle, string> NativeEntryPoints { get; }

    /// <summary>What a method body does that matters for reachability.</summary>
    private sealed class Body
    {
        public readonly List<MethodDefinitionHandle> Direct = new();
        public readonly List<(TypeDefinitionHandle? Type, string Name, int Parameters)> Virtual = new();
        public readonly List<TypeDefinitionHandle> Created = new();
        public readonly List<TypeDefinitionHandle> Touched = new();
    }

    /// <summary>Reads <paramref name="torchSharpPath"/> (TorchSharp.dll) and decodes every method body once.</summary>
    public TorchSharpCallGraph(string torchSharpPath)
    {
        _pe = new PEReader(File.OpenRead(torchSharpPath));
        if (!_pe.HasMetadata) throw new InvalidDataException($"{torchSharpPath} has no .NET metadata.");
        _md = _pe.GetMetadataReader();
        _assemblyName = _md.GetString(_md.GetAssemblyDefinition().Name);
        foreach (var t in _md.TypeDefinitions)
        {
            _types[FullName(t)] = t;
            var b = ResolveType(_md, _md.GetTypeDefinition(t).BaseType);
            if (b is { } bt) _baseTypes[t] = bt;
        }
        var natives = new Dictionary<MethodDefinitionHandle, string>();
        foreach (var m in _md.MethodDefinitions)
        {
            var def = _md.GetMethodDefinition(m);
            _signatures[m] = Signature(_md, def.Signature);
            if ((def.Attributes & MethodAttributes.PinvokeImpl) != 0)
            {
                var import = def.GetImport();
                string entry = _md.GetString(import.Name);
                natives[m] = entry.Length > 0 ? entry : _md.GetString(def.Name);
            }
        }
        NativeEntryPoints = natives;
    }

    /// <summary>The assembly's simple name (<c>TorchSharp</c>).</summary>
    public string AssemblyName => _assemblyName;

    /// <summary>The assembly's version (<c>0.107.0.0</c>).</summary>
    public Version AssemblyVersion => _md.GetAssemblyDefinition().Version;

    /// <summary>The P/Invoke entry points reachable from the methods of <paramref name="roots"/> (assemblies that
    /// reference TorchSharp) that call into TorchSharp, with, for each entry point, one chain of managed methods that
    /// reaches it (root call first).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ReachableFrom(IEnumerable<string> roots)
    {
        var start = new List<MethodDefinitionHandle>();
        var virtuals = new List<(TypeDefinitionHandle? Type, string Name, int Parameters)>();
        var created = new List<TypeDefinitionHandle>();
        var touched = new List<TypeDefinitionHandle>();
        foreach (var path in roots)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            // A TorchSharp type a root type derives from is instantiated whenever the root type is.
            foreach (var t in md.TypeDefinitions)
                for (var b = md.GetTypeDefinition(t).BaseType; !b.IsNil;)
                {
                    if (ForeignType(md, b) is { } own) { created.Add(own); break; }
                    if (b.Kind != HandleKind.TypeDefinition) break;
                    b = md.GetTypeDefinition((TypeDefinitionHandle)b).BaseType;
                }
            foreach (var m in md.MethodDefinitions)
            {
                var body = Decode(pe, md, m);
                if (body is null) continue;
                start.AddRange(body.Direct);
                virtuals.AddRange(body.Virtual);
                created.AddRange(body.Created);
                touched.AddRange(body.Touched);
            }
        }
        return Closure(start, virtuals, created, touched);
    }

    private IReadOnlyDictionary<string, IReadOnlyList<string>> Closure(List<MethodDefinitionHandle> start,
        List<(TypeDefinitionHandle? Type, string Name, int Parameters)> rootVirtuals, List<TypeDefinitionHandle> rootCreated,
        List<TypeDefinitionHandle> rootTouched)
    {
        var parent = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle?>();
        var queue = new Queue<MethodDefinitionHandle>();
        var instantiated = new HashSet<TypeDefinitionHandle>();
        var touched = new HashSet<TypeDefinitionHandle>();
        var slots = new HashSet<(TypeDefinitionHandle? Type, string Name, int Parameters)>();
        void Reach(MethodDefinitionHandle m, MethodDefinitionHandle? from)
        {
            if (parent.TryAdd(m, from)) queue.Enqueue(m);
        }
        void Touch(TypeDefinitionHandle t, MethodDefinitionHandle? from)
        {
            if (!touched.Add(t)) return;
            foreach (var m in _md.GetTypeDefinition(t).GetMethods())
                if (_md.GetString(_md.GetMethodDefinition(m).Name) == ".cctor") Reach(m, from);
        }
        void Slot((TypeDefinitionHandle? Type, string Name, int Parameters) slot, MethodDefinitionHandle? from)
        {
            if (!slots.Add(slot)) return;
            foreach (var t in instantiated.ToArray()) Dispatch(t, slot, from);
        }
        void Create(TypeDefinitionHandle t, MethodDefinitionHandle? from)
        {
            Touch(t, from);
            if (!instantiated.Add(t)) return;
            foreach (var s in slots.ToArray()) Dispatch(t, s, from);
            Dispatch(t, (null, "Finalize", 0), from);
        }
        void Dispatch(TypeDefinitionHandle t, (TypeDefinitionHandle? Type, string Name, int Parameters) slot, MethodDefinitionHandle? from)
        {
            if (slot.Type is { } declared && !IsSubtype(t, declared) && !IsInterface(declared)) return;
            // The most derived implementation on t's base chain; explicit interface implementations end in ".Name".
            for (TypeDefinitionHandle? c = t; c is { } ct; c = _baseTypes.TryGetValue(ct, out var b) ? b : null)
            {
                var found = _md.GetTypeDefinition(ct).GetMethods().Where(m =>
                {
                    var d = _md.GetMethodDefinition(m);
                    string n = _md.GetString(d.Name);
                    return (d.Attributes & MethodAttributes.Virtual) != 0 && (n == slot.Name || n.EndsWith("." + slot.Name, StringComparison.Ordinal))
                           && d.GetParameters().Count(p => _md.GetParameter(p).SequenceNumber > 0) == slot.Parameters;
                }).ToArray();
                foreach (var m in found) Reach(m, from);
                if (found.Length > 0) break;
            }
        }
        foreach (var m in start) Reach(m, null);
        foreach (var t in rootCreated) Create(t, null);
        foreach (var t in rootTouched) Touch(t, null);
        foreach (var v in rootVirtuals) Slot(v, null);
        while (queue.Count > 0)
        {
            var m = queue.Dequeue();
            Touch(_md.GetMethodDefinition(m).GetDeclaringType(), m);
            if (!_bodies.TryGetValue(m, out var body))
                _bodies[m] = body = Decode(_pe, _md, m) ?? new Body();
            foreach (var c in body.Direct) Reach(c, m);
            foreach (var t in body.Created) Create(t, m);
            foreach (var t in body.Touched) Touch(t, m);
            foreach (var v in body.Virtual) Slot(v, m);
        }
        var result = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (m, entry) in NativeEntryPoints)
        {
            if (!parent.ContainsKey(m) || result.ContainsKey(entry)) continue;
            var chain = new List<string>();
            for (MethodDefinitionHandle? c = m; c is { } cm; c = parent[cm]) chain.Add(Describe(cm));
            chain.Reverse();
            result[entry] = chain;
        }
        return result;
    }

    /// <summary>The TorchSharp methods that root assemblies call directly, as <c>Type::Name(signature)</c>, each with
    /// the first root method (<c>Type::Name</c>) that calls it.</summary>
    public IReadOnlyDictionary<string, string> RootCalls(IEnumerable<string> roots)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in roots)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            foreach (var m in md.MethodDefinitions)
            {
                var body = Decode(pe, md, m);
                if (body is null) continue;
                var def = md.GetMethodDefinition(m);
                var type = md.GetTypeDefinition(def.GetDeclaringType());
                string caller = $"{md.GetString(type.Namespace)}.{md.GetString(type.Name)}::{md.GetString(def.Name)}";
                foreach (var c in body.Direct) result.TryAdd(Describe(c), caller);
            }
        }
        return result;
    }

    /// <summary>Every TorchSharp method that reaches a P/Invoke of <paramref name="entryPoint"/> by direct calls and
    /// declared virtual targets, as <c>Type::Name(signature)</c>.</summary>
    public IReadOnlySet<string> Callers(string entryPoint)
    {
        var callers = ReverseCalls();
        var seen = NativeEntryPoints.Where(e => e.Value == entryPoint).Select(e => e.Key).ToHashSet();
        var queue = new Queue<MethodDefinitionHandle>(seen);
        while (queue.Count > 0)
            if (callers.TryGetValue(queue.Dequeue(), out var list))
                foreach (var c in list)
                    if (seen.Add(c)) queue.Enqueue(c);
        return seen.Select(Describe).ToHashSet(StringComparer.Ordinal);
    }

    private Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>? _reverse;

    private Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>> ReverseCalls()
    {
        if (_reverse is not null) return _reverse;
        var callers = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        foreach (var m in _md.MethodDefinitions)
        {
            if (!_bodies.TryGetValue(m, out var body)) _bodies[m] = body = Decode(_pe, _md, m) ?? new Body();
            foreach (var c in body.Direct)
            {
                if (!callers.TryGetValue(c, out var list)) callers[c] = list = new List<MethodDefinitionHandle>();
                list.Add(m);
            }
        }
        return _reverse = callers;
    }

    /// <summary>For each P/Invoke entry point, the public TorchSharp members (public methods and property accessors of
    /// public types) that reach it through non-public methods only, following direct calls and declared virtual targets.</summary>
    public IReadOnlyDictionary<string, IReadOnlySortedSet<string>> PublicCallers()
    {
        var callers = ReverseCalls();
        var result = new SortedDictionary<string, IReadOnlySortedSet<string>>(StringComparer.Ordinal);
        foreach (var (native, entry) in NativeEntryPoints)
        {
            var found = result.TryGetValue(entry, out var existing) ? (SortedSet<string>)existing : new SortedSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<MethodDefinitionHandle> { native };
            var queue = new Queue<MethodDefinitionHandle>(seen);
            while (queue.Count > 0)
            {
                var m = queue.Dequeue();
                if (m != native && IsPublic(m)) { found.Add(PublicName(m)); continue; }
                if (callers.TryGetValue(m, out var list))
                    foreach (var c in list)
                        if (seen.Add(c)) queue.Enqueue(c);
            }
            result[entry] = new ReadOnlySortedSet(found);
        }
        return result;
    }

    /// <summary>A sorted set, read-only.</summary>
    public interface IReadOnlySortedSet<T> : IReadOnlyCollection<T>;

    private sealed class ReadOnlySortedSet(SortedSet<string> set) : IReadOnlySortedSet<string>
    {
        public int Count => set.Count;
        public IEnumerator<string> GetEnumerator() => set.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => set.GetEnumerator();
    }

    private bool IsPublic(MethodDefinitionHandle m)
    {
        var d = _md.GetMethodDefinition(m);
        if ((d.Attributes & MethodAttributes.MemberAccessMask) is not (MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem))
            return false;
        for (TypeDefinitionHandle t = d.GetDeclaringType(); ;)
        {
            var td = _md.GetTypeDefinition(t);
            var visibility = td.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public) return true;
            if (visibility is not (TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)) return false;
            t = td.GetDeclaringType();
        }
    }

    /// <summary><c>Namespace.Type.Member</c> for a method; a property accessor is named by its property, an
    /// operator by its symbol-free name, a constructor by <c>new Type</c>.</summary>
    public string PublicName(MethodDefinitionHandle m)
    {
        var d = _md.GetMethodDefinition(m);
        string type = FullName(d.GetDeclaringType()).Replace('/', '.');
        int tick = type.IndexOf('`');
        while (tick >= 0)
        {
            int end = tick + 1;
            while (end < type.Length && char.IsDigit(type[end])) end++;
            type = type.Remove(tick, end - tick);
            tick = type.IndexOf('`');
        }
        string name = _md.GetString(d.Name);
        if (name is ".ctor") return $"new {type}";
        if ((d.Attributes & MethodAttributes.SpecialName) != 0 && (name.StartsWith("get_", StringComparison.Ordinal) || name.StartsWith("set_", StringComparison.Ordinal)))
            return $"{type}.{name[4..]} (property)";
        return $"{type}.{name}";
    }

    /// <summary><c>Type::Name`arity(parameters):return</c>, the form chains and <see cref="Callers"/> use.</summary>
    public string Describe(MethodDefinitionHandle m) =>
        $"{FullName(_md.GetMethodDefinition(m).GetDeclaringType())}::{_md.GetString(_md.GetMethodDefinition(m).Name)}{_signatures[m]}";

    // ---- IL ----

    /// <summary>The calls into TorchSharp, virtual calls, creations and type touches of a method body of TorchSharp or
    /// of a root assembly.</summary>
    private Body? Decode(PEReader pe, MetadataReader md, MethodDefinitionHandle handle)
    {
        var def = md.GetMethodDefinition(handle);
        if (def.RelativeVirtualAddress == 0) return null;
        var il = pe.GetMethodBody(def.RelativeVirtualAddress).GetILReader();
        var body = new Body();
        while (il.RemainingBytes > 0)
        {
            int op = il.ReadByte();
            if (op == 0xFE) op = 0xFE00 | il.ReadByte();
            switch (op)
            {
                case 0x27 or 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07: // jmp call callvirt newobj ldftn ldvirtftn
                    {
                        var token = MetadataTokens.EntityHandle(il.ReadInt32());
                        bool isVirtual = op is 0x6F or 0xFE07;
                        var target = ResolveMethod(md, token, out var external);
                        if (target.Count > 0)
                        {
                            foreach (var t in target)
                            {
                                body.Direct.Add(t);
                                var td = _md.GetMethodDefinition(t);
                                var declaring = td.GetDeclaringType();
                                if (op == 0x73) body.Created.Add(declaring);
                                else body.Touched.Add(declaring);
                                if (isVirtual && (td.Attributes & MethodAttributes.Virtual) != 0)
                                    body.Virtual.Add((declaring, _md.GetString(td.Name), ParameterCount(_md, td.Signature)));
                            }
                        }
                        else if (isVirtual && external is { } e)
                            body.Virtual.Add((null, e.Name, e.Parameters));
                        break;
                    }
                case 0x7E or 0x7F or 0x80: // ldsfld ldsflda stsfld
                    {
                        var token = MetadataTokens.EntityHandle(il.ReadInt32());
                        if (FieldOwner(md, token) is { } owner) body.Touched.Add(owner);
                        break;
                    }
                default:
                    int operand = OperandSize(op, ref il);  // a switch reads its count first
                    il.Offset += operand;
                    break;
            }
        }
        return body;
    }

    private static int OperandSize(int op, ref BlobReader il)
    {
        switch (op)
        {
            case >= 0x0E and <= 0x13 or 0x1F or >= 0x2B and <= 0x37 or 0xDE or 0xFE12 or 0xFE19: return 1;
            case >= 0xFE09 and <= 0xFE0E: return 2;
            case 0x20 or 0x22 or 0x29 or >= 0x38 and <= 0x44 or >= 0x70 and <= 0x75 or 0x79 or >= 0x7B and <= 0x81 or 0x8C or 0x8D
                or 0x8F or >= 0xA3 and <= 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD or 0xFE15 or 0xFE16 or 0xFE1C: return 4;
            case 0x21 or 0x23: return 8;
            case 0x45: return checked(4 * il.ReadInt32());
            case <= 0xE0 or >= 0xFE00 and <= 0xFE1E: return 0;
            default: throw new InvalidDataException($"Unknown IL opcode 0x{op:x}.");
        }
    }

    private static int ParameterCount(MetadataReader md, BlobHandle signature)
    {
        var r = md.GetBlobReader(signature);
        var header = r.ReadSignatureHeader();
        if (header.IsGeneric) r.ReadCompressedInteger();
        return r.ReadCompressedInteger();
    }

    /// <summary>The TorchSharp methods a method token names (several where only name and parameter count match), or
    /// none, with the name and parameter count of a method outside TorchSharp.</summary>
    private List<MethodDefinitionHandle> ResolveMethod(MetadataReader md, EntityHandle token, out (string Name, int Parameters)? external)
    {
        external = null;
        var result = new List<MethodDefinitionHandle>();
        if (token.Kind == HandleKind.MethodSpecification) token = md.GetMethodSpecification((MethodSpecificationHandle)token).Method;
        if (token.Kind == HandleKind.MethodDefinition)
        {
            if (md == _md) result.Add((MethodDefinitionHandle)token);
            return result;
        }
        if (token.Kind != HandleKind.MemberReference) return result;
        var mr = md.GetMemberReference((MemberReferenceHandle)token);
        if (mr.GetKind() != MemberReferenceKind.Method) return result;
        string name = md.GetString(mr.Name);
        var owner = ResolveType(md, mr.Parent);
        if (owner is null)
        {
            external = (name, ParameterCount(md, mr.Signature));
            return result;
        }
        string signature = Signature(md, mr.Signature);
        for (TypeDefinitionHandle? t = owner; t is { } tt && result.Count == 0; t = _baseTypes.TryGetValue(tt, out var b) ? b : null)
            foreach (var m in _md.GetTypeDefinition(tt).GetMethods())
                if (_md.GetString(_md.GetMethodDefinition(m).Name) == name && _signatures[m] == signature) result.Add(m);
        if (result.Count == 0) // over-approximate: same name and parameter count
        {
            int n = ParameterCount(md, mr.Signature);
            for (TypeDefinitionHandle? t = owner; t is { } tt && result.Count == 0; t = _baseTypes.TryGetValue(tt, out var b) ? b : null)
                foreach (var m in _md.GetTypeDefinition(tt).GetMethods())
                    if (_md.GetString(_md.GetMethodDefinition(m).Name) == name && ParameterCount(_md, _md.GetMethodDefinition(m).Signature) == n) result.Add(m);
        }
        if (result.Count == 0) throw new InvalidDataException($"{name}{signature} of {FullName(owner.Value)} does not resolve in {_assemblyName}.");
        return result;
    }

    private TypeDefinitionHandle? FieldOwner(MetadataReader md, EntityHandle token)
    {
        if (token.Kind == HandleKind.FieldDefinition) return md == _md ? md.GetFieldDefinition((FieldDefinitionHandle)token).GetDeclaringType() : null;
        if (token.Kind != HandleKind.MemberReference) return null;
        return ResolveType(md, md.GetMemberReference((MemberReferenceHandle)token).Parent);
    }

    /// <summary>The TorchSharp type a type handle of <paramref name="md"/> names (through a generic instantiation), if any.</summary>
    private TypeDefinitionHandle? ResolveType(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return md == _md ? (TypeDefinitionHandle)handle : null;
            case HandleKind.TypeReference:
                return ForeignType(md, handle);
            case HandleKind.TypeSpecification:
                {
                    var r = md.GetBlobReader(md.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
                    if (r.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
                    r.ReadSignatureTypeCode();                  // class or valuetype
                    return ResolveType(md, r.ReadTypeHandle());
                }
            default:
                return null;
        }
    }

    private TypeDefinitionHandle? ForeignType(MetadataReader md, EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition) return md == _md ? (TypeDefinitionHandle)handle : null;
        if (handle.Kind != HandleKind.TypeReference) return null;
        var names = new List<string>();
        var tr = md.GetTypeReference((TypeReferenceHandle)handle);
        while (true)
        {
            string ns = md.GetString(tr.Namespace);
            names.Add(ns.Length > 0 ? ns + "." + md.GetString(tr.Name) : md.GetString(tr.Name));
            if (tr.ResolutionScope.Kind == HandleKind.TypeReference) { tr = md.GetTypeReference((TypeReferenceHandle)tr.ResolutionScope); continue; }
            if (tr.ResolutionScope.Kind == HandleKind.AssemblyReference)
            {
                if (md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)tr.ResolutionScope).Name) != _assemblyName) return null;
            }
            else if (md != _md) return null;
            break;
        }
        names.Reverse();
        return _types.TryGetValue(string.Join("/", names), out var t) ? t : null;
    }

    private bool IsSubtype(TypeDefinitionHandle t, TypeDefinitionHandle declared)
    {
        for (TypeDefinitionHandle? c = t; c is { } ct; c = _baseTypes.TryGetValue(ct, out var b) ? b : null)
            if (ct == declared) return true;
        return false;
    }

    private bool IsInterface(TypeDefinitionHandle t) => (_md.GetTypeDefinition(t).Attributes & TypeAttributes.Interface) != 0;

    private string FullName(TypeDefinitionHandle handle)
    {
        var t = _md.GetTypeDefinition(handle);
        string name = _md.GetString(t.Name);
        if (t.IsNested) return FullName(t.GetDeclaringType()) + "/" + name;
        string ns = _md.GetString(t.Namespace);
        return ns.Length > 0 ? ns + "." + name : name;
    }

    // ---- signatures as assembly-independent text ----

    private static string Signature(MetadataReader md, BlobHandle blob)
    {
        var reader = md.GetBlobReader(blob);
        var sig = new SignatureDecoder<string, object?>(new TypeNames(), md, null).DecodeMethodSignature(ref reader);
        return $"`{sig.GenericParameterCount}({string.Join(",", sig.ParameterTypes)}):{sig.ReturnType}";
    }

    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeDefinition(handle);
            string name = reader.GetString(t.Name);
            if (t.IsNested) return GetTypeFromDefinition(reader, t.GetDeclaringType(), 0) + "/" + name;
            string ns = reader.GetString(t.Namespace);
            return ns.Length > 0 ? ns + "." + name : name;
        }
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var t = reader.GetTypeReference(handle);
            string name = reader.GetString(t.Name);
            if (t.ResolutionScope.Kind == HandleKind.TypeReference) return GetTypeFromReference(reader, (TypeReferenceHandle)t.ResolutionScope, 0) + "/" + name;
            string ns = reader.GetString(t.Namespace);
            return ns.Length > 0 ? ns + "." + name : name;
        }
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;
        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType + (isRequired ? " modreq(" : " modopt(") + modifier + ")";
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
        public string GetSystemType() => "System.Type";
    }

    /// <inheritdoc/>
    public void Dispose() => _pe.Dispose();
}
