using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

public class LieDerivativeTests
{
    private static Tensor Blobs(int batch, int size, int seed)
    {
        // Random images that vanish on a 2-pixel border, so zero fill at the edges plays no part.
        var x = rand(new long[] { batch, 1, size, size }, dtype: ScalarType.Float64, generator: new Generator((ulong)seed));
        var inner = zeros(new long[] { 1, 1, size, size }, dtype: ScalarType.Float64);
        inner[.., .., 2..(size - 2), 2..(size - 2)] = 1;
        return x * inner;
    }

    [Fact]
    public void IdentityMap_MovedThereAndBack_HasZeroLieDerivative_ForRotationAndTranslation()
    {
        using var scope = NewDisposeScope();
        var x = Blobs(3, 8, seed: 1);
        foreach (Func<Tensor, Tensor, Tensor> flow in new Func<Tensor, Tensor, Tensor>[] { LieDerivative.RotateImages, LieDerivative.TranslateImages })
        {
            var report = LieDerivative.Compute(v => v.alias(), flow, flow, x, exactColumns: 256);
            Assert.True(report.MaxRelative < 1e-10, report.ToString());
        }
    }

    [Fact]
    public void ColumnMoment_UnderTranslation_HasTheAnalyticDerivative()
    {
        // f(x) = Σ_ij j·x_ij moves by Σ_ij x_ij per pixel of translation: L f / f = Σx / Σ j·x exactly.
        using var scope = NewDisposeScope();
        var x = Blobs(4, 10, seed: 2);
        var columns = arange(10, dtype: ScalarType.Float64).view(1, 1, 1, 10);
        Func<Tensor, Tensor> moment = v => (v * columns).sum(new long[] { 1, 2, 3 }).unsqueeze(1);
        var report = LieDerivative.Compute(moment, LieDerivative.TranslateImages, null, x);
        var expected = (x.sum(new long[] { 1, 2, 3 }) / moment(x).squeeze(1)).abs();
        Assert.Equal(expected.mean().ToDouble(), report.MeanRelative, 10);
        Assert.Equal(expected.max().ToDouble(), report.MaxRelative, 10);
    }

    [Fact]
    public void RandomProjections_EstimateTheExactDerivative_ForLargeOutputs()
    {
        // Identity under translation, invariant reading: ‖d/dt T_t x‖/‖x‖ over 100 output entries, once exactly and
        // once from 200 seeded Gaussian projections (unbiased for the squared norm): within 15%.
        using var scope = NewDisposeScope();
        var x = Blobs(2, 10, seed: 3);
        var exact = LieDerivative.Compute(v => v.alias(), LieDerivative.TranslateImages, null, x, exactColumns: 100);
        var estimate = LieDerivative.Compute(v => v.alias(), LieDerivative.TranslateImages, null, x, exactColumns: 10, projections: 200, seed: 4);
        Assert.True(exact.MeanRelative > 0.1, exact.ToString());
        Assert.InRange(estimate.MeanRelative / exact.MeanRelative, 0.85, 1.15);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        using var scope = NewDisposeScope();
        var x = Blobs(1, 8, seed: 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => LieDerivative.Compute(v => v, LieDerivative.TranslateImages, null, x, projections: 0));
        Assert.Throws<ArgumentException>(() => LieDerivative.RotateImages(zeros(3, 3), zeros(3)));
    }
}
