using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Noether.Groups;
using Noether.Representations;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary><c>noether groups [NAME]</c>: the groups Noether knows, or one group in detail.</summary>
public sealed class GroupsCommand : Command<GroupsCommand.Settings>
{
    /// <summary>Options of <c>groups</c>.</summary>
    public sealed class Settings : JsonSettings
    {
        /// <summary>The group to show.</summary>
        [CommandArgument(0, "[NAME]")]
        [Description("A group name: trivial, C<N>, D<N>, S<n>, octahedral, full-octahedral, icosahedral, full-icosahedral, SO2, O2, SO3, O3, or 'A x B'.")]
        public string? Name { get; init; }

        /// <summary>For continuous groups: list irreps up to this frequency or degree.</summary>
        [CommandOption("--band-limit <N>")]
        [Description("For continuous groups: list irreps up to this frequency or degree (default: the group's).")]
        public int? BandLimit { get; init; }

        /// <summary>Show one irrep in detail (index or name).</summary>
        [CommandOption("--irrep <INDEX|NAME>")]
        [Description("Show one irrep in detail: its matrices at the generators.")]
        public string? Irrep { get; init; }
    }

    private static readonly (string Name, string Order, string Description)[] Catalogue =
    {
        ("trivial", "1", "no symmetry"),
        ("C<N>", "N", "cyclic: rotations of the plane by multiples of 360°/N"),
        ("D<N>", "2N", "dihedral: N rotations and N reflections of the plane"),
        ("S<n>", "n!", $"symmetric: permutations of n objects (n ≤ {SymmetricGroup.MaxDegree})"),
        ("octahedral", "24", "rotations of a cube"),
        ("full-octahedral", "48", "rotations and reflections of a cube"),
        ("icosahedral", "60", "rotations of an icosahedron"),
        ("full-icosahedral", "120", "rotations and reflections of an icosahedron"),
        ("SO2", "∞", "rotations of the plane"),
        ("O2", "∞", "rotations and reflections of the plane"),
        ("SO3", "∞", "rotations of space"),
        ("O3", "∞", "rotations and reflections of space"),
        ("A x B", "|A|·|B|", "direct product of two finite groups"),
    };

    /// <inheritdoc />
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Name is null) return List(settings);
        var group = CliErrors.UserInput(() => Group.Parse(settings.Name));
        if (settings.BandLimit is < 0 or > Noether.Groups.Group.MaxBandLimit)
            throw new UserInputException($"--band-limit must be between 0 and {Noether.Groups.Group.MaxBandLimit:N0} (got {settings.BandLimit:N0}).");
        var irreps = group.IsFinite ? group.Irreps : group.IrrepsUpTo(settings.BandLimit ?? group.DefaultBandLimit);
        if (settings.Irrep is not null) return ShowIrrep(group, settings);

        var json = new JsonObject
        {
            ["name"] = group.Name,
            ["order"] = group.Order,
            ["finite"] = group.IsFinite,
            ["action_dimension"] = group.ActionDimension,
            ["generators"] = new JsonArray(group.Generators.Select(g => (JsonNode)JsonValue.Create(g.ToString())!).ToArray()),
            ["irreps"] = new JsonArray(irreps.Select(IrrepJson).ToArray()),
            ["subgroups"] = new JsonArray(group.Subgroups.Select(s => (JsonNode)JsonValue.Create(s.Subgroup.Name)!).ToArray()),
        };
        if (!group.IsFinite) json["band_limit"] = settings.BandLimit ?? group.DefaultBandLimit;
        CharacterTable? table = group is FiniteGroup finite ? finite.CharacterTable : null;
        if (table is not null) json["character_table"] = CharacterTableJson(table);
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }

        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(group.Name)}[/]  order {(group.Order?.ToString(CultureInfo.InvariantCulture) ?? "∞")}" +
                               (group.ActionDimension is int d ? $", acts on ℝ{(d == 2 ? "²" : "³")}" : ""));
        AnsiConsole.MarkupLine($"generators: {Markup.Escape(string.Join(", ", group.Generators))}");
        if (group.Generators.Any(g => g is DihedralElement) && group.Order is int order)
        {
            int n = group is DihedralGroup ? order / 2 : order;
            AnsiConsole.MarkupLine($"[grey]r^k: the rotation by k·360°/{n}; f: the reflection (x, y) ↦ (x, −y); r^k f: r^k after f[/]");
        }
        if (group.Subgroups.Count > 0)
            AnsiConsole.MarkupLine($"subgroups: {Markup.Escape(string.Join(", ", group.Subgroups.Select(s => s.Subgroup.Name)))}");
        var irrepTable = new Table().AddColumns("#", "irrep", "dim", "type");
        if (!group.IsFinite) irrepTable.AddColumn("band level");
        foreach (var i in irreps)
        {
            var cells = new List<string> { i.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(i.Name), i.Dim.ToString(CultureInfo.InvariantCulture), i.Type.ToString().ToLowerInvariant() };
            if (!group.IsFinite) cells.Add(i.BandLevel.ToString(CultureInfo.InvariantCulture));
            irrepTable.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(irrepTable);
        if (!group.IsFinite)
            AnsiConsole.MarkupLine($"[grey]irreps up to band level {settings.BandLimit ?? group.DefaultBandLimit}; --band-limit N lists more[/]");
        if (table is not null)
        {
            var characters = new Table { Title = new TableTitle("character table") };
            characters.AddColumn("");
            foreach (var c in table.Classes) characters.AddColumn($"{c.Label} ({c.Size})");
            for (int r = 0; r < table.Irreps.Count; r++)
                characters.AddRow(new[] { Markup.Escape(table.Irreps[r].Name) }
                    .Concat(Enumerable.Range(0, table.Classes.Count).Select(c => Format(table.Values[r, c]))).ToArray());
            AnsiConsole.Write(characters);
            AnsiConsole.MarkupLine("[grey]columns: conjugacy classes, named by the order of their elements and a letter (4a: elements of order 4), " +
                                   "with the number of elements in parentheses; rows: irreps; entries: traces χ(g)[/]");
        }
        return 0;
    }

    private static int List(Settings settings)
    {
        if (settings.Json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["groups"] = new JsonArray(Catalogue.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name, ["order"] = c.Order, ["description"] = c.Description,
                }).ToArray()),
            });
            return 0;
        }
        var table = new Table().AddColumns("name", "order", "what it is");
        foreach (var c in Catalogue) table.AddRow(Markup.Escape(c.Name), Markup.Escape(c.Order), Markup.Escape(c.Description));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]noether groups NAME shows one group: irreps, generators, character table[/]");
        return 0;
    }

    private static int ShowIrrep(Group group, Settings settings)
    {
        var irrep = CliErrors.UserInput(() => int.TryParse(settings.Irrep, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (group.IsFinite && index >= group.Irreps.Count
                ? throw new ArgumentOutOfRangeException(nameof(settings.Irrep), index, $"{group.Name} has {group.Irreps.Count} irreps (indices 0..{group.Irreps.Count - 1}).")
                : group.Irrep(index))
            : group.Irrep(settings.Irrep!));
        var generators = group.Generators;
        var json = IrrepJson(irrep).AsObject();
        json["group"] = group.Name;
        json["generators"] = new JsonArray(generators.Select(g => (JsonNode)new JsonObject
        {
            ["element"] = g.ToString(),
            ["matrix"] = MatrixJson(irrep.Matrix(g)),
        }).ToArray());
        if (settings.Json)
        {
            JsonOutput.Write(json);
            return 0;
        }
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(irrep.Name)}[/] of {Markup.Escape(group.Name)}: dim {irrep.Dim}, {irrep.Type.ToString().ToLowerInvariant()} type");
        foreach (var g in generators)
        {
            AnsiConsole.MarkupLine($"ρ({Markup.Escape(g.ToString()!)}) =");
            var m = irrep.Matrix(g);
            var t = new Table().HideHeaders();
            for (int j = 0; j < m.ColumnCount; j++) t.AddColumn("");
            for (int i = 0; i < m.RowCount; i++) t.AddRow(Enumerable.Range(0, m.ColumnCount).Select(j => Format(m[i, j])).ToArray());
            AnsiConsole.Write(t);
        }
        return 0;
    }

    private static JsonNode IrrepJson(Irrep i) => new JsonObject
    {
        ["index"] = i.Index,
        ["name"] = i.Name,
        ["dim"] = i.Dim,
        ["type"] = i.Type.ToString().ToLowerInvariant(),
        ["band_level"] = i.BandLevel,
    };

    private static JsonNode CharacterTableJson(CharacterTable table) => new JsonObject
    {
        ["classes"] = new JsonArray(table.Classes.Select(c => (JsonNode)new JsonObject
        {
            ["label"] = c.Label,
            ["size"] = c.Size,
            ["representative"] = c.Representative.ToString(),
        }).ToArray()),
        ["rows"] = new JsonArray(Enumerable.Range(0, table.Irreps.Count).Select(r => (JsonNode)new JsonObject
        {
            ["irrep"] = table.Irreps[r].Name,
            ["values"] = new JsonArray(Enumerable.Range(0, table.Classes.Count).Select(c => (JsonNode)JsonValue.Create(JsonOutput.Clean(table.Values[r, c]))).ToArray()),
        }).ToArray()),
    };

    private static JsonArray MatrixJson(MathNet.Numerics.LinearAlgebra.Matrix<double> m) =>
        new(Enumerable.Range(0, m.RowCount).Select(i =>
            (JsonNode)new JsonArray(Enumerable.Range(0, m.ColumnCount).Select(j => (JsonNode)JsonValue.Create(JsonOutput.Clean(m[i, j]))).ToArray())).ToArray());

    private static string Format(double value)
    {
        var v = JsonOutput.Clean(value);
        return Math.Abs(v - Math.Round(v)) < 1e-9
            ? Math.Round(v).ToString(CultureInfo.InvariantCulture)
            : v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
