using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>The Lie derivative of a model along a one-parameter group: how fast its equivariance breaks
/// under infinitesimal transformations.</summary>
/// <param name="MeanRelative">mean over the inputs of ‖L f(x)‖ / (‖f(x)‖ + ε).</param>
/// <param name="MaxRelative">the largest of those.</param>
/// <param name="Samples">inputs measured.</param>
public sealed record LieDerivativeReport(double MeanRelative, double MaxRelative, int Samples)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"Lie derivative over {Samples} inputs: mean {MeanRelative.ToString("E3", System.Globalization.CultureInfo.InvariantCulture)}, " +
        $"max {MaxRelative.ToString("E3", System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>Lie derivatives through autograd (Gruver et al. 2023, "The Lie derivative for measuring learned
/// equivariance"): L f(x) = d/dt [ g_t⁻¹ · f(g_t · x) ] at t = 0, for a one-parameter group g_t (a rotation by
/// angle t, a translation by t pixels, …).</summary>
/// <remarks>
/// <para>An exactly equivariant f has L f = 0; unlike sampling a few group elements, the derivative sees
/// errors at every scale of t, including those a coarse grid of angles misses. The value is per unit of t
/// (per radian, per pixel), relative to ‖f(x)‖.</para>
/// <para>Method: every input gets its own parameter t_b (all zero), so one backward pass of Σ_b u_b·y_b
/// gives u_b·dy_b/dt_b for every sample at once. For outputs of at most <c>exactColumns</c> entries the
/// derivative is assembled column by column (exact); for larger outputs ‖dy_b/dt_b‖² is estimated as the
/// mean of (u·dy_b/dt_b)² over <c>projections</c> Gaussian directions u (unbiased, seeded).</para>
/// <para>Flows take (x, t) with t of shape (batch,) and must be differentiable in t.</para>
/// </remarks>
public static class LieDerivative
{
    /// <summary>The Lie derivative of <paramref name="f"/>.</summary>
    /// <param name="f">the model; must not dispose its input.</param>
    /// <param name="inputFlow">(x, t) ↦ g_t · x, differentiable in t.</param>
    /// <param name="outputFlow">(y, t) ↦ g_t · y on outputs, or null for an invariant output (g_t · y = y).</param>
    /// <param name="inputs">(batch, ...) inputs.</param>
    /// <param name="exactColumns">outputs with at most this many entries per sample are differentiated exactly.</param>
    /// <param name="projections">random projections for larger outputs.</param>
    /// <param name="seed">seed of the projections.</param>
    public static LieDerivativeReport Compute(Func<Tensor, Tensor> f, Func<Tensor, Tensor, Tensor> inputFlow, Func<Tensor, Tensor, Tensor>? outputFlow,
        Tensor inputs, int exactColumns = 64, int projections = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputFlow);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.dim() < 1 || inputs.shape[0] < 1) throw new ArgumentException("Inputs need a non-empty batch axis (axis 0).", nameof(inputs));
        if (projections < 1) throw new ArgumentOutOfRangeException(nameof(projections), projections, "At least one projection is needed.");
        using var scope = NewDisposeScope();
        using var enabled = enable_grad();
        long batch = inputs.shape[0];
        var t = zeros(new long[] { batch }, dtype: ScalarType.Float64, device: inputs.device).requires_grad_(true);
        var moved = inputFlow(inputs.detach(), t);
        var y = f(moved);
        if (outputFlow is not null) y = outputFlow(y, -t);
        var flat = y.reshape(batch, -1).to_type(ScalarType.Float64);
        long m = flat.shape[1];
        Tensor squared;   // ‖dy_b/dt_b‖² per sample
        if (m <= exactColumns)
        {
            var columns = new List<Tensor>();
            for (long j = 0; j < m; j++)
            {
                var grad = Guarded.Grad(new[] { flat[.., j].sum() }, new[] { t }, retainGraph: true, allowUnused: true)[0];
                columns.Add(grad is null ? zeros_like(t) : grad);
            }
            squared = stack(columns.ToArray(), 1).square().sum(1);
        }
        else
        {
            using var generator = new Generator((ulong)seed, inputs.device);
            squared = zeros_like(t);
            for (int k = 0; k < projections; k++)
            {
                var u = randn(flat.shape, dtype: ScalarType.Float64, device: inputs.device, generator: generator);
                var grad = Guarded.Grad(new[] { (flat * u).sum() }, new[] { t }, retainGraph: k < projections - 1, allowUnused: true)[0];
                if (grad is not null) squared = squared + grad.detach().square();
            }
            squared = squared / projections;
        }
        var relative = (squared.detach().sqrt() / (flat.detach().norm(1) + EquivarianceCheck.Epsilon)).cpu().data<double>().ToArray();
        return new LieDerivativeReport(relative.Average(), relative.Max(), (int)batch);
    }

    /// <summary>Rotation of (batch, channels, H, W) images about their centre by angle t (radians,
    /// counter-clockwise as displayed; bilinear, zero fill), differentiable in t.</summary>
    public static Tensor RotateImages(Tensor images, Tensor t) => Affine(images, t, rotation: true);

    /// <summary>Translation of (batch, channels, H, W) images by t pixels to the right (bilinear, zero fill),
    /// differentiable in t.</summary>
    public static Tensor TranslateImages(Tensor images, Tensor t) => Affine(images, t, rotation: false);

    private static Tensor Affine(Tensor images, Tensor t, bool rotation)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(t);
        if (images.dim() != 4) throw new ArgumentException($"Expected images (batch, channels, H, W); got [{string.Join(", ", images.shape)}].", nameof(images));
        using var scope = NewDisposeScope();
        long n = images.shape[0], height = images.shape[2], width = images.shape[3];
        double ax = (width - 1) / 2.0, ay = (height - 1) / 2.0;
        var angle = t.to_type(images.dtype);
        var zero = zeros_like(angle);
        var one = ones_like(angle);
        // Normalised coordinates u = x/ax, v = −y/ay (as in Data.ImageRotation); the output at p samples the input at g_t⁻¹ p.
        var theta = rotation
            ? stack(new[] { angle.cos(), -angle.sin() * (ay / ax), zero, angle.sin() * (ax / ay), angle.cos(), zero }, 1)
            : stack(new[] { one, zero, -angle / ax, zero, one, zero }, 1);
        var grid = nn.functional.affine_grid(theta.reshape(n, 2, 3), images.shape, align_corners: true);
        return nn.functional.grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: true)
            .MoveToOuterDisposeScope();
    }
}
