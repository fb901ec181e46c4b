using System.ComponentModel;
using System.Text.Json.Nodes;
using Noether.Training;
using Noether.Training.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether tasks [TASK]</c>: the built-in tasks with their symmetry group, metric, data source, models,
/// strategies, options and default budgets.</summary>
public sealed class TasksCommand : Command<TasksCommand.Settings>
{
    /// <summary>Options of <c>tasks</c>.</summary>
    public sealed class Settings : JsonSettings
    {
        /// <summary>One task to show in full, or null for all.</summary>
        [CommandArgument(0, "[TASK]")]
        [Description("Show one task: its options and the default budget of each model.")]
        public string? Task { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var tasks = settings.Task is null ? TaskCatalog.All : new[] { CliRuns.RequireTask(settings.Task).Info };
        if (settings.Json)
        {
            JsonOutput.Write(new JsonObject { ["tasks"] = new JsonArray(tasks.Select(t => (JsonNode)ToJson(t)).ToArray()) });
            return 0;
        }
        if (settings.Task is null)
        {
            // The list: one row per task; `tasks TASK` gives everything about one.
            var table = new Table().AddColumns(new TableColumn("task").NoWrap(), new TableColumn("symmetry"), new TableColumn("metric").NoWrap(),
                new TableColumn("models"), new TableColumn("strategies"));
            foreach (var t in tasks)
                table.AddRow(Markup.Escape(t.Name), Markup.Escape(t.Symmetry), Markup.Escape(t.Metric), Markup.Escape(string.Join(", ", t.Models)),
                    Markup.Escape(string.Join(", ", t.Strategies)));
            table.Caption = new TableTitle("noether tasks TASK: the task's data, its own options and each model's default budget");
            AnsiConsole.Write(table);
            return 0;
        }
        foreach (var t in tasks)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(t.Name)}[/]: {Markup.Escape(t.Description)}");
            AnsiConsole.MarkupLine($"  symmetry:   {Markup.Escape(t.Symmetry)}");
            AnsiConsole.MarkupLine($"  metric:     {t.Metric}");
            AnsiConsole.MarkupLine($"  models:     {Markup.Escape(string.Join(", ", t.Models.Select(m => $"{m} ({Budget(t, m)})")))}");
            AnsiConsole.MarkupLine($"  strategies: {Markup.Escape(string.Join(", ", t.Strategies))}");
            foreach (var o in t.Options)
                AnsiConsole.MarkupLine($"  --{Markup.Escape(o.Name)} ({Markup.Escape(o.Expected)}; default {Markup.Escape(o.DefaultText.Length == 0 ? "none" : o.DefaultText)}" +
                                       $"{(o.Models is null ? "" : $"; {Markup.Escape(string.Join(", ", o.Models))} only")}): {Markup.Escape(o.Help)}");
            AnsiConsole.MarkupLine($"  data:       {Markup.Escape(t.DataSource)}");
        }
        return 0;
    }

    /// <summary>The default budget of <paramref name="model"/> in words, e.g. "1000 examples, 300 epochs, lr 0.001".</summary>
    private static string Budget(TaskInfo task, string model)
    {
        var run = new Noether.Training.Tasks.TaskRunOptions(model);
        var text = $"{task.TrainSize(run)} examples, {task.Epochs(run)} epochs";
        if (task.ModelDefaults.TryGetValue(model, out var d) && d.Options is not null)
            text += string.Concat(d.Options.Select(kv => $", --{kv.Key} {kv.Value}"));
        return text;
    }

    private static JsonObject ToJson(TaskInfo t) => new()
    {
        ["name"] = t.Name,
        ["description"] = t.Description,
        ["symmetry"] = t.Symmetry,
        ["metric"] = t.Metric,
        ["data"] = t.DataSource,
        ["models"] = new JsonArray(t.Models.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        ["strategies"] = new JsonArray(t.Strategies.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray()),
        ["symmetry_breaking"] = t.SymmetryBreaking,
        ["options"] = new JsonArray(t.Options.Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Name,
            ["help"] = o.Help,
            ["expected"] = o.Expected,
            ["default"] = o.DefaultText,
            ["values"] = o.Allowed is null ? null : new JsonArray(o.Allowed.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
            ["models"] = o.Models is null ? null : new JsonArray(o.Models.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray()),
            ["sweepable"] = o.Sweepable,
        }).ToArray()),
        ["defaults"] = new JsonObject(t.Models.Select(m =>
        {
            var run = new Noether.Training.Tasks.TaskRunOptions(m);
            var model = new JsonObject { ["train_size"] = t.TrainSize(run), ["epochs"] = t.Epochs(run) };
            if (t.ModelDefaults.TryGetValue(m, out var d) && d.Options is not null)
                model["options"] = new JsonObject(d.Options.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
            return KeyValuePair.Create(m, (JsonNode?)model);
        })),
    };
}
