using Noether.Data;
using Noether.Tests.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class RingPatternsTests
{
    [Theory]
    [InlineData(false, "C8")]
    [InlineData(true, "D8")]
    public void InputRepresentation_IsAnOrthogonalPermutationRepresentation(bool reflections, string group)
    {
        var task = new RingPatterns(reflections: reflections);
        Assert.Equal(group, task.Group.Name);
        RepresentationTests.AssertIsOrthogonalRepresentation(task.InputRepresentation);
        // The regular representation of C8 (sites = group elements).
        if (!reflections) Assert.Equal(task.Group.Irreps.Sum(i => i.Dim / i.EndomorphismDim), task.InputRepresentation.Irreps.Count);
    }

    [Fact]
    public void Sample_IsDeterministicPerSeed_AndHasTheRightShapes()
    {
        using var scope = NewDisposeScope();
        var task = new RingPatterns(sites: 6, classes: 3);
        using var a = task.Sample(50, seed: 4);
        using var b = task.Sample(50, seed: 4);
        using var c = task.Sample(50, seed: 5);
        Assert.Equal(new long[] { 50, 6 }, a.Inputs.shape);
        Assert.Equal(ScalarType.Int64, a.Labels.dtype);
        Assert.Equal(0.0, (a.Inputs - b.Inputs).abs().max().ToDouble());
        Assert.True((a.Inputs - c.Inputs).abs().max().ToDouble() > 0);
        Assert.InRange(a.Labels.min().ToInt64(), 0, 2);
        Assert.InRange(a.Labels.max().ToInt64(), 0, 2);
    }

    [Fact]
    public void NoiselessExamples_AreGroupImagesOfOnePrototypePerClass()
    {
        // With σ = 0 every example of a class is ρ(g)·p for its prototype p: the orbit of the first one.
        using var scope = NewDisposeScope();
        var task = new RingPatterns(sites: 5, classes: 2, noise: 0, reflections: true);
        using var set = task.Sample(40, seed: 1);
        var rho = task.InputRepresentation;
        foreach (var label in new long[] { 0, 1 })
        {
            var rows = Enumerable.Range(0, 40).Where(i => set.Labels[i].ToInt64() == label).ToArray();
            var first = set.Inputs[rows[0]].data<float>().Select(v => (double)v).ToArray();
            var orbit = task.Group.Elements.Select(g => rho.Matrix(g) * MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(first)).ToArray();
            foreach (var r in rows)
            {
                var x = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(set.Inputs[r].data<float>().Select(v => (double)v).ToArray());
                Assert.Contains(orbit, o => (o - x).AbsoluteMaximum() < 1e-5);
            }
        }
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingPatterns(sites: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingPatterns(classes: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingPatterns(noise: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingPatterns().Sample(0, 1));
    }
}
