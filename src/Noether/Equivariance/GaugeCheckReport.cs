namespace Noether.Equivariance;

/// <summary>The result of a <see cref="GaugeCheck"/>: DESIGN.md's relative error under random gauge transformations.</summary>
/// <param name="MeanRelativeError">mean over transformations and configurations of ‖f(Ω·x) − Ω·f(x)‖ / (‖Ω·f(x)‖ + ε).</param>
/// <param name="MaxRelativeError">the largest of those.</param>
/// <param name="Transformations">how many random Ω were tried.</param>
public sealed record GaugeCheckReport(double MeanRelativeError, double MaxRelativeError, int Transformations)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"gauge: {Transformations} random transformations, mean relative error {MeanRelativeError:E3}, max {MaxRelativeError:E3}";
}
