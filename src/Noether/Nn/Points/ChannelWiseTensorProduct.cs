using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Channel-wise ("uvu") tensor product with external weights: each copy u of a left irrep is combined
/// with the right irreps, the weights coming from outside (one set per example, e.g. per edge from an MLP on
/// its length), as in NequIP's interaction block.</summary>
/// <remarks>
/// <para>Math: for each path p = (left term a, right term b, output irrep L with L ∈ l_a ⊗ l_b and p_L = p_a p_b),
/// out_p[n, u, k] = Σ_v w_p[n, u, v] Σ_{ij} C[i, j, k] x_a[n, u, i] y_b[n, v, j] / √(fan_in), fan_in = m_b.
/// Each path has its own output block (m_a × L), in path order; <see cref="Out"/> is their concatenation.
/// Unit variance at initialisation when the weights have unit variance.</para>
/// <para>Equivariance: O(3) (exact) when the weights are invariant (functions of distances, scalars).
/// Shapes: x (n, In1.Dim), y (n, In2.Dim), weights (n, WeightCount) → (n, Out.Dim).
/// Reference: e3nn <c>TensorProduct</c> with mode "uvu"; Batzner et al. 2022 (NequIP).</para>
/// </remarks>
/// <example><code>var tp = new ChannelWiseTensorProduct(Irreps.Parse("8x0e+8x1o"), Irreps.SphericalHarmonics(2), maxDegree: 2);
/// var messages = tp.forward(features, sh, radialMlp.forward(lengths));</code></example>
public sealed class ChannelWiseTensorProduct : Module<Tensor, Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly TensorTables _tables;
    private readonly (int Left, int Right, int Offset, int Weights)[] _paths;

    /// <summary>The left input irreps (per-node features).</summary>
    public Irreps In1 { get; }
    /// <summary>The right input irreps (e.g. edge spherical harmonics).</summary>
    public Irreps In2 { get; }
    /// <summary>The output irreps: one term per path, in path order (not simplified).</summary>
    public Irreps Out { get; }
    /// <summary>The paths.</summary>
    public IReadOnlyList<TensorProductPath> Paths { get; }
    /// <summary>Weights per example: Σ_p m_a m_b.</summary>
    public int WeightCount { get; }

    /// <summary>Creates the product with every path whose output degree is ≤ <paramref name="maxDegree"/> and,
    /// when <paramref name="allowed"/> is given, whose output irrep it contains.</summary>
    public ChannelWiseTensorProduct(Irreps in1, Irreps in2, int maxDegree, Irreps? allowed = null) : base(nameof(ChannelWiseTensorProduct))
    {
        In1 = in1 ?? throw new ArgumentNullException(nameof(in1));
        In2 = in2 ?? throw new ArgumentNullException(nameof(in2));
        if (maxDegree < 0) throw new ArgumentOutOfRangeException(nameof(maxDegree), maxDegree, "Maximum degree must be ≥ 0.");
        var allowedSet = allowed?.Terms.Select(t => t.Irrep).ToHashSet();
        var paths = new List<TensorProductPath>();
        var internalPaths = new List<(int, int, int, int)>();
        var terms = new List<MulIrrep>();
        var tables = new List<Tensor>();
        var weightOffset = 0;
        for (var a = 0; a < In1.Terms.Count; a++)
        for (var b = 0; b < In2.Terms.Count; b++)
        {
            var (ta, tb) = (In1.Terms[a], In2.Terms[b]);
            if (ta.Multiplicity == 0 || tb.Multiplicity == 0) continue;
            foreach (var irrep in O3Irrep.Product(ta.Irrep, tb.Irrep))
            {
                if (irrep.Degree > maxDegree || (allowedSet is not null && !allowedSet.Contains(irrep))) continue;
                var count = ta.Multiplicity * tb.Multiplicity;
                paths.Add(new TensorProductPath(a, b, terms.Count, irrep, count));
                internalPaths.Add((a, b, weightOffset, count));
                weightOffset += count;
                terms.Add(new MulIrrep(ta.Multiplicity, irrep));
                tables.Add(ClebschGordan.RealTensor(ta.Irrep.Degree, tb.Irrep.Degree, irrep.Degree));
            }
        }
        if (paths.Count == 0)
            throw new ArgumentException($"No path of '{In1}' ⊗ '{In2}' has degree ≤ {maxDegree}{(allowed is null ? "" : $" within '{allowed}'")}.", nameof(in2));
        _tables = new TensorTables(tables);
        _paths = internalPaths.ToArray();
        Paths = paths;
        Out = new Irreps(terms);
        WeightCount = weightOffset;
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(In1), new IrrepsAction(In2), new TrivialAction(Noether.Groups.Group.O3, WeightCount) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>The product with per-example weights.</summary>
    /// <param name="x">Shape (n, In1.Dim).</param>
    /// <param name="y">Shape (n, In2.Dim).</param>
    /// <param name="weights">Shape (n, WeightCount).</param>
    public override Tensor forward(Tensor x, Tensor y, Tensor weights)
    {
        PointsValidation.CheckFeatures(x, In1, nameof(x));
        PointsValidation.CheckFeatures(y, In2, nameof(y));
        ArgumentNullException.ThrowIfNull(weights);
        if (x.dim() != 2 || y.dim() != 2 || weights.dim() != 2 || y.shape[0] != x.shape[0] || weights.shape[0] != x.shape[0] || weights.shape[1] != WeightCount)
            throw new ArgumentException(
                $"Expected x (n, {In1.Dim}), y (n, {In2.Dim}), weights (n, {WeightCount}); got [{string.Join(", ", x.shape)}], [{string.Join(", ", y.shape)}], [{string.Join(", ", weights.shape)}].",
                nameof(weights));
        using var scope = torch.NewDisposeScope();
        var n = x.shape[0];
        var tables = _tables.Like(x);
        var outputs = new Tensor[_paths.Length];
        for (var p = 0; p < _paths.Length; p++)
        {
            var (a, b, offset, count) = _paths[p];
            var (ta, tb) = (In1.Terms[a], In2.Terms[b]);
            var xa = x.narrow(1, In1.Slices[a].Start, In1.Slices[a].Dim).view(n, ta.Multiplicity, ta.Irrep.Dim);
            var yb = y.narrow(1, In2.Slices[b].Start, In2.Slices[b].Dim).view(n, tb.Multiplicity, tb.Irrep.Dim);
            var z = FullyConnectedTensorProduct.Contract(xa, yb, tables[p]); // (n, m_a, m_b, L)
            var w = weights.narrow(1, offset, count).view(n, ta.Multiplicity, tb.Multiplicity, 1);
            var scale = 1.0 / Math.Sqrt(tb.Multiplicity);
            outputs[p] = ((z * w).sum(2) * scale).reshape(n, -1);
        }
        var result = outputs.Length == 1 ? outputs[0] : torch.cat(outputs, 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _tables.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"ChannelWiseTensorProduct({In1} ⊗ {In2} -> {Out})";
}
