using Noether.Runtime;
using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Fully connected tensor product: every allowed path (u-th copy of a left irrep) ⊗ (v-th copy of a right
/// irrep) → (w-th copy of an output irrep) with its own learned weight.</summary>
/// <remarks>
/// <para>Math: out_w^{(o)}[k] = Σ_{paths p → o} Σ_{u,v} W_p[u, v, w] Σ_{i,j} C^{l₁l₂l_o}[i, j, k] x_u[i] y_v[j] / √(fan_in_o),
/// fan_in_o = Σ_{p → o} m₁m₂. A path exists when l_o ∈ |l₁ − l₂|…l₁ + l₂ and p_o = p₁p₂.</para>
/// <para>Normalisation: the real Clebsch–Gordan columns are orthonormal, so for independent unit-variance inputs
/// each projected component has unit variance; with W ~ N(0, 1) and the 1/√fan_in factor the outputs have unit
/// variance at initialisation (e3nn's "component" normalisation with "element" path weights).</para>
/// <para>Equivariance: O(3) (exact). Shapes: (..., In1.Dim) ⊗ (..., In2.Dim) → (..., Out.Dim).
/// Cost: per (left, right) term pair one contraction with the concatenated CG blocks of all its outputs, then
/// one matmul per output term over all its paths. Reference: e3nn <c>FullyConnectedTensorProduct</c>.</para>
/// </remarks>
/// <example><code>var tp = new FullyConnectedTensorProduct(Irreps.Parse("16x0e+16x1o"), Irreps.Parse("0e+1o"), Irreps.Parse("16x0e+16x1o"));</code></example>
public sealed class FullyConnectedTensorProduct : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly TensorTables _tables;
    private readonly ParameterList _weights;
    private readonly (int Left, int Right, (int Output, int Offset)[] Outputs)[] _pairs;
    private readonly (int Pair, int Offset, int Left, int Right)[][] _pathsByOutput;
    private readonly double[] _scale;

    /// <summary>The left input irreps.</summary>
    public Irreps In1 { get; }
    /// <summary>The right input irreps.</summary>
    public Irreps In2 { get; }
    /// <summary>The output irreps.</summary>
    public Irreps Out { get; }
    /// <summary>The paths, in the order of their weights.</summary>
    public IReadOnlyList<TensorProductPath> Paths { get; }

    /// <summary>Creates the product with N(0, 1) weights drawn from the global torch generator.</summary>
    /// <exception cref="ArgumentException">an output term is reached by no path.</exception>
    public FullyConnectedTensorProduct(Irreps in1, Irreps in2, Irreps output) : base(nameof(FullyConnectedTensorProduct))
    {
        In1 = in1 ?? throw new ArgumentNullException(nameof(in1));
        In2 = in2 ?? throw new ArgumentNullException(nameof(in2));
        Out = output ?? throw new ArgumentNullException(nameof(output));
        var paths = new List<TensorProductPath>();
        var pairs = new List<(int, int, (int, int)[])>();
        var tables = new List<Tensor>();
        var byOutput = Enumerable.Range(0, Out.Terms.Count).Select(_ => new List<(int, int, int, int)>()).ToArray();
        using (var scope = torch.NewDisposeScope())
        {
            for (var a = 0; a < In1.Terms.Count; a++)
            for (var b = 0; b < In2.Terms.Count; b++)
            {
                var (ta, tb) = (In1.Terms[a], In2.Terms[b]);
                if (ta.Multiplicity == 0 || tb.Multiplicity == 0) continue;
                var outputs = new List<(int, int)>();
                var blocks = new List<Tensor>();
                var offset = 0;
                for (var o = 0; o < Out.Terms.Count; o++)
                {
                    var to = Out.Terms[o];
                    if (to.Multiplicity == 0 || !O3Irrep.Product(ta.Irrep, tb.Irrep).Contains(to.Irrep)) continue;
                    paths.Add(new TensorProductPath(a, b, o, to.Irrep, ta.Multiplicity * tb.Multiplicity * to.Multiplicity));
                    byOutput[o].Add((pairs.Count, offset, a, b));
                    outputs.Add((o, offset));
                    blocks.Add(ClebschGordan.RealTensor(ta.Irrep.Degree, tb.Irrep.Degree, to.Irrep.Degree));
                    offset += to.Irrep.Dim;
                }
                if (blocks.Count == 0) continue;
                tables.Add(torch.cat(blocks.ToArray(), 2));
                pairs.Add((a, b, outputs.ToArray()));
            }
            _tables = new TensorTables(tables);
        }
        for (var o = 0; o < Out.Terms.Count; o++)
            if (Out.Terms[o].Multiplicity > 0 && byOutput[o].Count == 0)
                throw new ArgumentException($"No path of '{In1}' ⊗ '{In2}' reaches the output term {Out.Terms[o]} of '{Out}'.", nameof(output));
        Paths = paths;
        _pairs = pairs.ToArray();
        _pathsByOutput = byOutput.Select(l => l.ToArray()).ToArray();
        _scale = new double[Out.Terms.Count];
        var parameters = new List<Parameter>();
        for (var o = 0; o < Out.Terms.Count; o++)
        {
            var fanIn = _pathsByOutput[o].Sum(p => In1.Terms[p.Left].Multiplicity * In2.Terms[p.Right].Multiplicity);
            _scale[o] = fanIn == 0 ? 0 : 1.0 / Math.Sqrt(fanIn);
            parameters.Add(new Parameter(torch.randn(Math.Max(fanIn, 1), Out.Terms[o].Multiplicity).DetachFromDisposeScope()));
        }
        _weights = new ParameterList(parameters.ToArray());
        WeightCount = paths.Sum(p => p.WeightCount);
        RegisterComponents();
    }

    /// <summary>Total number of weights.</summary>
    public int WeightCount { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(In1), new IrrepsAction(In2) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>The product of a batch of left and right features.</summary>
    /// <param name="x">Shape (..., In1.Dim).</param>
    /// <param name="y">Shape (..., In2.Dim), same leading shape as <paramref name="x"/>.</param>
    public override Tensor forward(Tensor x, Tensor y)
    {
        PointsValidation.CheckFeatures(x, In1, nameof(x));
        PointsValidation.CheckFeatures(y, In2, nameof(y));
        if (!x.shape[..^1].SequenceEqual(y.shape[..^1]))
            throw new ArgumentException($"Leading shapes differ: x [{string.Join(", ", x.shape)}], y [{string.Join(", ", y.shape)}].", nameof(y));
        using var scope = torch.NewDisposeScope();
        var lead = x.shape[..^1];
        var xf = x.reshape(-1, In1.Dim);
        var yf = y.reshape(-1, In2.Dim);
        var n = xf.shape[0];
        var tables = _tables.Like(xf);
        // z[pair] = (n, m1, m2, K): every CG projection of every u ⊗ v, for all outputs of that pair.
        var z = new Tensor[_pairs.Length];
        for (var p = 0; p < _pairs.Length; p++)
        {
            var (a, b, _) = _pairs[p];
            var (ta, tb) = (In1.Terms[a], In2.Terms[b]);
            var xa = xf.narrow(1, In1.Slices[a].Start, In1.Slices[a].Dim).view(n, ta.Multiplicity, ta.Irrep.Dim);
            var yb = yf.narrow(1, In2.Slices[b].Start, In2.Slices[b].Dim).view(n, tb.Multiplicity, tb.Irrep.Dim);
            z[p] = Contract(xa, yb, tables[p]);
        }
        var outputs = new Tensor[Out.Terms.Count];
        var weights = _weights.ToArray();
        for (var o = 0; o < Out.Terms.Count; o++)
        {
            var to = Out.Terms[o];
            var d = to.Irrep.Dim;
            if (to.Multiplicity == 0) { outputs[o] = torch.zeros(n, 0, dtype: xf.dtype, device: xf.device); continue; }
            // (n, d, Σ m1 m2) @ (Σ m1 m2, m_o) → (n, d, m_o) → (n, m_o, d).
            var parts = _pathsByOutput[o].Select(path =>
            {
                var zp = z[path.Pair].narrow(3, path.Offset, d);
                return zp.permute(0, 3, 1, 2).reshape(n, d, -1);
            }).ToArray();
            var stacked = parts.Length == 1 ? parts[0] : torch.cat(parts, 2);
            outputs[o] = stacked.MatMulChecked(weights[o] * _scale[o]).transpose(1, 2).reshape(n, to.Dim);
        }
        var result = outputs.Length == 1 ? outputs[0] : torch.cat(outputs, 1);
        return result.reshape(lead.Append((long)Out.Dim).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>z[n, u, v, k] = Σ_ij x[n, u, i] y[n, v, j] C[i, j, k], contracting the smaller side with C first.</summary>
    internal static Tensor Contract(Tensor x, Tensor y, Tensor c)
    {
        var (n, m1, d1) = (x.shape[0], x.shape[1], x.shape[2]);
        var (m2, d2) = (y.shape[1], y.shape[2]);
        var k = c.shape[2];
        // t[n, v, i, k] = Σ_j y[n, v, j] C[i, j, k]
        var t = y.reshape(n * m2, d2).MatMulChecked(c.permute(1, 0, 2).reshape(d2, d1 * k)).view(n, m2, d1, k);
        // z[n, u, (v, k)] = Σ_i x[n, u, i] t[n, i, (v, k)]
        var tt = m2 == 1 ? t.view(n, d1, k) : t.permute(0, 2, 1, 3).reshape(n, d1, m2 * k);
        return x.bmm(tt).view(n, m1, m2, k);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _tables.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"FullyConnectedTensorProduct({In1} ⊗ {In2} -> {Out}, {WeightCount} weights)";
}
