using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Batch normalisation for permutation fields (trivial, regular, quotient): one mean and one variance
/// per field, shared by the field's channels and pooled over the batch and the pixels.</summary>
/// <remarks>
/// <para>Math: for field f with channels c ∈ f, μ_f = mean_{b, c∈f, y, x} x, σ²_f = mean (x − μ_f)², and
/// out_c = (x_c − μ_f)/√(σ²_f + ε) · w_f + β_f. Train mode uses the batch statistics and updates the
/// running ones (momentum, Bessel-corrected variance); eval mode uses the running statistics, like
/// BatchNorm2d.</para>
/// <para>Equivariance: ρ(g) permutes the channels of a field, so it leaves μ_f, σ²_f and the constant
/// vector μ_f·1 unchanged (per-channel statistics would not be: they would be permuted). Moving the
/// pixels leaves spatial averages unchanged. Hence exact, in train and eval mode; the constructor rejects
/// fields that are not permutation representations (use <see cref="IIDBatchNorm"/> for those). Out = In.</para>
/// <para>Parameters: weight (fields), bias (fields); buffers running_mean (fields), running_var (fields).</para>
/// <para>Shapes: input (batch, In.Size, height, width) → output of the same shape.</para>
/// <para>Reference: escnn <c>InnerBatchNorm</c>; Cohen &amp; Welling 2016 (G-CNN batch norm over the group axis).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.FlipsRotations(4);
/// var norm = new InnerBatchNorm(space.Regular(16));
/// </code></example>
public sealed class InnerBatchNorm : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type (permutation fields).</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public double Momentum { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>Whether a weight and a bias per field are learned.</summary>
    public bool Affine { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type whose fields are all permutation representations.</param>
    /// <param name="eps">ε &gt; 0 added to the variance.</param>
    /// <param name="momentum">in (0, 1]: r ← (1 − momentum)·r + momentum·batch statistic.</param>
    /// <param name="affine">learn a weight and a bias per field.</param>
    public InnerBatchNorm(FieldType input, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(nameof(InnerBatchNorm))
    {
        FieldLayout.RequirePlane(input, nameof(InnerBatchNorm), nameof(input));
        BatchStatistics.CheckHyperparameters(momentum, eps, nameof(InnerBatchNorm));
        FieldLayout.RequirePermutationFields(input, nameof(InnerBatchNorm), nameof(input));
        In = input;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;

        // One variance group and one mean per field; the mean is the field's channel average, spread back
        // as a constant over the field (the invariant vector of a permutation representation).
        int fields = input.Representations.Count;
        var groupOf = FieldLayout.FieldOfChannel(input);
        var basis = new double[input.Size, fields];
        var coefficients = new double[fields, input.Size];
        for (int c = 0; c < input.Size; c++)
        {
            int f = (int)groupOf[c];
            basis[c, f] = 1;
            coefficients[f, c] = 1.0 / input.Representations[f].Dim;
        }
        var sizes = input.Representations.Select(r => (float)r.Dim).ToArray();
        BatchStatistics.Register(this, new BatchNormLayout(groupOf, sizes, basis, coefficients), affine);
        int dim = input.Representations[0].Dim;
        _fieldDim = input.Representations.All(r => r.Dim == dim) && Enumerable.Range(0, input.Size).All(c => groupOf[c] == c / dim) ? dim : 0;
    }

    // When every field has the same size and its channels are adjacent (the usual regular-field layout),
    // (batch, fields·d, H, W) viewed as (batch, fields, d·H·W) is exactly a BatchNorm1d over fields: one
    // fused libtorch kernel with the same statistics (mean, Bessel-corrected running variance, n = batch·d·H·W).
    private readonly int _fieldDim;

    /// <summary>The eval-mode layer as a plain <c>BatchNorm2d</c> with equal outputs (export for deployment).</summary>
    public TorchSharp.Modules.BatchNorm2d ToPlainModule() => BatchStatistics.Export(this, In.Size, Eps, Affine);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(InnerBatchNorm));
        var runningVar = get_buffer("running_var")!;
        if (_fieldDim > 0 && input.dtype == runningVar.dtype && input.device == runningVar.device)
        {
            long batch = input.shape[0];
            using var flat = input.reshape(batch, In.Representations.Count, -1);
            using var normed = functional.batch_norm(flat, get_buffer("running_mean")!, runningVar,
                Affine ? get_parameter("weight") : null, Affine ? get_parameter("bias") : null, training, Momentum, Eps);
            return normed.view_as(input);
        }
        return BatchStatistics.Forward(this, input, Momentum, Eps, Affine);
    }

    /// <inheritdoc />
    public override string ToString() => $"InnerBatchNorm([{In.Description}], eps={Eps}, momentum={Momentum}, affine={Affine})";
}
