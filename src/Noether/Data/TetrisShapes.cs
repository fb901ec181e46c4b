using Noether.Runtime;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>3D Tetris: the 8 shapes of 4 unit voxels of e3nn's example, two of them mirror images of each other
/// (classes 0 and 1), which only an output that changes sign under reflection (a pseudoscalar) tells apart
/// after arbitrary rotations.</summary>
/// <remarks>Training set: each shape once, centred, in its canonical orientation. Test set: each shape under seeded
/// uniformly random rotations (SO(3), never reflections: a reflection would turn one chiral shape into the other).
/// Reference: Thomas et al. 2018, "Tensor field networks", §4.1; e3nn <c>examples/tetris.py</c>.</remarks>
public static class TetrisShapes
{
    /// <summary>Names of the classes, in label order.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "chiral-a", "chiral-b", "square", "line", "corner", "L", "T", "zigzag" };

    private static readonly int[][,] Voxels =
    {
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 1, 0, 0 }, { 1, 1, 0 } },
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 1, 0, 0 }, { 1, -1, 0 } },
        new[,] { { 0, 0, 0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 1, 1, 0 } },
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 0, 2 }, { 0, 0, 3 } },
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 1, 0 }, { 1, 0, 0 } },
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 0, 2 }, { 0, 1, 0 } },
        new[,] { { 0, 0, 0 }, { 0, 0, 1 }, { 0, 0, 2 }, { 0, 1, 1 } },
        new[,] { { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 0 }, { 2, 1, 0 } },
    };

    /// <summary>Number of classes (8).</summary>
    public static int Classes => Voxels.Length;

    /// <summary>The 8 shapes, centred, canonical orientation: positions (8, 4, 3) float32 and labels (8) int64.</summary>
    public static (Tensor Positions, Tensor Labels) Canonical()
    {
        var data = new float[Classes * 4 * 3];
        for (var c = 0; c < Classes; c++)
        {
            var mean = new double[3];
            for (var k = 0; k < 4; k++)
                for (var d = 0; d < 3; d++) mean[d] += Voxels[c][k, d] / 4.0;
            for (var k = 0; k < 4; k++)
                for (var d = 0; d < 3; d++) data[(c * 4 + k) * 3 + d] = (float)(Voxels[c][k, d] - mean[d]);
        }
        return (torch.tensor(data).reshape(Classes, 4, 3), torch.arange(Classes, dtype: ScalarType.Int64));
    }

    /// <summary><paramref name="perShape"/> uniformly random rotations of each shape (seeded): (8·perShape, 4, 3) and labels.</summary>
    public static (Tensor Positions, Tensor Labels) Rotated(int perShape, int seed)
    {
        if (perShape < 1) throw new ArgumentOutOfRangeException(nameof(perShape), perShape, "Need at least one rotation per shape.");
        using var scope = torch.NewDisposeScope();
        var (positions, labels) = Canonical();
        var rotations = RandomRotations(Classes * perShape, seed);
        var repeated = positions.repeat_interleave(perShape, 0);
        var rotated = repeated.MatMulChecked(rotations.transpose(1, 2));
        return (rotated.MoveToOuterDisposeScope(), labels.repeat_interleave(perShape, 0).MoveToOuterDisposeScope());
    }

    /// <summary>Seeded Haar-random rotation matrices (count, 3, 3), float32.</summary>
    public static Tensor RandomRotations(int count, int seed)
    {
        var random = new Random(seed);
        var data = new float[count * 9];
        for (var i = 0; i < count; i++)
        {
            var r = Rotations3D.Random(random);
            for (var a = 0; a < 3; a++)
                for (var b = 0; b < 3; b++) data[i * 9 + a * 3 + b] = (float)r[a, b];
        }
        return torch.tensor(data).reshape(count, 3, 3);
    }
}
