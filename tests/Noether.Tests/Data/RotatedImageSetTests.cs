using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class RotatedImageSetTests
{
    /// <summary>count 12×12 random images; image i has label i % 10 and its first pixel encodes i (i / 1000).</summary>
    private static LabeledSet Indexed(int count)
    {
        using var generator = new Generator(5);
        var inputs = rand(new long[] { count, 1, 12, 12 }, generator: generator);
        inputs[.., 0, 0, 0] = arange(count, dtype: ScalarType.Float32) / 1000;
        return new LabeledSet(inputs, arange(count) % 10);
    }

    [Fact]
    public void Angles_AreUniformInZeroToTwoPi_AndDeterministic()
    {
        var a = RotatedImageSet.Angles(10_000, seed: 1);
        Assert.Equal(a, RotatedImageSet.Angles(10_000, seed: 1));
        Assert.NotEqual(a, RotatedImageSet.Angles(10_000, seed: 2));
        Assert.All(a, t => Assert.InRange(t, 0, 2 * Math.PI - 1e-12));
        Assert.InRange(a.Average(), Math.PI - 0.06, Math.PI + 0.06); // standard error π/√(3·10⁴) ≈ 0.018
    }

    [Fact]
    public void Rotate_TurnsEachImageByItsSeededAngle()
    {
        using var scope = NewDisposeScope();
        using var source = Indexed(5000); // more than one chunk of 2048
        using var rotated = RotatedImageSet.Rotate(source, seed: 4, circularMask: false);
        var angles = RotatedImageSet.Angles(5000, seed: 4);
        foreach (int i in new[] { 0, 2047, 2048, 4999 })
        {
            var expected = ImageRotation.Rotate(source.Inputs.narrow(0, i, 1), tensor(new[] { angles[i] }));
            Assert.True((rotated.Inputs.narrow(0, i, 1) - expected).abs().max().ToDouble() < 1e-6, $"image {i}");
        }
        Assert.True(rotated.Labels.eq(source.Labels).all().item<bool>());
    }

    [Fact]
    public void Rotate_WithoutRotation_OnlyMasks()
    {
        using var scope = NewDisposeScope();
        using var source = Indexed(20);
        using var masked = RotatedImageSet.Rotate(source, seed: 0, circularMask: true, rotate: false);
        using var copy = RotatedImageSet.Rotate(source, seed: 0, circularMask: false, rotate: false);
        Assert.True(masked.Inputs.eq(source.Inputs * ImageRotation.CircularMask(12, 12)).all().item<bool>());
        Assert.True(copy.Inputs.eq(source.Inputs).all().item<bool>());
        Assert.NotEqual(source.Inputs.Handle, copy.Inputs.Handle); // a copy the caller owns, not the source
    }

    [Fact]
    public void Take_IsASeededSubsetWithoutRepeats_NestedAcrossSizes()
    {
        using var scope = NewDisposeScope();
        using var source = Indexed(300);
        using var small = RotatedImageSet.Take(source, 50, seed: 9);
        using var large = RotatedImageSet.Take(source, 200, seed: 9);
        using var again = RotatedImageSet.Take(source, 50, seed: 9);
        using var other = RotatedImageSet.Take(source, 50, seed: 10);
        int[] Ids(LabeledSet s) => s.Inputs[.., 0, 0, 0].mul(1000).round().to_type(ScalarType.Int32).data<int>().ToArray();
        Assert.Equal(50, Ids(small).Distinct().Count());
        Assert.Equal(Ids(small), Ids(large).Take(50));
        Assert.Equal(Ids(small), Ids(again));
        Assert.NotEqual(Ids(small), Ids(other));
        Assert.Equal(Ids(small).Select(i => (long)(i % 10)), small.Labels.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => RotatedImageSet.Take(source, 301, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RotatedImageSet.Take(source, 0, seed: 0));
    }
}
