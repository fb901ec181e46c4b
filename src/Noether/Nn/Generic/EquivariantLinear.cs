using Noether.Runtime;
using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>A linear layer W x + b whose weight lies in the span of the equivariant basis of (ρ_in, ρ_out) and whose
/// bias is an invariant vector of ρ_out, so ρ_out(g)(Wx + b) = W ρ_in(g) x + b for every g of the matrix group.</summary>
/// <remarks>
/// Equivariance: any <see cref="Groups.MatrixGroup"/>, exactly (up to float rounding).
/// Per block pair (T_out, T_in) with basis B₁…B_r (<see cref="EquivariantBasis"/>), the map from input block i to output
/// block o is Σ_r w[o,i,r] B_r; the blocks are gathered and scattered with index_select / index_add, so a forward pass is
/// one GEMM per distinct block pair. The basis buffers stay float64 so that a float64 copy of the layer is exact. Initialisation keeps the output variance of a dense layer (fan-in = In.Dim).
/// Shapes: input (batch, In.Dim) → output (batch, Out.Dim).
/// Reference: Finzi, Welling, Wilson 2021, "A Practical Method for Constructing Equivariant MLPs for Arbitrary Matrix Groups".
/// </remarks>
/// <example><code>var g = MatrixGroup.O(3);
/// var layer = new EquivariantLinear(TensorRepresentation.Parse("5+5V", g), TensorRepresentation.Parse("T(2)", g));</code></example>
public sealed class EquivariantLinear : Module<Tensor, Tensor>, IEquivariant
{
    private readonly int _pairs;
    private readonly int[] _biasBlocks;
    private readonly long[][] _shapes; // per pair: mOut, dOut, mIn, dIn, r

    /// <summary>The input representation.</summary>
    public TensorRepresentation In { get; }

    /// <summary>The output representation.</summary>
    public TensorRepresentation Out { get; }

    /// <summary>The number of free weights (the basis dimension, plus the invariant bias dimension).</summary>
    public int FreeParameters { get; }

    /// <summary>Creates the layer; weights come from the global TorchSharp seed.</summary>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out, of the same group.</param>
    /// <param name="bias">whether to add an invariant bias (ignored where ρ_out has no invariant vector).</param>
    /// <exception cref="ArgumentException">no equivariant map and no invariant bias exists (the layer could only output zero).</exception>
    public EquivariantLinear(TensorRepresentation input, TensorRepresentation output, bool bias = true) : base(nameof(EquivariantLinear))
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        In = input;
        Out = output;
        var basis = EquivariantBasis.Solve(input, output);
        var biasBlocks = new List<int>();
        int biasDim = 0;
        if (bias)
            foreach (var type in output.Blocks.Distinct())
            {
                int r = InvariantSolver.Invariants(output.MatrixGroup, type).Count;
                if (r == 0) continue;
                biasBlocks.Add(output.Blocks.Select((b, i) => (b, i)).First(x => x.b.Equals(type)).i);
                biasDim += r * output.Blocks.Count(b => b.Equals(type));
            }
        if (basis.IsEmpty && biasDim == 0)
            throw new ArgumentException($"The basis is empty: no {output.MatrixGroup.Name}-equivariant linear map from '{input.Name}' to '{output.Name}' exists, and the output has no invariant bias.", nameof(output));
        FreeParameters = basis.Dim + biasDim;
        int n = input.MatrixGroup.Size;
        _pairs = basis.Pairs.Count;
        _shapes = new long[_pairs][];
        using (var scope = NewDisposeScope())
        {
            for (int p = 0; p < _pairs; p++)
            {
                var pair = basis.Pairs[p];
                int dOut = pair.Out.Dim(n), dIn = pair.In.Dim(n), r = pair.Basis.Count;
                _shapes[p] = new long[] { pair.OutBlocks.Count, dOut, pair.InBlocks.Count, dIn, r };
                var b = tensor(pair.Basis.SelectMany(v => v).ToArray(), new long[] { r, dOut, dIn }, dtype: ScalarType.Float64);
                register_buffer($"basis{p}", b.DetachFromDisposeScope());
                register_buffer($"out_index{p}", Coordinates(output, pair.OutBlocks, dOut).DetachFromDisposeScope());
                register_buffer($"in_index{p}", Coordinates(input, pair.InBlocks, dIn).DetachFromDisposeScope());
                double std = Math.Sqrt((double)dOut * dIn / ((double)input.Dim * r));
                var w = (randn(pair.OutBlocks.Count, pair.InBlocks.Count, r) * std).DetachFromDisposeScope();
                register_parameter($"weight{p}", new Parameter(w));
            }
            for (int q = 0; q < biasBlocks.Count; q++)
            {
                var type = output.Blocks[biasBlocks[q]];
                var invariants = InvariantSolver.Invariants(output.MatrixGroup, type);
                var blocks = Enumerable.Range(0, output.Blocks.Count).Where(i => output.Blocks[i].Equals(type)).ToArray();
                int d = type.Dim(n);
                register_buffer($"bias_basis{q}", tensor(invariants.SelectMany(v => v).ToArray(), new long[] { invariants.Count, d }, dtype: ScalarType.Float64).DetachFromDisposeScope());
                register_buffer($"bias_index{q}", Coordinates(output, blocks, d).DetachFromDisposeScope());
                register_parameter($"bias{q}", new Parameter(zeros(blocks.Length, invariants.Count).DetachFromDisposeScope()));
            }
        }
        _biasBlocks = biasBlocks.ToArray();
        RegisterComponents();
    }

    /// <summary>The dense weight matrix W (Out.Dim × In.Dim) the layer applies, assembled from the basis.</summary>
    public Tensor Weight()
    {
        using var scope = NewDisposeScope();
        var dtype = get_parameter(_pairs > 0 ? "weight0" : "bias0")!.dtype;
        var device = get_parameter(_pairs > 0 ? "weight0" : "bias0")!.device;
        var w = zeros(Out.Dim, In.Dim, dtype: dtype, device: device);
        for (int p = 0; p < _pairs; p++)
        {
            var block = PairMatrix(p); // (mOut·dOut, mIn·dIn)
            var rows = get_buffer($"out_index{p}")!;
            var cols = get_buffer($"in_index{p}")!;
            var placed = zeros(Out.Dim, block.shape[1], dtype: dtype, device: device).index_add(0, rows, block, 1);
            w.index_add_(1, cols, placed, 1);
        }
        return w.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new RepresentationAction(Out) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != In.Dim)
            throw new ArgumentException($"EquivariantLinear expects (batch, {In.Dim}) for '{In.Name}'; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var y = zeros(batch, Out.Dim, dtype: input.dtype, device: input.device);
        for (int p = 0; p < _pairs; p++)
        {
            var x = input.index_select(1, get_buffer($"in_index{p}")!);
            y.index_add_(1, get_buffer($"out_index{p}")!, x.MatMulChecked(PairMatrix(p).t()), 1);
        }
        for (int q = 0; q < _biasBlocks.Length; q++)
        {
            var bq = get_parameter($"bias{q}")!;
            var b = bq.MatMulChecked(get_buffer($"bias_basis{q}")!.to_type(bq.dtype)).reshape(-1);
            y.index_add_(1, get_buffer($"bias_index{q}")!, b.unsqueeze(0).expand(batch, -1), 1);
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"EquivariantLinear({In.Name} -> {Out.Name}, {FreeParameters} free)";

    /// <summary>The (mOut·dOut) × (mIn·dIn) matrix of pair <paramref name="p"/>: Σ_r w[o,i,r] B_r per block pair.</summary>
    private Tensor PairMatrix(int p)
    {
        var s = _shapes[p];
        var w = get_parameter($"weight{p}")!;
        // The basis is kept in float64 (exact to 1e-10) and rounded to the weights' dtype on use.
        var basis = get_buffer($"basis{p}")!.to_type(w.dtype);
        return einsum("oir,rab->oaib", w, basis).reshape(s[0] * s[1], s[2] * s[3]);
    }

    /// <summary>The representation's own coordinates of the given blocks, concatenated (block-major).</summary>
    internal static Tensor Coordinates(TensorRepresentation rep, IEnumerable<int> blocks, int blockDim) =>
        tensor(blocks.SelectMany(b => Enumerable.Range(0, blockDim).Select(t => (long)rep.Layout[rep.BlockOffset(b) + t])).ToArray(), dtype: ScalarType.Int64);
}
