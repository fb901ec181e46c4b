namespace Noether.Equivariance;

/// <summary>The result of a <see cref="GaugeCheck"/>: DESIGN.md's relative error under random gauge transformations;
/// converts into the one report type with <see cref="ToReport"/>.</summary>
/// <param name="MeanRelativeError">mean over transformations and configurations of ‖f(Ω·x) − Ω·f(x)‖ / (‖Ω·f(x)‖ + ε).</param>
/// <param name="MaxRelativeError">the largest of those.</param>
/// <param name="Transformations">how many random Ω were tried.</param>
public sealed record GaugeCheckReport(double MeanRelativeError, double MaxRelativeError, int Transformations)
{
    /// <summary>One entry per gauge field drawn (Ω#0, Ω#1, …), with its verdict.</summary>
    public IReadOnlyList<ElementError> PerElement { get; init; } = Array.Empty<ElementError>();

    /// <summary>The bound of an exact symmetry used for the verdicts.</summary>
    public double Tolerance { get; init; } = Equivariance.Tolerance.Float32;

    /// <summary>The gauge symmetry checked (null for a report built by hand).</summary>
    public GaugeSymmetry? Symmetry { get; init; }

    /// <summary>The same result as an <see cref="EquivarianceReport"/>.</summary>
    /// <exception cref="InvalidOperationException">the report was built by hand without its symmetry.</exception>
    public EquivarianceReport ToReport() => new(Symmetry ?? throw new InvalidOperationException("This report does not record its gauge group."),
        PerElement, PerElement.Count == 0 ? 0 : 1, Tolerance);

    /// <inheritdoc />
    public override string ToString() =>
        $"gauge: {Transformations} random transformations, mean relative error {MeanRelativeError:E3}, max {MaxRelativeError:E3}";
}
