using System.ComponentModel;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary>The option every command has.</summary>
public class JsonSettings : CommandSettings
{
    /// <summary>Print one JSON object as the last line of stdout instead of tables.</summary>
    [CommandOption("--json")]
    [Description("Print one JSON object as the last line of stdout.")]
    public bool Json { get; init; }
}
