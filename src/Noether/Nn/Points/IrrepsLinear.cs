using Noether.Runtime;
using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Equivariant linear map between irreps: copies of the same irrep (l, p) mix with learned weights;
/// different irreps never mix (Schur's lemma), and a bias is added to even scalars (0e) only.</summary>
/// <remarks>
/// <para>Math: out_w^{(o)} = Σ_{terms a with irrep_a = irrep_o} Σ_u W[u, w] x_u^{(a)} / √(fan_in) (+ b_w when o is 0e),
/// W ~ N(0, 1), so unit-variance inputs give unit-variance outputs. An output irrep absent from the input is zero
/// (plus its bias).</para>
/// <para>Equivariance: O(3) (exact); a bias on l &gt; 0 or on 0o would break it. Shapes: (..., In.Dim) → (..., Out.Dim).
/// Reference: e3nn <c>o3.Linear</c>.</para>
/// </remarks>
/// <example><code>var linear = new IrrepsLinear(Irreps.Parse("8x0e+4x1o"), Irreps.Parse("16x0e+2x1o"));</code></example>
public sealed class IrrepsLinear : Module<Tensor, Tensor>, IEquivariant
{
    private readonly ParameterList _weights;
    private readonly ParameterList _biases;
    private readonly int[][] _sources;
    private readonly int[] _biasOf;
    private readonly double[] _scale;

    /// <summary>The input irreps.</summary>
    public Irreps In { get; }
    /// <summary>The output irreps.</summary>
    public Irreps Out { get; }

    /// <summary>Creates the map; <paramref name="bias"/> adds a learned bias (zero at start) to every 0e output.</summary>
    public IrrepsLinear(Irreps input, Irreps output, bool bias = true) : base(nameof(IrrepsLinear))
    {
        In = input ?? throw new ArgumentNullException(nameof(input));
        Out = output ?? throw new ArgumentNullException(nameof(output));
        _sources = Out.Terms.Select(o => Enumerable.Range(0, In.Terms.Count)
            .Where(a => In.Terms[a].Irrep == o.Irrep && In.Terms[a].Multiplicity > 0).ToArray()).ToArray();
        var weights = new List<Parameter>();
        var biases = new List<Parameter>();
        _biasOf = new int[Out.Terms.Count];
        _scale = new double[Out.Terms.Count];
        for (var o = 0; o < Out.Terms.Count; o++)
        {
            var fanIn = _sources[o].Sum(a => In.Terms[a].Multiplicity);
            _scale[o] = fanIn == 0 ? 0 : 1 / Math.Sqrt(fanIn);
            weights.Add(new Parameter(torch.randn(Math.Max(fanIn, 1), Out.Terms[o].Multiplicity).DetachFromDisposeScope()));
            _biasOf[o] = -1;
            if (bias && Out.Terms[o].Irrep == new O3Irrep(0, 1))
            {
                _biasOf[o] = biases.Count;
                biases.Add(new Parameter(torch.zeros(Out.Terms[o].Multiplicity).DetachFromDisposeScope()));
            }
        }
        _weights = new ParameterList(weights.ToArray());
        _biases = new ParameterList(biases.ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>Applies the map.</summary>
    /// <param name="x">Shape (..., In.Dim).</param>
    public override Tensor forward(Tensor x)
    {
        PointsValidation.CheckFeatures(x, In, nameof(x));
        using var scope = torch.NewDisposeScope();
        var lead = x.shape[..^1];
        var xf = x.reshape(-1, In.Dim);
        var n = xf.shape[0];
        var weights = _weights.ToArray();
        var biases = _biases.ToArray();
        var outputs = new Tensor[Out.Terms.Count];
        for (var o = 0; o < Out.Terms.Count; o++)
        {
            var to = Out.Terms[o];
            var d = to.Irrep.Dim;
            Tensor y;
            if (_sources[o].Length == 0 || to.Multiplicity == 0)
                y = torch.zeros(n, to.Multiplicity, d, dtype: xf.dtype, device: xf.device);
            else
            {
                // (n, d, Σ m_a) @ (Σ m_a, m_o) → (n, m_o, d)
                var parts = _sources[o].Select(a => xf.narrow(1, In.Slices[a].Start, In.Slices[a].Dim)
                    .view(n, In.Terms[a].Multiplicity, d).transpose(1, 2)).ToArray();
                var stacked = parts.Length == 1 ? parts[0] : torch.cat(parts, 2);
                y = stacked.MatMulChecked(weights[o] * _scale[o]).transpose(1, 2);
            }
            if (_biasOf[o] >= 0) y = y + biases[_biasOf[o]].view(1, -1, 1);
            outputs[o] = y.reshape(n, to.Dim);
        }
        var result = outputs.Length == 1 ? outputs[0] : torch.cat(outputs, 1);
        return result.reshape(lead.Append((long)Out.Dim).ToArray()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"IrrepsLinear({In} -> {Out})";
}
