using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>Pieces shared by the 3D point tasks (nbody, tetris, lj-cluster): the E(3) checks (the random rotations of
/// augmentation are in <see cref="Symmetrize.Augmentations"/>).</summary>
internal static class PointTraining
{
    /// <summary>Relative change of f under a translation of the positions (the first 3 columns), measured like
    /// <see cref="EquivarianceCheck"/>: ‖f(x + t) − (f(x) + t·<paramref name="outputMoves"/>)‖ / ‖f(x) + …‖, mean over inputs.</summary>
    public static double TranslationError(Func<Tensor, Tensor> f, Tensor inputs, bool outputMoves, int seed)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var generator = new Random(seed);
        var t = torch.tensor(new[] { (float)(3 * (generator.NextDouble() - 0.5)), (float)(3 * (generator.NextDouble() - 0.5)), (float)(3 * (generator.NextDouble() - 0.5)) })
            .to(inputs.dtype);
        var shifted = inputs.clone();
        shifted.narrow(-1, 0, 3).add_(t);
        var fx = f(inputs).to_type(ScalarType.Float64);
        var expected = outputMoves ? fx + t.to_type(ScalarType.Float64) : fx;
        var fShifted = f(shifted).to_type(ScalarType.Float64);
        var b = inputs.shape[0];
        var relative = (fShifted - expected).reshape(b, -1).norm(1) / (expected.reshape(b, -1).norm(1) + EquivarianceCheck.Epsilon);
        return relative.mean().ToDouble();
    }
}
