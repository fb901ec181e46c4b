namespace Noether.Tests.Architecture;

/// <summary>Finds cycles in a directed graph of namespaces (or merged layer nodes).</summary>
/// <remarks>Tarjan's strongly connected components; every component with more than one node holds a
/// cycle, and a breadth-first search inside it returns the shortest cycle through its first node
/// (in ordinal order), so the message names the namespaces in the order they use each other.</remarks>
public static class NamespaceCycles
{
    /// <summary>One cycle per strongly connected component of more than one node, as the node list
    /// a → b → … → a (first node repeated at the end).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(IEnumerable<(string From, string To)> edges)
    {
        var graph = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (from, to) in edges)
        {
            if (from == to)
                continue;
            Successors(graph, from).Add(to);
            Successors(graph, to);
        }

        var cycles = new List<IReadOnlyList<string>>();
        foreach (var component in StronglyConnected(graph).Where(c => c.Count > 1))
        {
            var members = new HashSet<string>(component);
            var start = component.Min(StringComparer.Ordinal)!;
            cycles.Add(ShortestCycle(graph, members, start));
        }
        return cycles;
    }

    private static SortedSet<string> Successors(SortedDictionary<string, SortedSet<string>> graph, string node)
    {
        if (!graph.TryGetValue(node, out var successors))
            graph[node] = successors = new SortedSet<string>(StringComparer.Ordinal);
        return successors;
    }

    private static List<List<string>> StronglyConnected(SortedDictionary<string, SortedSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var lowLink = new Dictionary<string, int>();
        var onStack = new HashSet<string>();
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = lowLink[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph[node])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[node] = Math.Min(lowLink[node], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[node] = Math.Min(lowLink[node], index[next]);
                }
            }
            if (lowLink[node] != index[node])
                return;
            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            } while (member != node);
            components.Add(component);
        }

        foreach (var node in graph.Keys)
            if (!index.ContainsKey(node))
                Visit(node);
        return components;
    }

    private static List<string> ShortestCycle(SortedDictionary<string, SortedSet<string>> graph,
        HashSet<string> members, string start)
    {
        var parent = new Dictionary<string, string>();
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in graph[node].Where(members.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = parent[at])
                        path.Add(at);
                    path.Add(start);
                    path.Reverse();
                    return path;
                }
                if (parent.TryAdd(next, node))
                    queue.Enqueue(next);
            }
        }
        throw new InvalidOperationException($"No cycle through '{start}' in its own strongly connected component.");
    }
}
