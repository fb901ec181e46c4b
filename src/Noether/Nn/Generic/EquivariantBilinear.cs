using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>EMLP's cheap equivariant bilinear layer: parts of the input that transform as maps Hom(T_in, T_out)
/// act, with learned mixing weights, on the input blocks of type T_in to give output blocks of type T_out.</summary>
/// <remarks>
/// Equivariance: any matrix group, exactly. A block s of type T_out ⊗ T_in* transforms as ρ_out(g) X ρ_in(g)⁻¹, so
/// y_o = Σ_{i,s} w[o,i,s] X_s x_i is equivariant for any weights. For orthogonal groups V* ≅ V, so types are matched
/// with duals ignored. Pairs with no matching source block contribute nothing. Output scaled by 0.1 as in EMLP.
/// Shapes: input (batch, Rep.Dim) → output (batch, Rep.Dim).
/// Reference: Finzi, Welling, Wilson 2021, §5 ("bilinear layers").
/// </remarks>
/// <example><code>var layer = new EquivariantBilinear(TensorRepresentation.Parse("8+4V+2T(2)", MatrixGroup.O(3)));</code></example>
public sealed class EquivariantBilinear : Module<Tensor, Tensor>, IEquivariant
{
    private readonly List<long[]> _shapes = new(); // per term: mOut, dOut, mIn, dIn, mSrc

    /// <summary>The representation of input and output.</summary>
    public TensorRepresentation Rep { get; }

    /// <summary>Creates the layer for <paramref name="rep"/> (input and output alike).</summary>
    public EquivariantBilinear(TensorRepresentation rep) : base(nameof(EquivariantBilinear))
    {
        Rep = rep ?? throw new ArgumentNullException(nameof(rep));
        int n = rep.MatrixGroup.Size;
        using (var scope = NewDisposeScope())
        {
            foreach (var (outs, ins, sources) in Terms(rep))
            {
                int t = _shapes.Count;
                int dOut = rep.Blocks[outs[0]].Dim(n), dIn = rep.Blocks[ins[0]].Dim(n);
                _shapes.Add(new long[] { outs.Length, dOut, ins.Length, dIn, sources.Length });
                register_buffer($"out_index{t}", EquivariantLinear.Coordinates(rep, outs, dOut).DetachFromDisposeScope());
                register_buffer($"in_index{t}", EquivariantLinear.Coordinates(rep, ins, dIn).DetachFromDisposeScope());
                register_buffer($"source_index{t}", EquivariantLinear.Coordinates(rep, sources, dOut * dIn).DetachFromDisposeScope());
                var w = (randn(outs.Length, ins.Length, sources.Length) / Math.Sqrt(ins.Length * sources.Length * (double)dIn)).DetachFromDisposeScope();
                register_parameter($"weight{t}", new Parameter(w));
            }
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(Rep) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new RepresentationAction(Rep) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != Rep.Dim)
            throw new ArgumentException($"EquivariantBilinear expects (batch, {Rep.Dim}); got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var y = zeros(batch, Rep.Dim, dtype: input.dtype, device: input.device);
        for (int t = 0; t < _shapes.Count; t++)
        {
            var s = _shapes[t];
            var sources = input.index_select(1, get_buffer($"source_index{t}")!).reshape(batch, s[4], s[1], s[3]);
            var x = input.index_select(1, get_buffer($"in_index{t}")!).reshape(batch, s[2], s[3]);
            // Mix the sources per (o, i) pair, then apply each mixed map to its input block.
            var maps = einsum("bsad,ois->boiad", sources, get_parameter($"weight{t}")!);
            var outBlocks = einsum("boiad,bid->boa", maps, x).reshape(batch, s[0] * s[1]);
            y.index_add_(1, get_buffer($"out_index{t}")!, outBlocks, 0.1);
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The terms of the layer, in the order their weights are drawn: for each pair of distinct block types
    /// (T_out, T_in) whose Hom type T_out ⊗ T_in* occurs among the blocks (duals ignored for orthogonal groups), the
    /// output blocks of type T_out, the input blocks of type T_in, and the source blocks of the Hom type.</summary>
    internal static IEnumerable<(int[] Outs, int[] Ins, int[] Sources)> Terms(TensorRepresentation rep)
    {
        bool orthogonal = rep.MatrixGroup.IsOrthogonal;
        TensorType Key(TensorType t) => orthogonal ? t.Undualised() : t;
        int[] BlocksOf(TensorType t) => Enumerable.Range(0, rep.Blocks.Count).Where(b => rep.Blocks[b].Equals(t)).ToArray();
        var types = rep.Blocks.Distinct().ToArray();
        foreach (var o in types)
            foreach (var i in types)
            {
                var hom = Key(o.Then(i.Dual()));
                var sources = Enumerable.Range(0, rep.Blocks.Count).Where(b => Key(rep.Blocks[b]).Equals(hom)).ToArray();
                if (sources.Length == 0) continue;
                yield return (BlocksOf(o), BlocksOf(i), sources);
            }
    }

    /// <inheritdoc />
    public override string ToString() => $"EquivariantBilinear({Rep.Name}, {_shapes.Count} terms)";
}
