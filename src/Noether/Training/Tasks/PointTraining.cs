using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training.Tasks;

/// <summary>Pieces shared by the 3D point tasks (nbody, tetris, lj-cluster): random rotations for augmentation,
/// parameter counts and the E(3) checks.</summary>
internal static class PointTraining
{
    /// <summary>Seeded Haar-random elements of SO(3) (or O(3) with <paramref name="reflections"/>) as (count, 3, 3) float32.</summary>
    public static Tensor RandomOrthogonal(int count, Random random, bool reflections)
    {
        var data = new float[count * 9];
        for (var i = 0; i < count; i++)
        {
            var r = Rotations3D.Random(random);
            var sign = reflections && random.NextDouble() < 0.5 ? -1 : 1;
            for (var a = 0; a < 3; a++)
                for (var b = 0; b < 3; b++) data[i * 9 + a * 3 + b] = (float)(sign * r[a, b]);
        }
        return torch.tensor(data).reshape(count, 3, 3);
    }

    /// <summary>Applies per-example matrices (B, 3, 3) to vectors (B, N, 3).</summary>
    public static Tensor Rotate(Tensor vectors, Tensor matrices) => vectors.matmul(matrices.transpose(1, 2));

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
