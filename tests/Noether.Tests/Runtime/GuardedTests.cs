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
