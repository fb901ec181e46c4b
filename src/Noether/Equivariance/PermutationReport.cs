namespace Noether.Equivariance;

/// <summary>The result of a permutation check (<see cref="PermutationCheck"/>, graph node permutations); converts
/// into the one report type with <see cref="ToReport"/>.</summary>
/// <param name="MeanRelativeError">mean over entries and permutations (DESIGN.md's equivariance_error).</param>
/// <param name="MaxRelativeError">the largest.</param>
/// <param name="Permutations">random permutations drawn.</param>
/// <param name="Inputs">batch entries per permutation.</param>
public sealed record PermutationReport(double MeanRelativeError, double MaxRelativeError, int Permutations, int Inputs)
{
    /// <summary>One entry per permutation drawn (named π#0, π#1, …), with its verdict.</summary>
    public IReadOnlyList<ElementError> PerElement { get; init; } = Array.Empty<ElementError>();

    /// <summary>The bound of an exact symmetry used for the verdicts.</summary>
    public double Tolerance { get; init; } = Equivariance.Tolerance.Float32;

    /// <summary>The same result as an <see cref="EquivarianceReport"/> of <see cref="PermutationSymmetry"/>.</summary>
    public EquivarianceReport ToReport() => new(PermutationSymmetry.Instance, PerElement, Inputs, Tolerance);

    /// <summary>The entry of the <paramref name="index"/>-th permutation from its per-input errors.</summary>
    internal static ElementError Entry(int index, IReadOnlyCollection<double> relative, double tolerance)
    {
        double max = relative.Max();
        return new ElementError(new DrawnTransformation($"π#{index}"), relative.Average(), max,
            max <= tolerance ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate);
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Permutations} permutations × {Inputs} inputs, mean relative error {MeanRelativeError:E3}, max {MaxRelativeError:E3}");
}
