using CsCheck;
using Noether.Groups;
using Noether.Representations;
using Noether.Training;
using Noether.Training.Tasks;

namespace Noether.Tests.Reliability;

/// <summary>Every parser a user's text reaches, fuzzed: each input gives a value or the parser's documented exception,
/// with a message, within <see cref="Fuzz.TimeLimit"/> and <see cref="Fuzz.AllocationLimit"/> (see <see cref="Fuzz"/> for
/// the long mode).</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] GroupTokens =
    {
        "C", "D", "S", "A", "SO", "O", "SL", "Sp", "Z", "U", "SU", "E", " x ", "x", " ", "2", "3", "4", "8", "12", "1024",
        "513", "0", "-", "trivial", "octahedral", "full-", "icosahedral", "(", ")", ",", "+", "lorentz", "O13", "SO13+", "*",
    };

    [Fact]
    public void GroupNames_GiveAGroupOrAFormatException()
    {
        var valid = new[] { "C4", "D4", "S3", "C2 x C3", "SO2", "O2", "SO3", "O3", "trivial", "octahedral", "full-icosahedral", "D8 x C2", "C1024" };
        var report = Fuzz.Run("Group.Parse", Fuzz.Text(valid, GroupTokens), s => Group.Parse(s), typeof(FormatException));
        Assert.True(report.Values > 0 && report.Exceptions.ContainsKey(nameof(FormatException)), report.Summary());
        Assert.True(Group.CachedCount <= Group.ParameterisedCacheSize + 16, $"{Group.CachedCount} groups cached after fuzzing.");
    }

    [Fact]
    public void MatrixGroupNames_GiveAGroupOrAFormatException()
    {
        var valid = new[] { "SO5", "O3", "SL3", "Sp4", "lorentz", "O13", "SO13+", "S5", "Z5", "D4", "trivial", "SO32", "S64", "C4", "O3 x C2" };
        var report = Fuzz.Run("MatrixGroup.Parse", Fuzz.Text(valid, GroupTokens), s => MatrixGroup.Parse(s), typeof(FormatException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void IrrepNames_GiveAnIrrepOrAnArgumentException()
    {
        Group[] groups = { Group.SO2, Group.O2, Group.SO3, Group.O3, Group.Cyclic(4), Group.Dihedral(4), Group.Octahedral };
        var valid = new[] { "0e", "1o", "2e", "10o", "D1", "D2", "E1", "E3", "A1", "B2", "1a", "4a" };
        var tokens = new[] { "0", "1", "2", "9", "1000", "1001", "e", "o", "D", "E", "A", "B", "a", "b", "'", "-", "+", " " };
        var gen = Gen.Select(Gen.Int[0, groups.Length - 1], Fuzz.Text(valid, tokens), (g, s) => (Group: groups[g], Name: s));
        var report = Fuzz.Run("Group.Irrep(name)", gen, x => x.Group.Irrep(x.Name), x => $"{x.Group.Name} {Fuzz.Show(x.Name)}",
            typeof(ArgumentException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void TensorRepresentations_GiveARepresentationOrAFormatException()
    {
        MatrixGroup[] groups = { MatrixGroup.SO(3), MatrixGroup.O(5), MatrixGroup.SO(2), MatrixGroup.Lorentz, MatrixGroup.Symmetric(5), MatrixGroup.SO(32), MatrixGroup.Symmetric(64) };
        var valid = new[] { "V", "V*", "T(2,0)", "T(2)", "3V+T(1,1)", "3*V", "V⊗V", "V(x)V", "(V+1)⊗V*", "S", "4", "2T(1,1)+V", "T(0,3)", "(V+V*)⊗(V+2)" };
        var tokens = new[] { "V", "V*", "T(", ")", "(", ",", "+", "*", "⊗", "(x)", "S", "1", "2", "3", "20", "1000", "2147483647", " ", "T", "x" };
        var gen = Gen.Select(Gen.Int[0, groups.Length - 1], Fuzz.Text(valid, tokens), (g, s) => (Group: groups[g], Text: s));
        var report = Fuzz.Run("TensorRepresentation.Parse", gen, x => TensorRepresentation.Parse(x.Text, x.Group),
            x => $"{x.Group.Name} {Fuzz.Show(x.Text)}", typeof(FormatException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void Irreps_GiveASumOrAFormatException()
    {
        var valid = new[] { "16x0e+8x1o", "0e", "1x1o + 2x2e", "3x0o", "1o", "32x0e + 16x1o + 8x2e", "" };
        var tokens = new[] { "x", "e", "o", "+", " ", "0", "1", "2", "16", "1073741824", "2147483647", "-", "y", "p" };
        var report = Fuzz.Run("Irreps.Parse", Fuzz.Text(valid, tokens), s => _ = Irreps.Parse(s).Dim, typeof(FormatException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void Permutations_GiveAPermutationOrAFormatException()
    {
        var valid = new[] { "[2,0,1]", "(1 2 3)(4 5)", "()", "(1,2)", "[0]", "[1,0,3,2]", "(1 5)" };
        var tokens = new[] { "[", "]", "(", ")", ",", " ", "0", "1", "2", "5", "9", "2147483647", "-1" };
        var gen = Gen.Select(Gen.Int[1, 9], Fuzz.Text(valid, tokens), Gen.Bool, (n, s, withDegree) => (Degree: withDegree ? n : 0, Text: s));
        var report = Fuzz.Run("Permutation.Parse", gen, x => _ = x.Degree > 0 ? Permutation.Parse(x.Text, x.Degree) : Permutation.Parse(x.Text),
            x => $"degree {x.Degree} {Fuzz.Show(x.Text)}", typeof(FormatException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void Partitions_GiveAPartitionOrAFormatException()
    {
        var valid = new[] { "[3,1]", "3,1", "[1]", "[2, 2, 1]", "4" };
        var tokens = new[] { "[", "]", ",", " ", "0", "1", "3", "-1", "2147483647" };
        var report = Fuzz.Run("Partition.Parse", Fuzz.Text(valid, tokens), s => Partition.Parse(s), typeof(FormatException));
        Assert.True(report.Values > 0, report.Summary());
    }

    [Fact]
    public void TaskOptions_AreCanonicalOrAnArgumentException_BeforeAnyRun()
    {
        var tasks = TaskCatalog.All;
        var names = tasks.SelectMany(t => t.Options.Select(o => o.Name)).Distinct().Append("bogus").Append("").ToArray();
        var values = tasks.SelectMany(t => t.Options).SelectMany(o => (o.Allowed ?? Array.Empty<string>()).Append(o.DefaultText)).Distinct()
            .Concat(new[] { "0.1", "1e-3", "SO3", "O5", "SO200", "NaN", "-1", "Infinity", "2", "C4" }).ToArray();
        var tokens = new[] { "0", "1", ".", "e", "-", "+", "NaN", "∞", "SO", "O", "5", ",", " ", "x", "none" };
        var strategies = Strategy.All.Select(s => s.Name).Append("bogus").ToArray();
        var gen = Gen.Select(Gen.Int[0, tasks.Count - 1], Gen.Int[0, names.Length - 1], Fuzz.Text(values, tokens),
            Gen.Int[0, strategies.Length - 1], Gen.Int[-2, 2_000_000], Gen.Int[0, 7],
            (t, n, v, s, size, m) => (Task: tasks[t], Name: names[n], Value: v, Strategy: strategies[s], Size: size, Model: m));
        var report = Fuzz.Run("TaskInfo.CheckOptions + Require", gen, x =>
            {
                string model = x.Model < x.Task.Models.Count ? x.Task.Models[x.Model] : "bogus";
                var options = x.Task.CheckOptions(new Dictionary<string, string> { [x.Name] = x.Value }, new[] { model });
                x.Task.Require(new TaskRunOptions(model, Strategy.Parse(x.Strategy), x.Size, Options: options));
            },
            x => $"{x.Task.Name} --{x.Name} {Fuzz.Show(x.Value)} model #{x.Model} {x.Strategy} size {x.Size}", typeof(ArgumentException),
            typeof(Noether.Runtime.MemoryLimitException));
        Assert.True(report.Values > 0, report.Summary());
    }
}
