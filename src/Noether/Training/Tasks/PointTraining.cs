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
    /// <summary>Relative change of f under a translation of the positions (the first 3 columns), by the one checker:
    /// ‖f(x + t) − (f(x) + t·<paramref name="outputMoves"/>)‖ / ‖f(x) + …‖, mean over inputs, one seeded t.</summary>
    public static double TranslationError(Func<Tensor, Tensor> f, Tensor inputs, bool outputMoves, int seed)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputs);
        var input = new TranslatedPositions((int)inputs.shape[^1]);
        ITensorType output = outputMoves ? new TranslatedPositions(3) : new InvariantType(TranslationSymmetry.Instance);
        return EquivarianceCheck.Run(xs => new[] { f(xs[0]) }, new ITensorType[] { input }, new[] { output }, new[] { inputs },
            TranslationSymmetry.Instance.Draw(1, seed)).MeanRelativeError;
    }
}
