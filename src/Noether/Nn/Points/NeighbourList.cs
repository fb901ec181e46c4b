using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Points;

/// <summary>Neighbour lists: all pairs of points within a radius, by a cell list (cost linear in the number of
/// points at fixed density), optionally in an orthorhombic periodic box.</summary>
/// <remarks>
/// <para>Algorithm: points are binned into cells of side ≥ r; each point is compared with the points of its own and
/// the 26 adjacent cells only. With a periodic box of sides L (r ≤ min L required), there are ⌊L/r⌋ cells per axis
/// (at most ~2N in all), and the adjacent cell across a face is a periodic image with its own shift, so every image
/// within r is found once (also for boxes of one or two cells per axis). Pairs i = j count only with a non-zero shift.</para>
/// <para>Edges are directed both ways and sorted by (target, source, shift). Reference: the cell lists of molecular
/// dynamics codes (Allen and Tildesley, "Computer Simulation of Liquids", §5.3); ASE <c>neighbor_list</c>.</para>
/// </remarks>
public static class NeighbourList
{
    /// <summary>Edges between points closer than <paramref name="radius"/> (distance &lt; radius, strictly).</summary>
    /// <param name="positions">Shape (N, 3), finite, any floating dtype (computed in float64 on the CPU).</param>
    /// <param name="radius">Cutoff, &gt; 0.</param>
    /// <param name="box">Sides (Lx, Ly, Lz) of a periodic orthorhombic box with corner at the origin, or null for open boundaries.</param>
    /// <exception cref="ArgumentException">NaN or infinite coordinates, radius ≤ 0, a box side ≤ 0 or smaller than the radius.</exception>
    public static NeighbourGraph Build(Tensor positions, double radius, double[]? box = null)
    {
        var (x, n) = Validate(positions, radius, box);
        var edges = new List<(int Target, int Source, int Sx, int Sy, int Sz)>();
        var r2 = radius * radius;
        if (box is null)
        {
            var min = new double[3];
            for (var d = 0; d < 3; d++) min[d] = n == 0 ? 0 : Enumerable.Range(0, n).Min(i => x[i, d]);
            var cells = new Dictionary<(long, long, long), List<int>>();
            var cellOf = new (long, long, long)[n];
            for (var i = 0; i < n; i++)
            {
                cellOf[i] = ((long)Math.Floor((x[i, 0] - min[0]) / radius), (long)Math.Floor((x[i, 1] - min[1]) / radius), (long)Math.Floor((x[i, 2] - min[2]) / radius));
                if (!cells.TryGetValue(cellOf[i], out var list)) cells[cellOf[i]] = list = new List<int>();
                list.Add(i);
            }
            for (var i = 0; i < n; i++)
            {
                var (cx, cy, cz) = cellOf[i];
                for (var dx = -1; dx <= 1; dx++)
                for (var dy = -1; dy <= 1; dy++)
                for (var dz = -1; dz <= 1; dz++)
                {
                    if (!cells.TryGetValue((cx + dx, cy + dy, cz + dz), out var list)) continue;
                    foreach (var j in list)
                    {
                        if (j == i) continue;
                        var (ex, ey, ez) = (x[j, 0] - x[i, 0], x[j, 1] - x[i, 1], x[j, 2] - x[i, 2]);
                        if (ex * ex + ey * ey + ez * ez < r2) edges.Add((i, j, 0, 0, 0));
                    }
                }
            }
            return ToGraph(edges, positions, box);
        }

        // Periodic: wrap into [0, L) and remember the wrap count w so that shifts refer to the original positions.
        var wrap = new int[n, 3];
        var wrapped = new double[n, 3];
        var cellsPerAxis = new int[3];
        var cap = Math.Max(1, (int)Math.Floor(Math.Cbrt(2.0 * Math.Max(n, 1))));
        for (var d = 0; d < 3; d++) cellsPerAxis[d] = Math.Max(1, Math.Min((int)Math.Floor(box[d] / radius), cap));
        var cellLists = new List<int>[cellsPerAxis[0] * cellsPerAxis[1] * cellsPerAxis[2]];
        var cellIndex = new int[n, 3];
        for (var i = 0; i < n; i++)
        {
            for (var d = 0; d < 3; d++)
            {
                var w = (int)Math.Floor(x[i, d] / box[d]);
                wrap[i, d] = w;
                wrapped[i, d] = x[i, d] - w * box[d];
                cellIndex[i, d] = Math.Min((int)(wrapped[i, d] / box[d] * cellsPerAxis[d]), cellsPerAxis[d] - 1);
            }
            var key = Flat(cellIndex[i, 0], cellIndex[i, 1], cellIndex[i, 2], cellsPerAxis);
            (cellLists[key] ??= new List<int>()).Add(i);
        }
        for (var i = 0; i < n; i++)
        {
            for (var dx = -1; dx <= 1; dx++)
            for (var dy = -1; dy <= 1; dy++)
            for (var dz = -1; dz <= 1; dz++)
            {
                var (cx, sx) = WrapCell(cellIndex[i, 0] + dx, cellsPerAxis[0]);
                var (cy, sy) = WrapCell(cellIndex[i, 1] + dy, cellsPerAxis[1]);
                var (cz, sz) = WrapCell(cellIndex[i, 2] + dz, cellsPerAxis[2]);
                var list = cellLists[Flat(cx, cy, cz, cellsPerAxis)];
                if (list is null) continue;
                foreach (var j in list)
                {
                    if (j == i && sx == 0 && sy == 0 && sz == 0) continue;
                    var ex = wrapped[j, 0] + sx * box[0] - wrapped[i, 0];
                    var ey = wrapped[j, 1] + sy * box[1] - wrapped[i, 1];
                    var ez = wrapped[j, 2] + sz * box[2] - wrapped[i, 2];
                    if (ex * ex + ey * ey + ez * ez < r2)
                        // x_j + shift − x_i = wrapped_j + s L − wrapped_i, so shift = (s − w_j + w_i) L.
                        edges.Add((i, j, sx - wrap[j, 0] + wrap[i, 0], sy - wrap[j, 1] + wrap[i, 1], sz - wrap[j, 2] + wrap[i, 2]));
                }
            }
        }
        return ToGraph(edges, positions, box);
    }

    /// <summary>The same edges by comparing every pair (and, with a box, every image within one box length):
    /// O(N²), the reference the cell list is tested against.</summary>
    public static NeighbourGraph BuildBruteForce(Tensor positions, double radius, double[]? box = null)
    {
        var (x, n) = Validate(positions, radius, box);
        var edges = new List<(int, int, int, int, int)>();
        var r2 = radius * radius;
        // With r ≤ L, an image within r of a point differs from the nearest-wrapped copy by at most one box per axis;
        // comparing original (unwrapped) coordinates needs the wrap counts, so search images −k…k around them.
        var reach = new int[3];
        if (box is not null)
            for (var d = 0; d < 3; d++)
            {
                var span = n == 0 ? 0 : Enumerable.Range(0, n).Max(i => x[i, d]) - Enumerable.Range(0, n).Min(i => x[i, d]);
                reach[d] = (int)Math.Ceiling((span + radius) / box[d]) + 1;
            }
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        for (var sx = -reach[0]; sx <= reach[0]; sx++)
        for (var sy = -reach[1]; sy <= reach[1]; sy++)
        for (var sz = -reach[2]; sz <= reach[2]; sz++)
        {
            if (i == j && sx == 0 && sy == 0 && sz == 0) continue;
            var (lx, ly, lz) = box is null ? (0.0, 0.0, 0.0) : (box[0], box[1], box[2]);
            var ex = x[j, 0] + sx * lx - x[i, 0];
            var ey = x[j, 1] + sy * ly - x[i, 1];
            var ez = x[j, 2] + sz * lz - x[i, 2];
            if (ex * ex + ey * ey + ez * ez < r2) edges.Add((i, j, sx, sy, sz));
        }
        return ToGraph(edges, positions, box);
    }

    private static (double[,] X, int N) Validate(Tensor positions, double radius, double[]? box)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.dim() != 2 || positions.shape[1] != 3)
            throw new ArgumentException($"Expected positions of shape (N, 3); got [{string.Join(", ", positions.shape)}].", nameof(positions));
        if (!(radius > 0) || double.IsInfinity(radius))
            throw new ArgumentException($"The neighbour radius must be a positive finite number; got {radius}.", nameof(radius));
        if (box is not null)
        {
            if (box.Length != 3) throw new ArgumentException($"A periodic box needs 3 side lengths; got {box.Length}.", nameof(box));
            for (var d = 0; d < 3; d++)
                if (!(box[d] >= radius) || double.IsInfinity(box[d]))
                    throw new ArgumentException($"Periodic box sides must be finite and at least the radius {radius}; got [{string.Join(", ", box)}].", nameof(box));
        }
        using var scope = torch.NewDisposeScope();
        var cpu = positions.detach().to_type(ScalarType.Float64).cpu().contiguous();
        var data = cpu.data<double>().ToArray();
        var n = (int)positions.shape[0];
        var x = new double[n, 3];
        for (var i = 0; i < n; i++)
            for (var d = 0; d < 3; d++)
            {
                var v = data[3 * i + d];
                if (!double.IsFinite(v)) throw new ArgumentException($"Positions contain a NaN or infinite coordinate (point {i}, axis {d}).", nameof(positions));
                x[i, d] = v;
            }
        return (x, n);
    }

    private static int Flat(int x, int y, int z, int[] size) => (x * size[1] + y) * size[2] + z;

    private static (int Cell, int Shift) WrapCell(int c, int size)
    {
        var shift = (int)Math.Floor((double)c / size);
        return (c - shift * size, shift);
    }

    private static NeighbourGraph ToGraph(List<(int Target, int Source, int Sx, int Sy, int Sz)> edges, Tensor positions, double[]? box)
    {
        edges.Sort();
        var e = edges.Count;
        var source = new long[e];
        var target = new long[e];
        var shift = new double[e * 3];
        for (var k = 0; k < e; k++)
        {
            target[k] = edges[k].Target;
            source[k] = edges[k].Source;
            if (box is null) continue;
            shift[3 * k] = edges[k].Sx * box[0];
            shift[3 * k + 1] = edges[k].Sy * box[1];
            shift[3 * k + 2] = edges[k].Sz * box[2];
        }
        return new NeighbourGraph(
            torch.tensor(source, dtype: ScalarType.Int64, device: positions.device),
            torch.tensor(target, dtype: ScalarType.Int64, device: positions.device),
            torch.tensor(shift, dtype: ScalarType.Float64).reshape(e, 3).to(positions.dtype, positions.device));
    }
}
