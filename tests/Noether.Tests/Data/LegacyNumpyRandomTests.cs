using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

/// <summary>The numpy-compatible stream against values printed by numpy 1.24 (<c>numpy.random.seed(s)</c>, legacy
/// RandomState), and the EGNN paper's N-body draw regenerated from it.</summary>
public class LegacyNumpyRandomTests
{
    [Fact]
    public void MersenneTwister_FirstOutputOfTheCanonicalSeed_IsTheReferenceValue()
    {
        // Matsumoto and Nishimura's reference implementation: init_genrand(5489) → 3499211612 first.
        Assert.Equal(3499211612u, new LegacyNumpyRandom(5489).NextUInt32());
    }

    [Fact]
    public void UniformsAndNormals_MatchNumpysLegacyStream_ValueForValue()
    {
        var random = new LegacyNumpyRandom(43);
        // numpy.random.seed(43); random_sample(2); randn(3)
        Assert.Equal(0.11505456638977896, random.NextDouble());
        Assert.Equal(0.6090665392794814, random.NextDouble());
        Assert.Equal(-0.37850310605882326, random.NextGaussian(), 15);
        Assert.Equal(-0.5349155987755707, random.NextGaussian(), 15);
        Assert.Equal(0.8580733460716252, random.NextGaussian(), 15);
        // An odd count: the cached second normal of a pair carries over (numpy.random.seed(7); randn(5)).
        random = new LegacyNumpyRandom(7);
        var expected = new[] { 1.690525703800356, -0.4659373705408328, 0.0328201636785844, 0.40751628299650783, -0.7889230286257386 };
        foreach (var value in expected) Assert.Equal(value, random.NextGaussian(), 14);
    }

    [Fact]
    public void ReferenceNBodyDraw_ReproducesThePapersSystems_TrainAndTest()
    {
        using var scope = NewDisposeScope();
        // Systems 0 of the training split and 12,000 of the stream (test system 0), integrated independently with numpy
        // from the same draw: charges, position of particle 0 at frame 30 and at frame 40.
        using var train = NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Train, 1);
        Assert.Equal(new[] { -1f, 1f, -1f, -1f, -1f }, train.Charges.flatten().data<float>().ToArray());
        AssertClose(new[] { 2.9891163171666544, 1.7693701204465269, -1.1712942795381607 }, train.Positions[0, 0]);
        AssertClose(new[] { 4.1654998367653935, 2.1913091384156553, -1.382618802360046 }, train.Targets[0, 0]);
        using var test = NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Test, 1);
        Assert.Equal(new[] { 1f, 1f, -1f, -1f, 1f }, test.Charges.flatten().data<float>().ToArray());
        AssertClose(new[] { 1.7298977492711585, 0.7635153613745042, 0.32737137001221345 }, test.Positions[0, 0]);
        AssertClose(new[] { 2.202854589119616, 0.962163448055097, -0.6795641975233524 }, test.Targets[0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => NBodySimulation.GenerateReference(NBodySimulation.ReferenceSplit.Test, 2001));
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        var values = actual.to_type(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(values[i] - expected[i]) < 1e-5, $"component {i}: {values[i]} vs {expected[i]}");
    }
}
