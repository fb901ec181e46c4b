using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Groups;

/// <summary>Link variables U_μ(x) of a lattice gauge field as one batched complex tensor, and the
/// matrix helpers the observables, Monte Carlo and L-CNN layers share.</summary>
/// <remarks>
/// Layout: links have shape (batch, d, L_1, …, L_d, N, N), complex64 or complex128, with
/// links[b, μ, x] = U_μ(x), the parallel transporter from x + μ̂ to x (so a site field W(x) transforms
/// as Ω(x) W(x) Ω(x)† and links as Ω(x) U_μ(x) Ω(x+μ̂)†). The lattice is periodic in every direction.
/// N = 1 is U(1) (a phase), N = 2 is SU(2) (complex 2×2 rather than quaternions: matmul and trace are
/// then the same code for both groups). Site fields (one matrix per site) have shape
/// (batch, L_1, …, L_d, N, N); feature fields (channels of site matrices) (batch, channels, L_1, …, L_d, N, N).
/// </remarks>
public static class GaugeLinks
{
    /// <summary>Largest allowed max-entry deviation |U U† − 1| (and |det U − 1| for SU(2)) for complex64 links.</summary>
    public const double UnitarityToleranceFloat32 = 1e-4;

    /// <summary>The same for complex128 links.</summary>
    public const double UnitarityToleranceFloat64 = 1e-9;

    /// <summary>The number of lattice directions d of a links tensor (batch, d, L_1..L_d, N, N).</summary>
    public static int Dimensions(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        return (int)links.dim() - 4;
    }

    /// <summary>The lattice extents (L_1, …, L_d) of a links tensor.</summary>
    public static long[] Extents(Tensor links) => links.shape.Skip(2).Take(Dimensions(links)).ToArray();

    /// <summary>The gauge group of a links tensor, read from its matrix size.</summary>
    public static GaugeGroup Group(Tensor links) => GaugeGroupExtensions.FromMatrixSize(links.shape[^1]);

    /// <summary>Checks the layout of <paramref name="links"/> and that every link is unitary (and of
    /// determinant 1 for SU(2)) within <paramref name="tolerance"/> (default: per dtype); throws
    /// <see cref="ArgumentException"/> naming the largest deviation otherwise.</summary>
    /// <param name="links">(batch, d, L_1..L_d, N, N), complex.</param>
    /// <param name="tolerance">max-entry tolerance, or null for <see cref="UnitarityToleranceFloat32"/>/<see cref="UnitarityToleranceFloat64"/>.</param>
    public static void Validate(Tensor links, double? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (!links.is_complex())
            throw new ArgumentException($"Links must be a complex tensor (complex64 or complex128); got {links.dtype}.", nameof(links));
        if (links.dim() < 5)
            throw new ArgumentException($"Links must have shape (batch, d, L_1..L_d, N, N) with d ≥ 1; got [{string.Join(", ", links.shape)}].", nameof(links));
        int d = Dimensions(links);
        if (links.shape[1] != d)
            throw new ArgumentException($"Links of a {d}-dimensional lattice need {d} directions on axis 1; got shape [{string.Join(", ", links.shape)}].", nameof(links));
        if (links.shape[^1] != links.shape[^2])
            throw new ArgumentException($"Link matrices must be square; got {links.shape[^2]}×{links.shape[^1]}.", nameof(links));
        var group = Group(links);
        double tol = tolerance ?? (links.dtype == ScalarType.ComplexFloat64 ? UnitarityToleranceFloat64 : UnitarityToleranceFloat32);
        using var scope = NewDisposeScope();
        var u = links.to_type(ScalarType.ComplexFloat64);
        var eye = Identity(group, u.dtype);
        double unitarity = (u.MatMulChecked(Dagger(u)) - eye).abs().max().ToDoubleChecked();
        if (!(unitarity <= tol))
            throw new ArgumentException($"Link matrices are not unitary: max |U U† − 1| = {unitarity:E3} > {tol:E1}.", nameof(links));
        if (group == GaugeGroup.SU2)
        {
            double det = (Determinant2(u) - 1).abs().max().ToDoubleChecked();
            if (!(det <= tol))
                throw new ArgumentException($"SU(2) links must have determinant 1: max |det U − 1| = {det:E3} > {tol:E1}.", nameof(links));
        }
    }

    /// <summary>M† (conjugate transpose of the last two axes), materialised.</summary>
    public static Tensor Dagger(Tensor m) => m.transpose(-2, -1).conj().resolve_conj();

    /// <summary>The N×N identity (broadcastable against any matrix field).</summary>
    public static Tensor Identity(GaugeGroup group, ScalarType dtype) =>
        eye(group.MatrixSize(), dtype: dtype);

    /// <summary>Tr M over the last two axes (complex).</summary>
    public static Tensor Trace(Tensor m) => m.diagonal(0, -2, -1).sum(-1);

    /// <summary>The site field shifted by <paramref name="steps"/> along direction <paramref name="mu"/>:
    /// result(x) = field(x + steps·μ̂) on the periodic lattice.</summary>
    /// <param name="field">any tensor whose lattice axes start at <paramref name="firstSiteAxis"/>.</param>
    /// <param name="mu">the direction, 0..d−1.</param>
    /// <param name="steps">how many sites (negative: backwards).</param>
    /// <param name="firstSiteAxis">the axis of L_1 (1 for site fields, 2 for links and feature fields).</param>
    public static Tensor Shift(Tensor field, int mu, long steps, int firstSiteAxis) =>
        field.roll(-steps, firstSiteAxis + mu);

    /// <summary>Haar-random group elements of the given shape (the matrix axes are appended).</summary>
    /// <param name="group">U(1) or SU(2).</param>
    /// <param name="shape">the shape of the field of elements, e.g. (batch, L_1..L_d).</param>
    /// <param name="generator">the seeded source.</param>
    /// <param name="dtype">complex64 or complex128.</param>
    public static Tensor RandomElements(GaugeGroup group, long[] shape, Generator generator, ScalarType dtype = ScalarType.ComplexFloat64)
    {
        ArgumentNullException.ThrowIfNull(shape);
        using var scope = NewDisposeScope();
        Tensor result;
        if (group == GaugeGroup.U1)
        {
            var theta = rand(shape, dtype: ScalarType.Float64, generator: generator) * (2 * Math.PI);
            result = Phase(theta).unsqueeze(-1).unsqueeze(-1);
        }
        else
        {
            var a = randn(shape.Append(4).ToArray(), dtype: ScalarType.Float64, generator: generator);
            result = FromQuaternion(a / a.norm(-1, keepdim: true));
        }
        return result.to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>e^{iθ} as a complex128 tensor of θ's shape.</summary>
    public static Tensor Phase(Tensor theta) => torch.complex(theta.cos(), theta.sin());

    /// <summary>The SU(2) matrix a_0 1 + i (a_1 σ_1 + a_2 σ_2 + a_3 σ_3) of unit quaternions a (shape (..., 4), real)
    /// = [[a_0 + i a_3, a_2 + i a_1], [−a_2 + i a_1, a_0 − i a_3]], complex128.</summary>
    public static Tensor FromQuaternion(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        using var scope = NewDisposeScope();
        var q = a.to_type(ScalarType.Float64);
        var a0 = q.select(-1, 0); var a1 = q.select(-1, 1); var a2 = q.select(-1, 2); var a3 = q.select(-1, 3);
        var top = stack(new[] { torch.complex(a0, a3), torch.complex(a2, a1) }, -1);
        var bottom = stack(new[] { torch.complex(-a2, a1), torch.complex(a0, -a3) }, -1);
        return stack(new[] { top, bottom }, -2).MoveToOuterDisposeScope();
    }

    /// <summary>Projects near-unitary links back onto the group (rounding drift of long Markov chains):
    /// U(1): U/|U|; SU(2): the first row normalised, the second row (−b*, a*).</summary>
    public static Tensor Reunitarize(Tensor links)
    {
        ArgumentNullException.ThrowIfNull(links);
        using var scope = NewDisposeScope();
        Tensor result;
        if (links.shape[^1] == 1)
            result = links / links.abs();
        else
        {
            var a = links[TensorIndex.Ellipsis, 0, 0];
            var b = links[TensorIndex.Ellipsis, 0, 1];
            var n = (a.abs().square() + b.abs().square()).sqrt();
            a = a / n; b = b / n;
            var top = stack(new[] { a, b }, -1);
            var bottom = stack(new[] { -b.conj().resolve_conj(), a.conj().resolve_conj() }, -1);
            result = stack(new[] { top, bottom }, -2);
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The identity configuration ("cold start"): every link is 1.</summary>
    public static Tensor Cold(GaugeGroup group, int batch, long[] extents, ScalarType dtype = ScalarType.ComplexFloat64)
    {
        CheckExtents(extents);
        int n = group.MatrixSize();
        var shape = new long[] { batch, extents.Length }.Concat(extents).ToArray();
        using var scope = NewDisposeScope();
        return Identity(group, dtype).expand(shape.Concat(new long[] { n, n }).ToArray()).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Independent Haar-random links ("hot start", the β = 0 ensemble).</summary>
    public static Tensor Hot(GaugeGroup group, int batch, long[] extents, Generator generator, ScalarType dtype = ScalarType.ComplexFloat64)
    {
        CheckExtents(extents);
        return RandomElements(group, new long[] { batch, extents.Length }.Concat(extents).ToArray(), generator, dtype);
    }

    /// <summary>The complex determinant of 2×2 matrices (..., 2, 2).</summary>
    internal static Tensor Determinant2(Tensor m) =>
        m[TensorIndex.Ellipsis, 0, 0] * m[TensorIndex.Ellipsis, 1, 1] - m[TensorIndex.Ellipsis, 0, 1] * m[TensorIndex.Ellipsis, 1, 0];

    internal static void CheckExtents(long[] extents)
    {
        ArgumentNullException.ThrowIfNull(extents);
        if (extents.Length < 1 || extents.Any(l => l < 1))
            throw new ArgumentException($"Lattice extents must be ≥ 1 in each of d ≥ 1 directions; got ({string.Join(", ", extents)}).", nameof(extents));
    }
}
