namespace Noether.Data;

/// <summary>One generated undirected graph: its node count, its edges (i &lt; j), and its triangle and component counts.</summary>
/// <param name="Nodes">the node count.</param>
/// <param name="Edges">undirected edges (i, j), i &lt; j.</param>
/// <param name="Triangles">the number of triangles.</param>
/// <param name="Components">the number of connected components.</param>
public sealed record RandomGraph(int Nodes, IReadOnlyList<(int I, int J)> Edges, int Triangles, int Components);

/// <summary>Random graphs with 10–40 nodes, deterministic from a seed: half Erdős–Rényi G(n, p) with p uniform in
/// [0.02, 0.2], half random d-regular (d ∈ {2, 3, 4}, by the pairing model with restarts), in random order.</summary>
public static class RandomGraphs
{
    /// <summary>The smallest node count.</summary>
    public const int MinNodes = 10;

    /// <summary>The largest node count.</summary>
    public const int MaxNodes = 40;

    /// <summary><paramref name="count"/> graphs from <c>new Random(seed)</c>.</summary>
    public static IReadOnlyList<RandomGraph> Generate(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Expected ≥ 1 graph.");
        var random = new Random(seed);
        var graphs = new RandomGraph[count];
        for (int g = 0; g < count; g++)
        {
            int n = random.Next(MinNodes, MaxNodes + 1);
            var edges = random.Next(2) == 0 ? ErdosRenyi(n, 0.02 + 0.18 * random.NextDouble(), random) : Regular(n, random.Next(2, 5), random);
            graphs[g] = new RandomGraph(n, edges, CountTriangles(n, edges), CountComponents(n, edges));
        }
        return graphs;
    }

    private static List<(int, int)> ErdosRenyi(int n, double p, Random random)
    {
        var edges = new List<(int, int)>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (random.NextDouble() < p) edges.Add((i, j));
        return edges;
    }

    /// <summary>A random d-regular simple graph by pairing n·d half-edges, restarting on loops or repeated edges
    /// (n·d must be even: d is lowered by one when it is not).</summary>
    private static List<(int, int)> Regular(int n, int d, Random random)
    {
        if (n * d % 2 == 1) d--;
        while (true)
        {
            var stubs = Enumerable.Range(0, n * d).Select(s => s / d).ToArray();
            for (int i = stubs.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (stubs[i], stubs[j]) = (stubs[j], stubs[i]);
            }
            var set = new HashSet<(int, int)>();
            bool ok = true;
            for (int s = 0; s < stubs.Length && ok; s += 2)
            {
                int a = Math.Min(stubs[s], stubs[s + 1]), b = Math.Max(stubs[s], stubs[s + 1]);
                ok = a != b && set.Add((a, b));
            }
            if (ok) return set.OrderBy(e => e).ToList();
        }
    }

    /// <summary>The number of triangles {i, j, k} of the graph.</summary>
    public static int CountTriangles(int n, IReadOnlyList<(int I, int J)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var adjacent = new bool[n, n];
        foreach (var (i, j) in edges) adjacent[i, j] = adjacent[j, i] = true;
        int count = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (adjacent[i, j])
                    for (int k = j + 1; k < n; k++)
                        if (adjacent[i, k] && adjacent[j, k]) count++;
        return count;
    }

    /// <summary>The number of connected components (isolated nodes count).</summary>
    public static int CountComponents(int n, IReadOnlyList<(int I, int J)> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var (i, j) in edges) parent[Find(i)] = Find(j);
        return Enumerable.Range(0, n).Count(x => Find(x) == x);
    }
}
