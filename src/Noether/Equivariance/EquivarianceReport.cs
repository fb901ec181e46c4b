using System.Globalization;
using Noether.Groups;

namespace Noether.Equivariance;

/// <summary>The relative equivariance error at one group element over a batch of inputs.</summary>
/// <param name="Element">the element g.</param>
/// <param name="MeanRelativeError">mean over inputs of ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / (‖ρ_out(g)f(x)‖ + ε).</param>
/// <param name="MaxRelativeError">the largest of those.</param>
public sealed record ElementError(GroupElement Element, double MeanRelativeError, double MaxRelativeError);

/// <summary>The result of <see cref="EquivarianceCheck"/>: per-element errors and their summary.</summary>
/// <param name="Group">the group checked.</param>
/// <param name="PerElement">one entry per element tested.</param>
/// <param name="Inputs">the number of inputs per element.</param>
public sealed record EquivarianceReport(Groups.Group Group, IReadOnlyList<ElementError> PerElement, int Inputs)
{
    /// <summary>The mean relative error over all elements and inputs (DESIGN.md's equivariance_error).</summary>
    public double MeanRelativeError => PerElement.Count == 0 ? 0 : PerElement.Average(e => e.MeanRelativeError);

    /// <summary>The largest relative error over all elements and inputs.</summary>
    public double MaxRelativeError => PerElement.Count == 0 ? 0 : PerElement.Max(e => e.MaxRelativeError);

    /// <summary>The element with the largest error.</summary>
    public GroupElement? WorstElement => PerElement.MaxBy(e => e.MaxRelativeError)?.Element;

    /// <inheritdoc />
    public override string ToString()
    {
        var f = CultureInfo.InvariantCulture;
        return $"{Group.Name}: {PerElement.Count} elements × {Inputs} inputs, mean relative error {MeanRelativeError.ToString("E3", f)}, " +
               $"max {MaxRelativeError.ToString("E3", f)} (at {WorstElement})";
    }
}
