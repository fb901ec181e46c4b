namespace Noether.Tests.Architecture;

/// <summary>The intended layer order of the Noether library (DESIGN.md, "Architecture"), lowest first:
/// Runtime → Groups + Representations (one layer, as escnn) → Equivariance → Data → Nn.Common →
/// Nn (root) → Nn domains (side by side) → Symmetrize → Training (the Trainer, experiments, reports) → Training.Tasks
/// (the built-in tasks and their catalogue).</summary>
/// <remarks>
/// Namespaces are given relative to the checked root ("Nn.Points" for "Noether.Nn.Points"), so the
/// same map serves the library and the planted examples in the test assembly. A sub-namespace belongs
/// to its parent's layer ("Nn.Points.Kernels" is in Nn.Points). A namespace the map does not know
/// has no layer, and the checker reports it rather than guessing.
/// </remarks>
public static class LayerMap
{
    public static readonly Layer Runtime = new("Runtime", 0, false);
    public static readonly Layer GroupsAndRepresentations = new("Groups+Representations", 1, false);
    public static readonly Layer Equivariance = new("Equivariance", 2, false);
    public static readonly Layer Data = new("Data", 3, false);
    public static readonly Layer NnCommon = new("Nn.Common", 4, false);
    public static readonly Layer NnRoot = new("Nn", 5, false);
    public static readonly Layer Symmetrize = new("Symmetrize", 7, false);
    public static readonly Layer Training = new("Training", 8, false);
    public static readonly Layer TrainingTasks = new("Training.Tasks", 9, false);

    private const int DomainRank = 6;

    /// <summary>The layer of a namespace relative to the checked root, or null if it has none.</summary>
    public static Layer? Find(string relativeNamespace)
    {
        var parts = relativeNamespace.Split('.');
        return parts[0] switch
        {
            "Runtime" => Runtime,
            "Groups" or "Representations" => GroupsAndRepresentations,
            "Equivariance" => Equivariance,
            "Data" => Data,
            "Nn" when parts.Length == 1 => NnRoot,
            "Nn" when parts[1] == "Common" => NnCommon,
            "Nn" => new Layer("Nn." + parts[1], DomainRank, true),
            "Symmetrize" => Symmetrize,
            "Training" when parts.Length > 1 && parts[1] == "Tasks" => TrainingTasks,
            "Training" => Training,
            _ => null,
        };
    }

    /// <summary>The node of a namespace in the namespace graph: the namespace itself, except that
    /// Groups and Representations (one layer) are one node.</summary>
    public static string GraphNode(string relativeNamespace)
    {
        var first = relativeNamespace.Split('.')[0];
        return first switch
        {
            "Groups" or "Representations" => GroupsAndRepresentations.Name,
            _ => relativeNamespace,
        };
    }
}
