using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether basis --group G --in REP --out REP</c>: the equivariant linear maps between two representations.</summary>
public sealed class BasisCommand : Command<BasisCommand.Settings>
{
    /// <summary>Options of <c>basis</c>.</summary>
    public sealed class Settings : JsonSettings
    {
        /// <summary>The matrix group.</summary>
        [CommandOption("--group <G>")]
        [Description("SO<n>, O<n>, SL<n>, Sp<n> (n even), lorentz, SO13+, S<n>, Z<n>, D<k>, or a finite group of `noether groups`.")]
        public string? Group { get; init; }

        /// <summary>Input representation.</summary>
        [CommandOption("--in <REP>")]
        [Description("Input representation, e.g. V, V*, T(2,0), 3V+T(1,1), V⊗V (or V(x)V), 1 or S.")]
        public string? In { get; init; }

        /// <summary>Output representation.</summary>
        [CommandOption("--out <REP>")]
        [Description("Output representation (same syntax).")]
        public string? Out { get; init; }

        /// <summary>The memory limit of the solve.</summary>
        [CommandOption("--memory-limit <SIZE>")]
        [Description("Refuse a solve whose memory estimate is above SIZE (e.g. 16G; default: half the machine's memory, or NOETHER_MEMORY_LIMIT).")]
        public string? MemoryLimit { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TaskOptionArguments.ApplyMemoryLimit(settings.MemoryLimit);
        if (settings.Group is null) throw new UserInputException("--group is required (e.g. --group SO3).");
        if (settings.In is null) throw new UserInputException("--in is required (e.g. --in V).");
        if (settings.Out is null) throw new UserInputException("--out is required (e.g. --out V).");
        var group = CliErrors.UserInput(() => MatrixGroup.Parse(settings.Group));
        var input = CliErrors.UserInput(() => TensorRepresentation.Parse(settings.In, group));
        var output = CliErrors.UserInput(() => TensorRepresentation.Parse(settings.Out, group));
        var clock = Stopwatch.StartNew();
        var basis = EquivariantBasis.Solve(input, output);
        double seconds = clock.Elapsed.TotalSeconds;
        var note = basis.IsEmpty
            ? $"The basis is empty: the only {group.Name}-equivariant linear map from {input.Name} to {output.Name} is zero."
            : $"{basis.Dim} independent equivariant maps.";
        var json = new JsonObject
        {
            ["group"] = group.Name,
            ["in"] = input.Name,
            ["out"] = output.Name,
            ["in_dim"] = input.Dim,
            ["out_dim"] = output.Dim,
            ["basis_dim"] = basis.Dim,
            ["block_pairs"] = new JsonArray(basis.Pairs.Select(p => (JsonNode)new JsonObject
            {
                ["out"] = p.Out.ToString(),
                ["in"] = p.In.ToString(),
                ["maps_per_block_pair"] = p.Basis.Count,
                ["count"] = p.Count,
            }).ToArray()),
            ["solve_seconds"] = JsonOutput.Clean(seconds),
            ["note"] = note,
        };
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        AnsiConsole.MarkupLine($"[bold]Hom_{Markup.Escape(group.Name)}({Markup.Escape(input.Name)}, {Markup.Escape(output.Name)})[/]: " +
                               $"in_dim {input.Dim}, out_dim {output.Dim}, basis_dim [bold]{basis.Dim}[/]");
        foreach (var p in basis.Pairs)
            AnsiConsole.MarkupLine($"  {Markup.Escape(p.In.ToString())} → {Markup.Escape(p.Out.ToString())}: {p.Basis.Count} per block pair, {p.Count} in all");
        AnsiConsole.MarkupLine(Markup.Escape(note));
        return 0;
    }
}
