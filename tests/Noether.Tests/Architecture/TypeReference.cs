namespace Noether.Tests.Architecture;

/// <summary>One type using another, with the first place the use was found.</summary>
/// <param name="From">The using type (outermost declaring type: a lambda's closure class counts as
/// the class that wrote the lambda).</param>
/// <param name="To">The used type (outermost declaring type, generic definition).</param>
/// <param name="Site">Where: "base type", "field _frame", "body of .ctor", ….</param>
public sealed record TypeReference(Type From, Type To, string Site)
{
    public override string ToString() => $"{From.FullName} → {To.FullName} ({Site})";
}
