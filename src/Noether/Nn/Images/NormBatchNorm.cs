using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Batch normalisation by the norm: each non-trivial field is divided by the root mean squared norm
/// of that field (no mean subtracted); trivial fields get an ordinary per-channel batch norm.</summary>
/// <remarks>
/// <para>Math: for a non-trivial field f of dimension d, σ²_f = mean_{b, y, x} ‖x_f‖² / d and
/// out_f = x_f · w_f/√(σ²_f + ε) (no bias). For each channel c of a trivial field, the usual
/// out_c = (x_c − μ_c)/√(σ²_c + ε) · w_c + β_c. Train mode uses the batch statistics and updates the running
/// ones (momentum, Bessel-corrected variance); eval mode uses the running statistics, like BatchNorm2d.</para>
/// <para>Equivariance: ‖ρ(g)x‖ = ‖x‖ for orthogonal ρ, so σ²_f is invariant and the layer scales each field
/// by an invariant number. A mean is not subtracted from a non-trivial field because it would break
/// equivariance (the batch mean of a field is not invariant, and a constant bias vector is not either),
/// nor is a bias added there. Exact in train and eval mode. A non-trivial field that contains a trivial irrep
/// (a regular field) is allowed but not centred; use <see cref="IIDBatchNorm"/> to centre it. Out = In.</para>
/// <para>Parameters: weight (one per non-trivial field, then one per trivial channel, in channel order), bias
/// (trivial channels); buffers running_var (same order as weight), running_mean (trivial channels).</para>
/// <para>Shapes: input (batch, In.Size, height, width) → output of the same shape.</para>
/// <para>Reference: escnn <c>NormBatchNorm</c> (which rejects trivial parts; here they get a plain batch norm).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.ContinuousRotations(maximumFrequency: 2);
/// var norm = new NormBatchNorm(space.Trivial(4) + space.Irrep("E1", 4) + space.Irrep("E2", 4));
/// </code></example>
public sealed class NormBatchNorm : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type (orthogonal fields).</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public double Momentum { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>Whether scales (and biases on trivial channels) are learned.</summary>
    public bool Affine { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type with orthogonal fields.</param>
    /// <param name="eps">ε &gt; 0 added to the variance.</param>
    /// <param name="momentum">in (0, 1]: r ← (1 − momentum)·r + momentum·batch statistic.</param>
    /// <param name="affine">learn a scale per group and a bias per trivial channel.</param>
    public NormBatchNorm(FieldType input, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(nameof(NormBatchNorm))
    {
        FieldLayout.RequirePlane(input, nameof(NormBatchNorm), nameof(input));
        BatchStatistics.CheckHyperparameters(momentum, eps, nameof(NormBatchNorm));
        FieldLayout.RequireOrthogonalFields(input, nameof(NormBatchNorm), nameof(input));
        In = input;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;

        // Variance groups: a whole non-trivial field, or a single channel of a trivial field (which also
        // gets its own mean). Non-trivial groups are numbered first so that weight[0..k) are the fields.
        var offsets = FieldLayout.Offsets(input);
        var groupOf = new long[input.Size];
        var sizes = new List<float>();
        for (int f = 0; f < input.Representations.Count; f++)
        {
            var rep = input.Representations[f];
            if (rep.IsTrivial) continue;
            for (int i = 0; i < rep.Dim; i++) groupOf[offsets[f] + i] = sizes.Count;
            sizes.Add(rep.Dim);
        }
        var trivialChannels = new List<int>();
        for (int f = 0; f < input.Representations.Count; f++)
        {
            var rep = input.Representations[f];
            if (!rep.IsTrivial) continue;
            for (int i = 0; i < rep.Dim; i++)
            {
                groupOf[offsets[f] + i] = sizes.Count;
                sizes.Add(1);
                trivialChannels.Add(offsets[f] + i);
            }
        }
        double[,]? basis = null, coefficients = null;
        if (trivialChannels.Count > 0)
        {
            basis = new double[input.Size, trivialChannels.Count];
            coefficients = new double[trivialChannels.Count, input.Size];
            for (int m = 0; m < trivialChannels.Count; m++)
            {
                basis[trivialChannels[m], m] = 1;
                coefficients[m, trivialChannels[m]] = 1;
            }
        }
        BatchStatistics.Register(this, new BatchNormLayout(groupOf, sizes.ToArray(), basis, coefficients), affine);
    }

    /// <summary>The eval-mode layer as a plain <c>BatchNorm2d</c> with equal outputs (export for deployment).</summary>
    public TorchSharp.Modules.BatchNorm2d ToPlainModule() => BatchStatistics.Export(this, In.Size, Eps, Affine);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(NormBatchNorm));
        return BatchStatistics.Forward(this, input, Momentum, Eps, Affine);
    }

    /// <inheritdoc />
    public override string ToString() => $"NormBatchNorm([{In.Description}], eps={Eps}, momentum={Momentum}, affine={Affine})";
}
