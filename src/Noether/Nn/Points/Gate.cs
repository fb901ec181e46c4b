using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Gated nonlinearity: scalars pass through an activation; each copy of a higher irrep is multiplied
/// by its own activated scalar gate.</summary>
/// <remarks>
/// <para>Math: input = scalars ⊕ gates ⊕ gated, output = act(scalars) ⊕ (σ(gate_u) · gated_u). Even scalars use
/// SiLU, odd scalars tanh (an odd function keeps a pseudoscalar odd); even gates use the logistic sigmoid, odd gates
/// tanh, and an odd gate flips the parity of what it gates.</para>
/// <para>Equivariance: O(3) (exact). Gates must be scalars (l = 0) and as many as the gated copies.
/// Shapes: (..., In.Dim) → (..., Out.Dim). Reference: Weiler et al. 2018, "3D Steerable CNNs"; e3nn <c>nn.Gate</c>.</para>
/// </remarks>
/// <example><code>var gate = new Gate(Irreps.Parse("16x0e"), Irreps.Parse("8x0e"), Irreps.Parse("8x1o"));</code></example>
public sealed class Gate : Module<Tensor, Tensor>, IEquivariant
{
    // Index and mask constants (bool, int64) in an array so that RegisterComponents does not register them
    // and Module.to(dtype) leaves their dtypes alone: [scalar odd mask, gate odd mask, gate index].
    private readonly Tensor[] _constants;
    private readonly int _scalarDim, _gateDim, _gatedDim;

    /// <summary>scalars + gates + gated.</summary>
    public Irreps In { get; }
    /// <summary>scalars + gated (with parities flipped by odd gates).</summary>
    public Irreps Out { get; }

    /// <summary>Creates the gate.</summary>
    /// <exception cref="ArgumentException">scalars or gates are not all l = 0, or the gate count differs from the gated copies.</exception>
    public Gate(Irreps scalars, Irreps gates, Irreps gated) : base(nameof(Gate))
    {
        ArgumentNullException.ThrowIfNull(scalars);
        ArgumentNullException.ThrowIfNull(gates);
        ArgumentNullException.ThrowIfNull(gated);
        if (!scalars.IsScalar) throw new ArgumentException($"Scalars must have l = 0; got '{scalars}'.", nameof(scalars));
        if (!gates.IsScalar) throw new ArgumentException($"Gates must be scalars (l = 0); got '{gates}'.", nameof(gates));
        if (gates.Count != gated.Count)
            throw new ArgumentException($"Need one gate per gated copy: '{gates}' has {gates.Count}, '{gated}' has {gated.Count}.", nameof(gates));
        In = scalars + gates + gated;
        (_scalarDim, _gateDim, _gatedDim) = (scalars.Dim, gates.Dim, gated.Dim);
        var gateParity = gates.Terms.SelectMany(t => Enumerable.Repeat(t.Irrep.Parity, t.Multiplicity)).ToArray();
        var outGated = new List<MulIrrep>();
        var gateIndex = new List<long>();
        var copy = 0;
        foreach (var t in gated.Terms)
        {
            // Split a term where its gates change parity, so each output term has one parity.
            for (var u = 0; u < t.Multiplicity; u++, copy++)
            {
                var irrep = t.Irrep with { Parity = t.Irrep.Parity * gateParity[copy] };
                if (outGated.Count > 0 && outGated[^1].Irrep == irrep && u > 0)
                    outGated[^1] = outGated[^1] with { Multiplicity = outGated[^1].Multiplicity + 1 };
                else outGated.Add(new MulIrrep(1, irrep));
                for (var k = 0; k < t.Irrep.Dim; k++) gateIndex.Add(copy);
            }
        }
        Out = scalars + new Irreps(outGated);
        _constants = new[]
        {
            OddMask(scalars).DetachFromDisposeScope(), OddMask(gates).DetachFromDisposeScope(),
            torch.tensor(gateIndex.ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope(),
        };
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>Applies the gate.</summary>
    /// <param name="x">Shape (..., In.Dim).</param>
    public override Tensor forward(Tensor x)
    {
        PointsValidation.CheckFeatures(x, In, nameof(x));
        using var scope = torch.NewDisposeScope();
        var parts = new List<Tensor>();
        if (_scalarDim > 0)
        {
            var s = x.narrow(-1, 0, _scalarDim);
            parts.Add(torch.where(_constants[0].to(x.device), s.tanh(), functional.silu(s)));
        }
        if (_gatedDim > 0)
        {
            var g = x.narrow(-1, _scalarDim, _gateDim);
            var activated = torch.where(_constants[1].to(x.device), g.tanh(), g.sigmoid());
            var gated = x.narrow(-1, _scalarDim + _gateDim, _gatedDim);
            parts.Add(gated * activated.index_select(-1, _constants[2].to(x.device)));
        }
        var result = parts.Count == 1 ? parts[0] : torch.cat(parts.ToArray(), -1);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) foreach (var t in _constants) t.Dispose();
        base.Dispose(disposing);
    }

    private static Tensor OddMask(Irreps scalars) =>
        torch.tensor(scalars.Terms.SelectMany(t => Enumerable.Repeat(t.Irrep.Parity < 0, t.Multiplicity)).ToArray(), dtype: ScalarType.Bool);

    /// <inheritdoc />
    public override string ToString() => $"Gate({In} -> {Out})";
}
