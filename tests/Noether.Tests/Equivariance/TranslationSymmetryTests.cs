using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Equivariance;

/// <summary>Translations in the one checker: positions move, other columns stay; a function of relative positions is
/// exactly invariant, the centroid moves with the points, and raw coordinates are caught.</summary>
public class TranslationSymmetryTests
{
    private static readonly ITensorType Input = new TranslatedPositions(columns: 4);

    [Fact]
    public void PositionsMove_OtherColumnsStay_AndDrawsAreSeeded()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 5, 4 }, dtype: ScalarType.Float64);
        var t = (Translation)TranslationSymmetry.Instance.Draw(3, seed: 4)[1];
        var moved = Input.Transform(t, x);
        var shift = (moved - x).narrow(-1, 0, 3);
        Assert.True((shift - tensor(t.Vector.ToArray(), dtype: ScalarType.Float64)).abs().max().ToDouble() < 1e-12);
        Assert.Equal(0, (moved - x).narrow(-1, 3, 1).abs().max().ToDouble());
        Assert.Equal(t.Vector, ((Translation)TranslationSymmetry.Instance.Draw(3, seed: 4)[1]).Vector);
        Assert.All(t.Vector, v => Assert.InRange(v, -1.5, 1.5));
    }

    [Fact]
    public void RelativePositions_AreInvariant_TheCentroidMoves_RawCoordinatesAreCaught()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 3, 6, 4 }, dtype: ScalarType.Float64);
        var draws = TranslationSymmetry.Instance.Draw(4, seed: 1);
        var invariant = new InvariantType(TranslationSymmetry.Instance);
        var distances = EquivarianceCheck.Run(xs => new[] { (xs[0].narrow(-1, 0, 3).unsqueeze(1) - xs[0].narrow(-1, 0, 3).unsqueeze(2)).norm(-1) },
            new[] { Input }, new[] { invariant }, new[] { x }, draws);
        Assert.True(distances.IsExact && distances.MaxRelativeError < Tolerance.Float64, distances.ToString());
        var centroid = EquivarianceCheck.Run(xs => new[] { xs[0].narrow(-1, 0, 3).mean(new long[] { 1 }, keepdim: true) },
            new[] { Input }, new ITensorType[] { new TranslatedPositions(3) }, new[] { x }, draws);
        Assert.True(centroid.MaxRelativeError < Tolerance.Float64, centroid.ToString());
        var raw = EquivarianceCheck.Run(xs => new[] { xs[0].narrow(-1, 0, 3).sum(1) }, new[] { Input }, new[] { invariant }, new[] { x }, draws);
        Assert.False(raw.IsExact);
        Assert.True(raw.MeanRelativeError > 0.1, raw.ToString());
        Assert.Equal("translations of R³", raw.Symmetry.Name);
    }
}
