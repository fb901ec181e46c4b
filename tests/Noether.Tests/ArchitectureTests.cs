using System.Reflection;
using Noether.Runtime;
using Noether.Tests.Architecture;
using Noether.Tests.Architecture.Plant.Sideways.Nn.Graphs;
using Noether.Tests.Architecture.Plant.Sideways.Nn.Sets;
using Noether.Tests.Architecture.Plant.Upward.Data;
using Noether.Tests.Architecture.Plant.Upward.Training;

namespace Noether.Tests;

/// <summary>The layering of DESIGN.md ("Architecture"), checked by reflection over the built assemblies:
/// Runtime → Groups + Representations → Equivariance → Data → Nn.Common → Nn domains (side by side)
/// → Symmetrize → Training → Training.Tasks → Cli (its own assembly).</summary>
public class ArchitectureTests
{
    private const string Root = "Noether";
    private const string Plant = "Noether.Tests.Architecture.Plant";

    private static readonly Assembly Library = typeof(TorchRuntime).Assembly;
    private static readonly Lazy<ArchitectureReport> LibraryReport = new(() => ArchitectureCheck.Run(Library, Root));

    [Fact]
    public void Library_ReferencesPointOnlyDown()
    {
        var report = LibraryReport.Value;

        Assert.True(report.TypesChecked > 100, $"Only {report.TypesChecked} types under '{Root}' were checked.");
        Assert.True(report.UnmappedNamespaces.Count == 0,
            "Namespaces with no layer (add them to LayerMap):\n  " + string.Join("\n  ", report.UnmappedNamespaces));
        Assert.True(report.Unresolved.Count == 0,
            "Tokens the checker could not resolve:\n  " + string.Join("\n  ", report.Unresolved));
        Assert.True(report.Violations.Count == 0,
            $"{report.Violations.Count} references point up or sideways:\n  " + string.Join("\n  ", report.Violations));
    }

    [Fact]
    public void Namespaces_HaveNoCycles()
    {
        var report = LibraryReport.Value;

        var cycles = NamespaceCycles.Find(report.Edges.Keys);

        Assert.True(cycles.Count == 0, "Namespace cycles:\n  " + string.Join("\n  ", cycles.Select(c => Describe(c, report))));
    }

    [Fact]
    public void Library_DoesNotReferenceCli()
    {
        var cli = typeof(Noether.Cli.InfoCommand).Assembly;

        Assert.DoesNotContain(Library.GetReferencedAssemblies(), name => name.Name == cli.GetName().Name);
        Assert.DoesNotContain(Library.GetTypes(), type => type.Namespace?.StartsWith("Noether.Cli", StringComparison.Ordinal) == true);
        Assert.Contains(cli.GetReferencedAssemblies(), name => name.Name == Library.GetName().Name);
    }

    [Fact]
    public void Checker_FailsOnPlantedUpwardReference()
    {
        // Data's method body calls Training: exactly that one pair, found in the IL.
        var upward = ArchitectureCheck.Run(typeof(PlantedLoader).Assembly, Plant + ".Upward");

        var violation = Assert.Single(upward.Violations);
        Assert.Equal(typeof(PlantedLoader), violation.Reference.From);
        Assert.Equal(typeof(PlantedTrainer), violation.Reference.To);
        Assert.False(violation.IsSideways);
        Assert.Empty(upward.UnmappedNamespaces);
        // Training → Data is allowed, but with the planted upward call it closes a cycle.
        var cycle = Assert.Single(NamespaceCycles.Find(upward.Edges.Keys));
        Assert.Equal(new[] { "Data", "Training", "Data" }, cycle);
    }

    [Fact]
    public void Checker_FailsOnPlantedSidewaysReference()
    {
        // Graphs uses Sets inside a lambda (a closure class nested in the Graphs type), and Nn.Common.
        var sideways = ArchitectureCheck.Run(typeof(PlantedGraphLayer).Assembly, Plant + ".Sideways");

        var violation = Assert.Single(sideways.Violations);
        Assert.Equal(typeof(PlantedGraphLayer), violation.Reference.From);
        Assert.Equal(typeof(PlantedSetLayer), violation.Reference.To);
        Assert.True(violation.IsSideways);
        Assert.Contains(("Nn.Graphs", "Nn.Common"), sideways.Edges.Keys);   // seen, and allowed
        Assert.Empty(NamespaceCycles.Find(sideways.Edges.Keys));
    }

    [Fact]
    public void Checker_PassesPlantedCleanLayers()
    {
        // Data → Groups; Groups ↔ Representations; Training → Data (in an iterator); Training.Tasks → Training.
        var clean = ArchitectureCheck.Run(typeof(PlantedLoader).Assembly, Plant + ".Clean");

        Assert.Empty(clean.Violations);
        Assert.Empty(clean.UnmappedNamespaces);
        Assert.Empty(NamespaceCycles.Find(clean.Edges.Keys));
        Assert.Contains(("Training", "Data"), clean.Edges.Keys);
        Assert.Contains(("Training.Tasks", "Training"), clean.Edges.Keys);
        Assert.DoesNotContain(("Training", "Training.Tasks"), clean.Edges.Keys);
        Assert.Contains(("Data", "Groups+Representations"), clean.Edges.Keys);
    }

    /// <summary>"a → b → a", each edge with one reference that makes it.</summary>
    private static string Describe(IReadOnlyList<string> cycle, ArchitectureReport report) =>
        string.Join(" → ", cycle) + "\n    " + string.Join("\n    ",
            cycle.Zip(cycle.Skip(1)).Select(edge => $"{edge.First} → {edge.Second}: {report.Edges[edge]}"));
}
