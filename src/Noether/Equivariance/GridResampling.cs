using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Moves an image by an orthogonal 2×2 matrix A about its centre: out(x) = in(A⁻¹x).</summary>
/// <remarks>
/// Coordinates: pixel (row i, column j) of an H×W image is the point x = (j − (W−1)/2, (H−1)/2 − i),
/// x to the right, y up. When A maps the pixel grid onto itself (multiples of 90° on square images,
/// and the axis flips), the result is an exact permutation of pixels; otherwise it is bilinear
/// interpolation with zeros outside the image (an approximate symmetry, see <see cref="Tolerance.Interpolated"/>).
/// </remarks>
public static class GridResampling
{
    /// <summary>True when A permutes the pixels of an H×W grid exactly.</summary>
    public static bool IsExact(Matrix<double> a, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(a);
        bool integral = a.Enumerate().All(v => Math.Abs(v - Math.Round(v)) < 1e-9);
        if (!integral) return false;
        bool swapsAxes = Math.Abs(a[0, 1]) > 0.5;
        return !swapsAxes || height == width;
    }

    /// <summary>out[..., i, j] = in[..., A⁻¹(i, j)] for a tensor (..., H, W); a fresh tensor.</summary>
    public static Tensor Apply(Tensor image, Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(a);
        if (image.dim() < 2) throw new ArgumentException($"Expected (..., height, width); got [{string.Join(", ", image.shape)}].", nameof(image));
        if (a.RowCount != 2 || a.ColumnCount != 2) throw new ArgumentException("A must be 2×2.", nameof(a));
        int h = (int)image.shape[^2], w = (int)image.shape[^1];
        using var scope = NewDisposeScope();
        var flat = image.flatten(-2);
        Tensor result;
        if (IsExact(a, h, w))
        {
            var map = new long[h * w];
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    var (si, sj) = Source(a, h, w, i, j);
                    map[i * w + j] = (long)Math.Round(si) * w + (long)Math.Round(sj);
                }
            result = flat.index_select(-1, tensor(map, device: image.device));
        }
        else
        {
            var index = new long[4][];
            var weight = new float[4][];
            for (int k = 0; k < 4; k++) { index[k] = new long[h * w]; weight[k] = new float[h * w]; }
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    var (si, sj) = Source(a, h, w, i, j);
                    int i0 = (int)Math.Floor(si), j0 = (int)Math.Floor(sj);
                    double di = si - i0, dj = sj - j0;
                    int p = i * w + j, k = 0;
                    foreach (var (ii, jj, wt) in new[] { (i0, j0, (1 - di) * (1 - dj)), (i0, j0 + 1, (1 - di) * dj), (i0 + 1, j0, di * (1 - dj)), (i0 + 1, j0 + 1, di * dj) })
                    {
                        bool inside = ii >= 0 && ii < h && jj >= 0 && jj < w;
                        index[k][p] = inside ? ii * w + jj : 0;
                        weight[k][p] = inside ? (float)wt : 0f;
                        k++;
                    }
                }
            result = zeros_like(flat);
            for (int k = 0; k < 4; k++)
                result += flat.index_select(-1, tensor(index[k], device: image.device)) * tensor(weight[k], device: image.device).to(flat.dtype);
        }
        return result.reshape(image.shape).MoveToOuterDisposeScope();
    }

    private static (double Row, double Column) Source(Matrix<double> a, int h, int w, int i, int j)
    {
        double x = j - (w - 1) / 2.0, y = (h - 1) / 2.0 - i;
        // A is orthogonal: A⁻¹ = Aᵀ.
        double sx = a[0, 0] * x + a[1, 0] * y, sy = a[0, 1] * x + a[1, 1] * y;
        return ((h - 1) / 2.0 - sy, sx + (w - 1) / 2.0);
    }
}
