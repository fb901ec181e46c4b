namespace Noether.Tests.Architecture;

/// <summary>One layer of the library: a name, its height in the stack, and whether it is one of the
/// Nn domains (which sit side by side and must not use each other).</summary>
/// <param name="Name">The layer's name ("Groups+Representations", "Nn.Points", "Training").</param>
/// <param name="Rank">Height, lowest first; a layer may use only layers of a lower rank (and itself).</param>
/// <param name="IsDomain">True for the Nn domains (Nn.Images, Nn.Sets, …), which share one rank.</param>
public sealed record Layer(string Name, int Rank, bool IsDomain)
{
    /// <summary>Whether code in this layer may use code in <paramref name="other"/>.</summary>
    public bool MayUse(Layer other) => other.Name == Name || other.Rank < Rank;

    public override string ToString() => Name;
}
