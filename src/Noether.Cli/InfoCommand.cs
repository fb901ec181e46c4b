using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Noether.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether info</c>: versions, native backend and threads.</summary>
public sealed class InfoCommand : Command<JsonSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, JsonSettings settings, CancellationToken cancellationToken)
    {
        var backend = TorchRuntime.EnsureLoaded();
        var version = typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        var json = new JsonObject
        {
            ["noether"] = version,
            ["torchsharp"] = backend.TorchSharpVersion,
            ["libtorch"] = backend.LibTorchVersion,
            ["threads"] = TorchRuntime.Threads,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["native_patch"] = backend.PatchedLibrary,
        };
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        var table = new Table().AddColumns("", "");
        table.HideHeaders();
        foreach (var (key, value) in json) table.AddRow(Markup.Escape(key), Markup.Escape(value?.ToString() ?? "none (not needed)"));
        AnsiConsole.Write(table);
        foreach (var step in backend.Steps) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(step)}[/]");
        return 0;
    }
}
