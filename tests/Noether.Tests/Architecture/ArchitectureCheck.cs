using System.Reflection;

namespace Noether.Tests.Architecture;

/// <summary>Checks that every type under a root namespace of an assembly uses only types of its own
/// or lower layers (<see cref="LayerMap"/>), and that the layer graph has no cycle.</summary>
/// <remarks>
/// Parametrised by assembly and root so the same code runs over the library ("Noether") and over
/// small planted examples in the test assembly, which prove that it catches what it should.
/// References are found by <see cref="ReferenceCollector"/> (signatures and IL); compiler-generated
/// nested types (closures, async and iterator state machines) count as their outer type.
/// </remarks>
public static class ArchitectureCheck
{
    /// <summary>Checks every type of <paramref name="assembly"/> whose namespace is
    /// <paramref name="root"/> or below it; references to types outside the root are ignored.</summary>
    public static ArchitectureReport Run(Assembly assembly, string root)
    {
        var violations = new List<LayerViolation>();
        var unmapped = new SortedSet<string>(StringComparer.Ordinal);
        var edges = new Dictionary<(string, string), TypeReference>();
        var unresolved = new List<string>();
        var checkedTypes = 0;

        foreach (var type in assembly.GetTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var fromNamespace = RelativeNamespace(type, root);
            if (fromNamespace is null)
                continue;
            checkedTypes++;
            var fromLayer = LayerMap.Find(fromNamespace);
            if (fromLayer is null)
            {
                unmapped.Add(type.Namespace!);
                continue;
            }

            var (references, failures) = ReferenceCollector.Collect(type);
            unresolved.AddRange(failures);
            foreach (var reference in references)
            {
                var toNamespace = RelativeNamespace(reference.To, root);
                if (toNamespace is null)
                    continue;
                var toLayer = LayerMap.Find(toNamespace);
                if (toLayer is null)
                {
                    unmapped.Add(reference.To.Namespace!);
                    continue;
                }
                var (fromNode, toNode) = (LayerMap.GraphNode(fromNamespace), LayerMap.GraphNode(toNamespace));
                if (fromNode != toNode)
                    edges.TryAdd((fromNode, toNode), reference);
                if (!fromLayer.MayUse(toLayer))
                    violations.Add(new LayerViolation(reference, fromLayer, toLayer));
            }
        }

        // A closure and its outer class report the same pair; keep one of each.
        var distinct = violations
            .GroupBy(v => (v.Reference.From, v.Reference.To))
            .Select(g => g.First())
            .OrderBy(v => v.Reference.From.FullName, StringComparer.Ordinal)
            .ThenBy(v => v.Reference.To.FullName, StringComparer.Ordinal)
            .ToList();
        return new ArchitectureReport
        {
            Violations = distinct,
            UnmappedNamespaces = unmapped.ToList(),
            Edges = edges,
            Unresolved = unresolved,
            TypesChecked = checkedTypes,
        };
    }

    /// <summary>The namespace of <paramref name="type"/> (its outermost type's) relative to
    /// <paramref name="root"/>, "" for the root itself, or null if it is outside the root.</summary>
    private static string? RelativeNamespace(Type type, string root)
    {
        var ns = ReferenceCollector.Outermost(type).Namespace;
        if (ns is null)
            return null;
        if (ns == root)
            return "";
        return ns.StartsWith(root + ".", StringComparison.Ordinal) ? ns[(root.Length + 1)..] : null;
    }
}
