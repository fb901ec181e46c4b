using Noether.Equivariance;
using Noether.Nn.Sets;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Sets;

public sealed class SetLayerTests
{
    /// <summary>Four sets of sizes 3, 7, 1 and 5 with 4 features, padded to 7.</summary>
    private static SetBatch RandomSets(int features = 4, ScalarType dtype = ScalarType.Float32, long seed = 1)
    {
        var generator = new Generator((ulong)seed);
        var sets = new[] { 3, 7, 1, 5 }.Select(n => randn(new long[] { n, features }, dtype, generator: generator)).ToArray();
        return SetBatch.Pad(sets);
    }

    /// <summary>Checks f(features, mask) under random permutations of the set axis, padding rows included (so after
    /// a permutation the padding sits anywhere, not only at the end).</summary>
    private static EquivarianceReport Check(Func<Tensor, Tensor, Tensor> f, SetBatch batch, bool equivariant) =>
        PermutationCheck.Run(x => { var b = SetBatch.FromTensor(x); return f(b.Features, b.Mask); }, batch.ToTensor(),
            new[] { 1 }, equivariant ? new[] { 1 } : Array.Empty<int>(), permutations: 8, seed: 3);

    public static TheoryData<SetPooling> Poolings => new() { SetPooling.Sum, SetPooling.Mean, SetPooling.Max };

    [Theory, MemberData(nameof(Poolings))]
    public void PermutationEquivariantLinear_IsEquivariant_WithMasksAndVariableSizes(SetPooling pooling)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var layer = new PermutationEquivariantLinear(4, 6, pooling);
        var report = Check(layer.forward, RandomSets(), equivariant: true);
        Assert.True(report.MaxRelativeError <= 1e-5, report.ToString());
    }

    [Fact]
    public void PermutationEquivariantLinear_WithSumPooling_IsLambdaXPlusGammaSumPlusBias_AndZeroAtPadding()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var layer = new PermutationEquivariantLinear(4, 3, SetPooling.Sum);
        var batch = RandomSets();
        var y = layer.forward(batch.Features, batch.Mask);
        var lambda = layer.get_parameter("lambda.weight")!; var bias = layer.get_parameter("lambda.bias")!; var gamma = layer.get_parameter("gamma.weight")!;
        // Set 0 has 3 real elements: y_i = Λ x_i + b + Γ Σ_{j<3} x_j.
        var x0 = batch.Features[0].narrow(0, 0, 3);
        var expected = x0.matmul(lambda.t()) + bias + x0.sum(new long[] { 0 }).matmul(gamma.t());
        Assert.True(allclose(y[0].narrow(0, 0, 3), expected, 1e-5, 1e-5));
        Assert.Equal(0.0, y[0].narrow(0, 3, 4).abs().max().ToDouble());
    }

    [Fact]
    public void SetPool_IgnoresPadding_SumMeanMax()
    {
        using var scope = NewDisposeScope();
        var features = tensor(new float[] { 1, 5, 100, -2, 7, -100 }).reshape(2, 3, 1);
        var mask = tensor(new[] { true, true, false, true, false, false }).reshape(2, 3);
        Assert.Equal(new float[] { 6, -2 }, SetPool.Apply(features, mask, SetPooling.Sum).data<float>().ToArray());
        Assert.Equal(new float[] { 3, -2 }, SetPool.Apply(features, mask, SetPooling.Mean).data<float>().ToArray());
        Assert.Equal(new float[] { 5, -2 }, SetPool.Apply(features, mask, SetPooling.Max).data<float>().ToArray());
    }

    [Theory, MemberData(nameof(Poolings))]
    public void DeepSets_IsInvariant_AndPaddingValuesDoNotMatter(SetPooling pooling)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new DeepSets(4, new[] { 16, 16 }, new[] { 16 }, 2, pooling);
        var batch = RandomSets();
        var report = Check(model.forward, batch, equivariant: false);
        Assert.True(report.MaxRelativeError <= 1e-5, report.ToString());
        // Garbage in the padding rows changes nothing.
        var noisy = batch.Features + randn_like(batch.Features) * batch.Mask.logical_not().unsqueeze(2);
        Assert.True(allclose(model.forward(batch.Features, batch.Mask), model.forward(noisy, batch.Mask), 1e-6, 1e-6));
    }

    [Fact]
    public void AttentionBlocks_SabIsab_AreEquivariant_PmaAndSetTransformer_AreInvariant()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var batch = RandomSets();
        using var sab = new SetAttentionBlock(4, 8, heads: 2, layerNorm: true);
        using var isab = new InducedSetAttentionBlock(4, 8, inducingPoints: 3, heads: 2);
        using var pma = new PoolingByMultiheadAttention(4, seeds: 2, heads: 2);
        using var transformer = new SetTransformer(4, 8, 3, heads: 2, seeds: 2, inducingPoints: 4, layerNorm: true);
        using var clustering = new SetTransformer(4, 8, 3, heads: 2, seeds: 3, inducingPoints: 4, seedAttention: true);
        foreach (var (name, report) in new[]
                 {
                     ("SAB", Check(sab.forward, batch, true)), ("ISAB", Check(isab.forward, batch, true)),
                     ("PMA", Check(pma.forward, batch, false)), ("SetTransformer", Check(transformer.forward, batch, false)),
                     ("SetTransformer with seed SAB", Check(clustering.forward, batch, false)),
                 })
            Assert.True(report.MaxRelativeError <= 1e-5, $"{name}: {report}");
        Assert.Equal(new long[] { 4, 6 }, transformer.forward(batch.Features, batch.Mask).shape);
        var noisy = batch.Features + randn_like(batch.Features) * batch.Mask.logical_not().unsqueeze(2);
        Assert.True(allclose(transformer.forward(batch.Features, batch.Mask), transformer.forward(noisy, batch.Mask), 1e-5, 1e-5));
    }

    [Fact]
    public void SetTransformer_InFloat64_IsInvariantToRoundOff()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new SetTransformer(4, 8, 1, heads: 2, inducingPoints: 3);
        model.to(ScalarType.Float64);
        var report = Check(model.forward, RandomSets(dtype: ScalarType.Float64), equivariant: false);
        Assert.True(report.MaxRelativeError <= Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void PackedSets_RoundTripPadding_AndPoolLikeThePaddedForm()
    {
        using var scope = NewDisposeScope();
        var batch = RandomSets();
        var packed = batch.ToPacked();
        Assert.Equal(16, packed.Features.shape[0]);
        Assert.Equal(new long[] { 3, 7, 1, 5 }, bincount(packed.Segment).data<long>().ToArray());
        foreach (var mode in new[] { SetPooling.Sum, SetPooling.Mean, SetPooling.Max })
            Assert.True(allclose(packed.Pool(mode), SetPool.Apply(batch.Features, batch.Mask, mode), 1e-6, 1e-6), mode.ToString());
        var back = packed.ToPadded();
        Assert.True(back.Features.equal(batch.Features).all().ToBoolean());
        Assert.True(back.Mask.equal(batch.Mask).all().ToBoolean());
    }

    [Fact]
    public void Masks_OfTheWrongShapeOrType_AreClearErrors()
    {
        using var scope = NewDisposeScope();
        using var layer = new PermutationEquivariantLinear(4, 2);
        var x = randn(2, 5, 4);
        var wrongShape = Assert.Throws<ArgumentException>(() => layer.forward(x, ones(2, 4, dtype: ScalarType.Bool)));
        Assert.Contains("(2, 5)", wrongShape.Message);
        Assert.Throws<ArgumentException>(() => layer.forward(x, ones(2, 5)));
        Assert.Throws<ArgumentException>(() => new PackedSets(randn(3, 2), tensor(new long[] { 0, 1, 2 }), 2));
        Assert.Throws<ArgumentException>(() => SetBatch.Pad(new[] { randn(2, 3), randn(2, 4) }));
    }
}
