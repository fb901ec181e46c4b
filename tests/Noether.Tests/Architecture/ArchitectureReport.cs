namespace Noether.Tests.Architecture;

/// <summary>What <see cref="ArchitectureCheck"/> found in one assembly under one root namespace.</summary>
public sealed class ArchitectureReport
{
    /// <summary>References that point up the stack, or sideways between Nn domains.</summary>
    public required IReadOnlyList<LayerViolation> Violations { get; init; }

    /// <summary>Namespaces under the root that the <see cref="LayerMap"/> does not place.</summary>
    public required IReadOnlyList<string> UnmappedNamespaces { get; init; }

    /// <summary>The namespace graph (nodes from <see cref="LayerMap.GraphNode"/>: Groups+Representations
    /// merged), with one example reference per edge; a node's uses of itself are left out.</summary>
    public required IReadOnlyDictionary<(string From, string To), TypeReference> Edges { get; init; }

    /// <summary>IL tokens or attributes that reflection could not resolve (skipped, not checked).</summary>
    public required IReadOnlyList<string> Unresolved { get; init; }

    /// <summary>Number of types whose references were checked.</summary>
    public required int TypesChecked { get; init; }
}
