using System.Globalization;

namespace Noether.Equivariance;

/// <summary>The one result of every equivariance check (groups, permutations, gauge fields): per-transformation
/// errors, which transformations are exact symmetries of the model and which only approximate, and the summary.</summary>
/// <param name="Symmetry">the symmetry checked.</param>
/// <param name="PerElement">one entry per transformation tested.</param>
/// <param name="Inputs">the number of inputs (entries) per transformation.</param>
/// <param name="Tolerance">the bound of an exact symmetry: <see cref="Equivariance.Tolerance.Float64"/> for float64
/// models, <see cref="Equivariance.Tolerance.Float32"/> otherwise.</param>
/// <remarks>The error is DESIGN.md's ‖f(τ·x) − τ·f(x)‖ / (‖τ·f(x)‖ + ε), compared in float64.</remarks>
public sealed record EquivarianceReport(Symmetry Symmetry, IReadOnlyList<ElementError> PerElement, int Inputs, double Tolerance)
{
    /// <summary>The mean relative error over all elements and inputs (DESIGN.md's equivariance_error).</summary>
    public double MeanRelativeError => PerElement.Count == 0 ? 0 : PerElement.Average(e => e.MeanRelativeError);

    /// <summary>The largest relative error over all elements and inputs.</summary>
    public double MaxRelativeError => PerElement.Count == 0 ? 0 : PerElement.Max(e => e.MaxRelativeError);

    /// <summary>The element with the largest error.</summary>
    public Transformation? WorstElement => PerElement.MaxBy(e => e.MaxRelativeError)?.Element;

    /// <summary>The elements that are exact symmetries of the model (error within <see cref="Tolerance"/>).</summary>
    public IReadOnlyList<ElementError> Exact => PerElement.Where(e => e.Verdict == EquivarianceVerdict.Exact).ToArray();

    /// <summary>The elements that are only approximate symmetries.</summary>
    public IReadOnlyList<ElementError> Approximate => PerElement.Where(e => e.Verdict == EquivarianceVerdict.Approximate).ToArray();

    /// <summary>True when every element tested is exact.</summary>
    public bool IsExact => PerElement.All(e => e.Verdict == EquivarianceVerdict.Exact);

    /// <summary>The entry of the element named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">no element has that name.</exception>
    public ElementError this[string name] => PerElement.FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"No element '{name}' in the report; elements: {string.Join(", ", PerElement.Select(e => e.Name))}.", nameof(name));

    /// <summary>The same report restricted to the elements that the types declare exact on their discretisation.</summary>
    public EquivarianceReport DeclaredExactOnly() => this with { PerElement = PerElement.Where(e => e.DeclaredExact).ToArray() };

    /// <inheritdoc />
    public override string ToString()
    {
        var f = CultureInfo.InvariantCulture;
        return $"{Symmetry.Name}: {PerElement.Count} elements × {Inputs} inputs, mean relative error {MeanRelativeError.ToString("E3", f)}, " +
               $"max {MaxRelativeError.ToString("E3", f)} (at {WorstElement}); exact within {Tolerance.ToString("G3", f)}: {Exact.Count}, approximate: {Approximate.Count}" +
               (Approximate.Count == 0 ? "" : $" ({string.Join(", ", Approximate.Select(e => e.Name))})");
    }
}
