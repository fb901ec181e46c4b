using System.Text.Json.Nodes;
using Noether.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether tasks</c>: the built-in tasks with their symmetry group, metric and data source.</summary>
public sealed class TasksCommand : Command<JsonSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, JsonSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["tasks"] = new JsonArray(TaskCatalog.All.Select(t => (JsonNode)new JsonObject
                {
                    ["name"] = t.Name,
                    ["description"] = t.Description,
                    ["symmetry"] = t.Symmetry,
                    ["metric"] = t.Metric,
                    ["data"] = t.DataSource,
                    ["models"] = new JsonArray(t.Models.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
                    ["strategies"] = new JsonArray(t.Strategies.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
                    ["symmetry_breaking"] = t.SymmetryBreaking,
                }).ToArray()),
            });
            return 0;
        }
        foreach (var t in TaskCatalog.All)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(t.Name)}[/]: {Markup.Escape(t.Description)}");
            AnsiConsole.MarkupLine($"  symmetry:   {Markup.Escape(t.Symmetry)}");
            AnsiConsole.MarkupLine($"  metric:     {t.Metric}");
            AnsiConsole.MarkupLine($"  models:     {Markup.Escape(string.Join(", ", t.Models))}");
            AnsiConsole.MarkupLine($"  strategies: {Markup.Escape(string.Join(", ", t.Strategies))}");
            if (t.SymmetryBreaking is not null) AnsiConsole.MarkupLine($"  --symmetry-breaking ε: {Markup.Escape(t.SymmetryBreaking)}");
            AnsiConsole.MarkupLine($"  data:       {Markup.Escape(t.DataSource)}");
        }
        return 0;
    }
}
