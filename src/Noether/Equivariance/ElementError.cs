namespace Noether.Equivariance;

/// <summary>The relative equivariance error at one transformation over a batch of inputs, with its verdict.</summary>
/// <param name="Element">the transformation τ (a group element, a permutation, a gauge field).</param>
/// <param name="MeanRelativeError">mean over inputs of ‖f(τ·x) − τ·f(x)‖ / (‖τ·f(x)‖ + ε).</param>
/// <param name="MaxRelativeError">the largest of those.</param>
/// <param name="Verdict"><see cref="EquivarianceVerdict.Exact"/> when <paramref name="MaxRelativeError"/> is within the
/// report's tolerance, else <see cref="EquivarianceVerdict.Approximate"/>.</param>
/// <param name="DeclaredExact">whether the types declare τ an exact symmetry of their discretisation
/// (<see cref="ITensorType.IsExact"/>): 90° on a pixel grid yes, 45° no.</param>
public sealed record ElementError(Transformation Element, double MeanRelativeError, double MaxRelativeError,
    EquivarianceVerdict Verdict = EquivarianceVerdict.Exact, bool DeclaredExact = true)
{
    /// <summary>The element's name.</summary>
    public string Name => Element.Name;

    /// <summary>The group element, where the transformation is one (null for permutations and gauge fields).</summary>
    public Groups.GroupElement? GroupElement => (Element as GroupTransformation)?.Element;
}
