using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Equivariance;

/// <summary>One block pair of an <see cref="EquivariantBasis"/>: the maps from every input block of type
/// <see cref="In"/> to every output block of type <see cref="Out"/>.</summary>
/// <param name="Out">the output block type.</param>
/// <param name="In">the input block type.</param>
/// <param name="Basis">orthonormal maps of one input block to one output block: each of length
/// dim(Out)·dim(In), row-major (output coordinate major).</param>
/// <param name="OutBlocks">indices (in <see cref="TensorRepresentation.Blocks"/> of the output) of the blocks of type Out.</param>
/// <param name="InBlocks">indices of the input blocks of type In.</param>
public sealed record BlockPairBasis(TensorType Out, TensorType In, IReadOnlyList<double[]> Basis, IReadOnlyList<int> OutBlocks, IReadOnlyList<int> InBlocks)
{
    /// <summary>The number of basis maps this pair contributes: |OutBlocks|·|InBlocks|·|Basis|.</summary>
    public int Count => OutBlocks.Count * InBlocks.Count * Basis.Count;
}

/// <summary>A basis of all linear maps W: ρ_in → ρ_out with ρ_out(g) W = W ρ_in(g) for every g of a matrix group
/// (EMLP's equivariant basis), solved in float64 and cached per representation pair.</summary>
/// <remarks>
/// W commutes with the group iff dρ_out(Aᵢ)W − W dρ_in(Aᵢ) = 0 for the Lie-algebra basis and ρ_out(hⱼ)W − Wρ_in(hⱼ) = 0
/// for the discrete generators. Hom(T_in, T_out) ≅ T_out ⊗ T_in*, so each block pair reduces to the invariants of
/// one tensor type (<see cref="InvariantSolver"/>). The block structure of direct sums is exploited: each distinct
/// pair of block types is solved once and reused for every repeated block, so W is never solved as one
/// (dim_out·dim_in)-unknown problem. Reference: Finzi, Welling, Wilson 2021 (EMLP), Algorithm 1 and §5.
/// </remarks>
public sealed class EquivariantBasis
{
    private static readonly ConcurrentDictionary<(TensorRepresentation, TensorRepresentation), EquivariantBasis> Cache = new();

    private EquivariantBasis(TensorRepresentation input, TensorRepresentation output, IReadOnlyList<BlockPairBasis> pairs)
    {
        In = input;
        Out = output;
        Pairs = pairs;
        Dim = pairs.Sum(p => p.Count);
    }

    /// <summary>The group.</summary>
    public MatrixGroup Group => In.MatrixGroup;

    /// <summary>The input representation.</summary>
    public TensorRepresentation In { get; }

    /// <summary>The output representation.</summary>
    public TensorRepresentation Out { get; }

    /// <summary>The non-empty block pairs.</summary>
    public IReadOnlyList<BlockPairBasis> Pairs { get; }

    /// <summary>The dimension of the space of equivariant maps (0 when there is none).</summary>
    public int Dim { get; }

    /// <summary>True when the only equivariant map is zero.</summary>
    public bool IsEmpty => Dim == 0;

    /// <summary>Solves (or returns the cached) basis of equivariant maps from <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">the representations belong to different groups.</exception>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out, of the same group.</param>
    /// <param name="useCache">false to solve afresh (benchmarks); the result is then not cached either.</param>
    public static EquivariantBasis Solve(TensorRepresentation input, TensorRepresentation output, bool useCache = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!input.MatrixGroup.Equals(output.MatrixGroup))
            throw new ArgumentException($"Input is a representation of {input.MatrixGroup.Name} but output of {output.MatrixGroup.Name}.", nameof(output));
        return useCache ? Cache.GetOrAdd((input, output), _ => Build(input, output, true)) : Build(input, output, false);
    }

    private static EquivariantBasis Build(TensorRepresentation input, TensorRepresentation output, bool useCache)
    {
        var group = input.MatrixGroup;
        var pairs = new List<BlockPairBasis>();
        var outTypes = output.Blocks.Distinct().ToArray();
        var inTypes = input.Blocks.Distinct().ToArray();
        foreach (var o in outTypes)
            foreach (var i in inTypes)
            {
                var type = o.Then(i.Dual());
                var invariants = useCache ? InvariantSolver.Invariants(group, type) : InvariantSolver.SolveUncached(group, type);
                if (invariants.Count == 0) continue;
                pairs.Add(new BlockPairBasis(o, i, invariants,
                    Indices(output.Blocks, o), Indices(input.Blocks, i)));
            }
        return new EquivariantBasis(input, output, pairs);
    }

    /// <summary>The basis as dense matrices (each Out.Dim × In.Dim, in the representations' own coordinates), in
    /// the order pair, output block, input block, basis vector.</summary>
    /// <exception cref="InvalidOperationException">more than <paramref name="maxEntries"/> numbers would be built.</exception>
    public IReadOnlyList<Matrix<double>> ToMatrices(long maxEntries = 50_000_000)
    {
        long entries = (long)Dim * Out.Dim * In.Dim;
        if (entries > maxEntries)
            throw new InvalidOperationException($"The dense basis would hold {entries} numbers (limit {maxEntries}); use Pairs.");
        var result = new List<Matrix<double>>(Dim);
        int n = Group.Size;
        foreach (var pair in Pairs)
        {
            int dOut = pair.Out.Dim(n), dIn = pair.In.Dim(n);
            foreach (int ob in pair.OutBlocks)
                foreach (int ib in pair.InBlocks)
                    foreach (var vector in pair.Basis)
                    {
                        var w = Matrix<double>.Build.Dense(Out.Dim, In.Dim);
                        int oOff = Out.BlockOffset(ob), iOff = In.BlockOffset(ib);
                        for (int a = 0; a < dOut; a++)
                            for (int b = 0; b < dIn; b++)
                                w[Out.Layout[oOff + a], In.Layout[iOff + b]] = vector[a * dIn + b];
                        result.Add(w);
                    }
        }
        return result;
    }

    /// <summary>The largest ‖ρ_out(g)W − Wρ_in(g)‖_max / max(1, ‖ρ_out(g)‖_max‖W‖_max) over the basis and
    /// <paramref name="elements"/>: how exactly the basis is equivariant.</summary>
    public double MaxEquivarianceError(IEnumerable<GroupElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var matrices = ToMatrices();
        double worst = 0;
        foreach (var g in elements)
        {
            var rhoOut = Out.Matrix(g);
            var rhoIn = In.Matrix(g);
            double scale = Math.Max(1.0, rhoOut.InfinityNorm());
            foreach (var w in matrices)
                worst = Math.Max(worst, (rhoOut * w - w * rhoIn).InfinityNorm() / (scale * Math.Max(1.0, w.InfinityNorm())));
        }
        return worst;
    }

    /// <inheritdoc />
    public override string ToString() => $"Hom_{Group.Name}({In.Name}, {Out.Name}): dimension {Dim}";

    private static int[] Indices(IReadOnlyList<TensorType> blocks, TensorType type) =>
        Enumerable.Range(0, blocks.Count).Where(b => blocks[b].Equals(type)).ToArray();
}
