using System.Reflection;
using System.Reflection.Emit;

namespace Noether.Tests.Architecture;

/// <summary>Every type one type uses: in its signatures (base type, interfaces, generic constraints,
/// attributes, fields, properties, events, method parameters and return types, locals, catch
/// clauses) and in its method bodies (the types, fields and methods named by IL tokens).</summary>
/// <remarks>
/// Types are reduced to what a layer check needs: arrays, pointers and by-refs to their element
/// type, constructed generics to their definition plus each argument, nested types to their
/// outermost declaring type. Generic parameters are not references. A token that cannot be resolved
/// (an assembly that does not load) is recorded in <see cref="Unresolved"/> and skipped.
/// Invisible by design: constants (the compiler copies their values into the IL) and names in doc
/// comments or <c>nameof</c>; none of them is a dependency of the compiled assembly.
/// </remarks>
public sealed class ReferenceCollector
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private readonly Type _from;
    private readonly Type _outermost;
    private readonly Dictionary<Type, TypeReference> _found = new();

    /// <summary>Tokens (with the method that held them) that the module could not resolve.</summary>
    public List<string> Unresolved { get; } = new();

    private ReferenceCollector(Type from)
    {
        _from = from;
        _outermost = Outermost(from);
    }

    /// <summary>The types <paramref name="type"/> uses (outermost, generic definitions), one
    /// <see cref="TypeReference"/> each, plus the tokens that failed to resolve.</summary>
    public static (IReadOnlyList<TypeReference> References, IReadOnlyList<string> Unresolved) Collect(Type type)
    {
        var collector = new ReferenceCollector(type);
        collector.Run();
        return (collector._found.Values.ToList(), collector.Unresolved);
    }

    /// <summary>The type that declares <paramref name="type"/> at namespace level (a closure class,
    /// state machine or nested record belongs to its outer class).</summary>
    public static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer;
        return type;
    }

    private void Run()
    {
        Add(_from.BaseType, "base type");
        foreach (var contract in _from.GetInterfaces())
            Add(contract, "interface");
        if (_from.IsGenericTypeDefinition)
            foreach (var parameter in _from.GetGenericArguments())
                AddConstraints(parameter, "type parameter constraint");
        AddAttributes(() => _from.GetCustomAttributesData(), "attribute");

        foreach (var field in _from.GetFields(Declared))
        {
            Add(field.FieldType, $"field {field.Name}");
            AddAttributes(field.GetCustomAttributesData, $"attribute of field {field.Name}");
        }
        foreach (var property in _from.GetProperties(Declared))
        {
            Add(property.PropertyType, $"property {property.Name}");
            foreach (var index in property.GetIndexParameters())
                Add(index.ParameterType, $"indexer {property.Name}");
        }
        foreach (var @event in _from.GetEvents(Declared))
            Add(@event.EventHandlerType, $"event {@event.Name}");
        foreach (var method in _from.GetMethods(Declared))
        {
            Add(method.ReturnType, $"return type of {method.Name}");
            if (method.IsGenericMethodDefinition)
                foreach (var parameter in method.GetGenericArguments())
                    AddConstraints(parameter, $"type parameter constraint of {method.Name}");
            AddMethod(method);
        }
        foreach (var constructor in _from.GetConstructors(Declared))
            AddMethod(constructor);
    }

    private void AddMethod(MethodBase method)
    {
        foreach (var parameter in method.GetParameters())
            Add(parameter.ParameterType, $"parameter {parameter.Name} of {method.Name}");
        AddAttributes(method.GetCustomAttributesData, $"attribute of {method.Name}");

        var body = method.GetMethodBody();
        if (body is null)
            return;
        var site = $"body of {method.Name}";
        foreach (var local in body.LocalVariables)
            Add(local.LocalType, site);
        foreach (var clause in body.ExceptionHandlingClauses)
            if (clause.Flags == ExceptionHandlingClauseOptions.Clause)
                Add(clause.CatchType, site);

        var il = body.GetILAsByteArray();
        if (il is null)
            return;
        var typeArguments = _from.IsGenericType ? _from.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (kind, token) in IlTokenReader.MemberTokens(il))
        {
            try
            {
                if (kind == OperandType.InlineType)
                    Add(method.Module.ResolveType(token, typeArguments, methodArguments), site);
                else
                    AddMember(method.Module.ResolveMember(token, typeArguments, methodArguments), site);
            }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException
                                          or FileNotFoundException or FileLoadException or MissingMemberException)
            {
                Unresolved.Add($"{_from.FullName}.{method.Name}: token 0x{token:X8} ({e.GetType().Name}: {e.Message})");
            }
        }
    }

    private void AddMember(MemberInfo? member, string site)
    {
        switch (member)
        {
            case Type type:
                Add(type, site);
                break;
            case FieldInfo field:
                Add(field.DeclaringType, site);
                Add(field.FieldType, site);
                break;
            case MethodBase method:
                Add(method.DeclaringType, site);
                if (method is MethodInfo info)
                {
                    Add(info.ReturnType, site);
                    if (info.IsGenericMethod)
                        foreach (var argument in info.GetGenericArguments())
                            Add(argument, site);
                }
                foreach (var parameter in method.GetParameters())
                    Add(parameter.ParameterType, site);
                break;
        }
    }

    private void AddConstraints(Type parameter, string site)
    {
        foreach (var constraint in parameter.GetGenericParameterConstraints())
            Add(constraint, site);
    }

    private void AddAttributes(Func<IList<CustomAttributeData>> attributes, string site)
    {
        IList<CustomAttributeData> list;
        try
        {
            list = attributes();
        }
        catch (Exception e) when (e is FileNotFoundException or TypeLoadException)
        {
            Unresolved.Add($"{_from.FullName}: {site} ({e.Message})");
            return;
        }
        foreach (var attribute in list)
        {
            Add(attribute.AttributeType, site);
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
                if (argument.Value is Type typeArgument)
                    Add(typeArgument, site);
        }
    }

    private void Add(Type? type, string site)
    {
        if (type is null || type.IsGenericParameter)
            return;
        if (type.HasElementType)
        {
            Add(type.GetElementType(), site);
            return;
        }
        if (type.IsFunctionPointer)
        {
            Add(type.GetFunctionPointerReturnType(), site);
            foreach (var parameter in type.GetFunctionPointerParameterTypes())
                Add(parameter, site);
            return;
        }
        if (type.IsConstructedGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
                Add(argument, site);
            type = type.GetGenericTypeDefinition();
        }
        var target = Outermost(type);
        if (target != _outermost)
            _found.TryAdd(target, new TypeReference(_outermost, target, site));
    }
}
