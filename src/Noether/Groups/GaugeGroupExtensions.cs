namespace Noether.Groups;

/// <summary>Helpers on <see cref="GaugeGroup"/>.</summary>
public static class GaugeGroupExtensions
{
    /// <summary>N, the size of the matrices (1 for U(1), 2 for SU(2)).</summary>
    public static int MatrixSize(this GaugeGroup group) => group switch
    {
        GaugeGroup.U1 => 1,
        GaugeGroup.SU2 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown gauge group."),
    };

    /// <summary>The group whose matrices are N×N: U(1) for N = 1, SU(2) for N = 2.</summary>
    public static GaugeGroup FromMatrixSize(long n) => n switch
    {
        1 => GaugeGroup.U1,
        2 => GaugeGroup.SU2,
        _ => throw new ArgumentException($"Link matrices must be 1×1 (U(1)) or 2×2 (SU(2)); got {n}×{n}.", nameof(n)),
    };

    /// <summary>The name used in the CLI and in reports: "U1" or "SU2".</summary>
    public static string Name(this GaugeGroup group) => group == GaugeGroup.U1 ? "U1" : "SU2";

    /// <summary>Parses "U1", "U(1)", "SU2" or "SU(2)" (any case).</summary>
    public static GaugeGroup Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal).ToUpperInvariant() switch
        {
            "U1" => GaugeGroup.U1,
            "SU2" => GaugeGroup.SU2,
            _ => throw new ArgumentException($"Unknown gauge group '{name}'; known: U1, SU2.", nameof(name)),
        };
    }
}
