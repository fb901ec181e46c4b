namespace Noether.Nn.Graphs;

/// <summary>The message-passing layer a <see cref="GraphNetwork"/> stacks.</summary>
public enum GraphLayerKind
{
    /// <summary><see cref="GcnConv"/>.</summary>
    Gcn,
    /// <summary><see cref="GinConv"/>.</summary>
    Gin,
    /// <summary><see cref="SageConv"/>.</summary>
    Sage,
    /// <summary><see cref="GatConv"/> (4 heads).</summary>
    Gat,
}
