using System.Text.RegularExpressions;
using Noether.Runtime;
using Noether.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Runtime;

/// <summary>The calls whose native functions end the process on a libtorch error are checked first: a shape, dtype or
/// graph mistake is a catchable <see cref="ArgumentException"/>, the process goes on, and the library makes no raw call.</summary>
public class GuardedTests
{
    [Theory]
    [InlineData(new long[] { 3 }, new long[] { 3 })]
    [InlineData(new long[] { 2, 3 }, new long[] { 3 })]
    [InlineData(new long[] { 3 }, new long[] { 3, 4 })]
    [InlineData(new long[] { 2, 3 }, new long[] { 3, 4 })]
    [InlineData(new long[] { 5, 2, 3 }, new long[] { 3, 4 })]
    [InlineData(new long[] { 5, 1, 2, 3 }, new long[] { 7, 3, 4 })]
    public void MatMulChecked_GivesMatmulsResult_WhereItFits(long[] a, long[] b)
    {
        using var scope = NewDisposeScope();
        var x = randn(a, dtype: ScalarType.Float64);
        var y = randn(b, dtype: ScalarType.Float64);
        var expected = x.matmul(y);
        var got = x.MatMulChecked(y);
        Assert.Equal(expected.shape, got.shape);
        Assert.Equal(0, (expected - got).abs().max().ToDouble());
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, new long[] { 4, 5 }, ScalarType.Float32, "contracts")]
    [InlineData(new long[] { 3 }, new long[] { 4 }, ScalarType.Float32, "contracts")]
    [InlineData(new long[] { 5, 2, 3 }, new long[] { 6, 3, 4 }, ScalarType.Float32, "broadcast")]
    [InlineData(new long[] { 2, 3 }, new long[] { 3, 4 }, ScalarType.Float64, "dtype")]
    public void MatMulChecked_RefusesWhatWouldEndTheProcess_AndTheProcessGoesOn(long[] a, long[] b, ScalarType second, string expected)
    {
        using var scope = NewDisposeScope();
        var x = randn(a);
        var y = randn(b, dtype: second);
        var error = Assert.Throws<ArgumentException>(() => x.MatMulChecked(y));
        Assert.Contains(expected, error.Message);
        // The process is alive and libtorch works.
        Assert.Equal(6, ones(2, 3).sum().ToDouble());
    }

    [Fact]
    public void Grad_RefusesInputsOutsideTheGraph_AndComputesOtherwise()
    {
        using var scope = NewDisposeScope();
        var x = randn(4).requires_grad_(true);
        var y = (x * x).sum();
        Assert.Equal(0, (Guarded.Grad(new[] { y }, new[] { x }, retainGraph: true)[0] - 2 * x).abs().max().ToDouble(), 12);
        var constant = randn(4);
        Assert.Contains("does not require grad", Assert.Throws<ArgumentException>(() => Guarded.Grad(new[] { y }, new[] { constant })).Message);
        Assert.Contains("not part of a graph", Assert.Throws<ArgumentException>(() => Guarded.Grad(new[] { constant.sum() }, new[] { x })).Message);
        Assert.Contains("Output gradient", Assert.Throws<ArgumentException>(() => Guarded.Grad(new[] { x * 2 }, new[] { x }, new[] { ones(3) })).Message);
    }

    [Theory]
    [InlineData(2.5, 2.5)]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.NegativeInfinity, double.NegativeInfinity)]
    public void ToDoubleChecked_GivesTheValue_OfAnyRealTensor(double value, double expected)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(expected, tensor(value).ToDoubleChecked());
        Assert.Equal(3.0, tensor(new[] { 3.0f }).ToDoubleChecked());
        Assert.Equal(-1.5, complex(tensor(-1.5), tensor(0.0)).ToDoubleChecked());
    }

    [Fact]
    public void ScalarConversions_RefuseWhatWouldEndTheProcess_AndTheProcessGoesOn()
    {
        using var scope = NewDisposeScope();
        var offAxis = complex(tensor(1.0), tensor(2.0));
        Assert.Contains("imaginary part 2", Assert.Throws<ArgumentException>(() => offAxis.ToDoubleChecked()).Message);
        Assert.Contains("imaginary part 2", Assert.Throws<ArgumentException>(() => offAxis.ToInt64Checked()).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => tensor(double.NaN).ToInt64Checked()).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => tensor(1e19).ToInt64Checked()).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => tensor(double.PositiveInfinity).ToInt64Checked()).Message);
        Assert.Contains("not a bool", Assert.Throws<ArgumentException>(() => tensor(2.5).ToBooleanChecked()).Message);
        Assert.Contains("not a bool", Assert.Throws<ArgumentException>(() => tensor(float.NaN).ToBooleanChecked()).Message);
        Assert.Contains("one element", Assert.Throws<ArgumentException>(() => ones(2).ToDoubleChecked()).Message);
        // The process is alive and libtorch works.
        Assert.Equal(6, ones(2, 3).sum().ToDoubleChecked());
        Assert.Equal(-7, tensor(-7.9).ToInt64Checked());                       // truncated, as libtorch does
        Assert.Equal(long.MaxValue, tensor(long.MaxValue).ToInt64Checked());
        Assert.True(tensor(1.0).ToBooleanChecked());
        Assert.False(tensor(0).ToBooleanChecked());
        Assert.True(ones(3).eq(1).all().ToBooleanChecked());
    }

    /// <summary>For every unguarded native function that the table marks guarded, no file of <c>src/</c> but the guard's
    /// own makes the raw call.</summary>
    [Fact]
    public void Library_CallsEveryGuardedFunctionOnlyThroughItsGuard()
    {
        var source = Path.Combine(TrainerTests.RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => (Path: Path.GetRelativePath(source, f).Replace(Path.DirectorySeparatorChar, '/'), Lines: File.ReadAllLines(f))).ToArray();
        var guarded = UnguardedNativeCalls.Table.Where(e => e.Handling == UnguardedNativeCalls.Handling.Guarded).ToArray();
        Assert.NotEmpty(guarded);
        var offenders = new List<string>();
        foreach (var e in guarded)
        {
            Assert.Contains(files, f => f.Path == e.GuardFile);
            var raw = new Regex(e.RawCall!);
            Assert.Contains(files.Single(f => f.Path == e.GuardFile).Lines, l => raw.IsMatch(l));   // the guard makes the call itself
            offenders.AddRange(files.Where(f => f.Path != e.GuardFile)
                .SelectMany(f => f.Lines.Select((line, i) => (f.Path, i, line)))
                .Where(x => raw.IsMatch(x.line) && !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal))
                .Select(x => $"{e.Native} ({e.Guard}): {x.Path}:{x.i + 1}: {x.line.Trim()}"));
        }
        Assert.True(offenders.Count == 0, "raw calls outside their guards:\n" + string.Join("\n", offenders));
    }

    /// <summary>No file of the library calls the unguarded functions directly.</summary>
    [Fact]
    public void Library_CallsMatmulAndGradOnlyThroughGuarded()
    {
        var source = Path.Combine(TrainerTests.RepositoryRoot(), "src");
        var raw = new Regex(@"\.matmul\(|torch\.matmul\(|autograd\.grad\(");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && Path.GetFileName(f) != "Guarded.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => raw.IsMatch(x.line) && !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(source, x.f)}:{x.i + 1}: {x.line.Trim()}").ToArray();
        Assert.True(offenders.Length == 0, "unguarded calls:\n" + string.Join("\n", offenders));
        Assert.Matches(raw, "var y = x.matmul(w);");
        Assert.Matches(raw, "torch.autograd.grad(new[] { e }, new[] { x })");
    }
}
