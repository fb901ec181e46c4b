using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Representations;

/// <summary>The tensor entry points of the SO(3) core leave no live tensors behind (STYLE.md §6.7).</summary>
[Collection("NoParallel")]
public class So3TensorLeakTests
{
    [Fact]
    public void TensorFunctions_LeakNoTensors()
    {
        // Warm the caches first: their detached tensors are owned by the cache and live on purpose.
        using (torch.NewDisposeScope())
        {
            WignerD.Real(3, Rotations3D.Random(2, seed: 1));
            ClebschGordan.RealTensor(1, 2, 3);
        }
        using var generator = new torch.Generator(11);
        DisposeScopeManager.Statistics.Reset();
        using (torch.NewDisposeScope())
        {
            var rotations = Rotations3D.Random(8, seed: 1);
            var vectors = torch.randn(new long[] { 8, 3 }, dtype: ScalarType.Float64, generator: generator);
            SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 5 }, vectors);
            SphericalHarmonics.Evaluate(new[] { 4 }, vectors.to(ScalarType.Float32), SphericalHarmonicsNormalization.Norm, normalize: false);
            WignerD.Real(3, rotations);
            WignerD.Real(3, rotations.to(ScalarType.Float32));
            ClebschGordan.RealTensor(1, 2, 3).to(ScalarType.Float32);
        }
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void CachedTensors_SurviveTheScopeTheyWereCreatedIn()
    {
        // STYLE.md §6 rule 3: a cache filled inside a caller's scope must not be disposed with that scope.
        Tensor cached;
        using (torch.NewDisposeScope())
            cached = ClebschGordan.RealTensor(3, 3, 2);
        Assert.False(cached.IsInvalid);
        Assert.Equal(new long[] { 7, 7, 5 }, cached.shape);
        using var scope = torch.NewDisposeScope();
        using (torch.NewDisposeScope())
            WignerD.Real(7, torch.eye(3, dtype: ScalarType.Float64));
        var d = WignerD.Real(7, torch.eye(3, dtype: ScalarType.Float64));
        Assert.True((d - torch.eye(15, dtype: ScalarType.Float64)).abs().max().ToDouble() < 1e-12);
    }
}
