using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Noether.Cli;

/// <summary>Writes the one JSON object a command ends with, on one line of stdout.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Prints <paramref name="node"/> as one line.</summary>
    public static void Write(JsonNode node) => Console.Out.WriteLine(node.ToJsonString(Options));

    /// <summary>A number rounded to 12 significant digits (drops float noise such as 0.9999999999999998).</summary>
    public static double Clean(double value)
    {
        if (Math.Abs(value) < 1e-12) return 0.0;
        return double.Parse(value.ToString("G12", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }
}
