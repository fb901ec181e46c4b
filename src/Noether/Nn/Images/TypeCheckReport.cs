namespace Noether.Nn.Images;

/// <summary>The result of <see cref="SymmetryTypeCheck.Check"/>.</summary>
/// <param name="Layers">every leaf layer walked, in order, up to and including the first problem.</param>
/// <param name="FirstProblem">the first layer that breaks the chain of field types or is not known to be
/// equivariant, or null when the whole model type-checks.</param>
public sealed record TypeCheckReport(IReadOnlyList<TypeCheckedLayer> Layers, TypeCheckedLayer? FirstProblem)
{
    /// <summary>True when no problem was found.</summary>
    public bool Passed => FirstProblem is null;

    /// <inheritdoc />
    public override string ToString() => Passed
        ? $"type check passed: {Layers.Count} layers chain their field types"
        : $"type check failed at '{FirstProblem!.Name}' ({FirstProblem.Kind}): {FirstProblem.Verdict}";
}
