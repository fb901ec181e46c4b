namespace Noether.Nn.Images;

/// <summary>One layer as the symmetry type check saw it.</summary>
/// <param name="Name">its name in the model (nested names joined with '.').</param>
/// <param name="Kind">its .NET type.</param>
/// <param name="In">the field type it receives, or null where unknown.</param>
/// <param name="Out">the field type it produces, or null where unknown.</param>
/// <param name="Verdict">"equivariant (declared)", "equivariant (pointwise on permutation fields)" or the problem.</param>
public sealed record TypeCheckedLayer(string Name, string Kind, string? In, string? Out, string Verdict);
