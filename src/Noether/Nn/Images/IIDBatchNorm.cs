using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Batch normalisation for any fields, assuming the channels of a field are identically distributed:
/// the mean is subtracted on the field's trivial (invariant) subspace only, and the field is divided by
/// its standard deviation (mean squared norm / dimension).</summary>
/// <remarks>
/// <para>Math: write ρ = Q (⊕ᵢ ψᵢ) Qᵀ and let T_f be the columns of Q that carry trivial irreps ψᵢ; P_f = T_f T_fᵀ
/// projects onto the invariant vectors. Then μ_f = P_f · mean_{b, y, x} x_f, σ²_f = mean_{b, y, x} ‖x_f − μ_f‖² / d_f,
/// and out_f = (x_f − μ_f)/√(σ²_f + ε) · w_f + T_f β_f. Train mode uses the batch statistics and updates the
/// running ones (momentum, Bessel-corrected variance); eval mode uses the running ones, like BatchNorm2d.</para>
/// <para>Equivariance: ρ(g) P_f = P_f ρ(g) = P_f (P_f projects onto vectors ρ(g) fixes), so the mean is
/// invariant, and so is σ²_f since ρ is orthogonal; the bias lies in the invariant subspace. Exact in train
/// and eval mode, for every representation. For a regular field T_f ∝ 1, so this is
/// <see cref="InnerBatchNorm"/> up to the parametrisation of the bias. Out = In.</para>
/// <para>Parameters: weight (fields), bias (trivial irreps, in field order); buffers running_var (fields),
/// running_mean (coordinates in T, one per trivial irrep).</para>
/// <para>Shapes: input (batch, In.Size, height, width) → output of the same shape.</para>
/// <para>Reference: escnn <c>IIDBatchNorm2d</c> (Cesa's thesis, §4.2).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.FlipsRotations(8);
/// var norm = new IIDBatchNorm(space.Regular(4) + space.Irrep("E1", 4));
/// </code></example>
public sealed class IIDBatchNorm : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type.</summary>
    public FieldType In { get; }
    /// <summary>The output field type, equal to <see cref="In"/>.</summary>
    public FieldType Out => In;
    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public double Momentum { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }
    /// <summary>Whether a weight per field and a bias per trivial irrep are learned.</summary>
    public bool Affine { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type with orthogonal fields (all of Noether's representations are).</param>
    /// <param name="eps">ε &gt; 0 added to the variance.</param>
    /// <param name="momentum">in (0, 1]: r ← (1 − momentum)·r + momentum·batch statistic.</param>
    /// <param name="affine">learn a weight per field and a bias per trivial irrep.</param>
    public IIDBatchNorm(FieldType input, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(nameof(IIDBatchNorm))
    {
        FieldLayout.RequirePlane(input, nameof(IIDBatchNorm), nameof(input));
        BatchStatistics.CheckHyperparameters(momentum, eps, nameof(IIDBatchNorm));
        FieldLayout.RequireOrthogonalFields(input, nameof(IIDBatchNorm), nameof(input));
        In = input;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;

        // Mean directions: the columns of each field's change of basis that carry a trivial irrep.
        var offsets = FieldLayout.Offsets(input);
        var columns = new List<(int Offset, double[] Vector)>();
        for (int f = 0; f < input.Representations.Count; f++)
        {
            var rep = input.Representations[f];
            var q = rep.ChangeOfBasis;
            int column = 0;
            foreach (var irrep in rep.Irreps)
            {
                if (irrep.IsTrivial) columns.Add((offsets[f], q.Column(column).ToArray()));
                column += irrep.Dim;
            }
        }
        double[,]? basis = null, coefficients = null;
        if (columns.Count > 0)
        {
            basis = new double[input.Size, columns.Count];
            coefficients = new double[columns.Count, input.Size];
            for (int m = 0; m < columns.Count; m++)
                for (int i = 0; i < columns[m].Vector.Length; i++)
                {
                    basis[columns[m].Offset + i, m] = columns[m].Vector[i];
                    coefficients[m, columns[m].Offset + i] = columns[m].Vector[i];
                }
        }
        var sizes = input.Representations.Select(r => (float)r.Dim).ToArray();
        BatchStatistics.Register(this, new BatchNormLayout(FieldLayout.FieldOfChannel(input), sizes, basis, coefficients), affine);
    }

    /// <summary>The eval-mode layer as a plain <c>BatchNorm2d</c> with equal outputs (export for deployment).</summary>
    public TorchSharp.Modules.BatchNorm2d ToPlainModule() => BatchStatistics.Export(this, In.Size, Eps, Affine);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(IIDBatchNorm));
        return BatchStatistics.Forward(this, input, Momentum, Eps, Affine);
    }

    /// <inheritdoc />
    public override string ToString() => $"IIDBatchNorm([{In.Description}], eps={Eps}, momentum={Momentum}, affine={Affine})";
}
