using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>EMLP's gated nonlinearity: scalars pass through swish; every non-scalar block is multiplied by the
/// sigmoid of its own gate scalar, appended after the representation.</summary>
/// <remarks>
/// Equivariance: any matrix group (gates are invariant scalars, a scalar times a block commutes with ρ).
/// Input rep: <see cref="Gated"/>(Rep) = Rep ⊕ k·S with k non-scalar blocks; output rep: Rep.
/// Shapes: input (batch, Gated(Rep).Dim) → output (batch, Rep.Dim).
/// Reference: Weiler et al. 2018 (gated nonlinearities); Finzi et al. 2021 (EMLP).
/// </remarks>
/// <example><code>var gate = new TensorGate(TensorRepresentation.Parse("8+4V", MatrixGroup.SO(3)));</code></example>
public sealed class TensorGate : Module<Tensor, Tensor>, IEquivariant
{
    /// <summary>The output representation.</summary>
    public TensorRepresentation Rep { get; }

    /// <summary>The input representation, Rep plus one gate scalar per non-scalar block.</summary>
    public TensorRepresentation In { get; }

    /// <summary>Creates the gate for <paramref name="rep"/>.</summary>
    public TensorGate(TensorRepresentation rep) : base(nameof(TensorGate))
    {
        Rep = rep ?? throw new ArgumentNullException(nameof(rep));
        In = Gated(rep);
        int n = rep.MatrixGroup.Size;
        var scalarCoords = new List<long>();
        var gatedCoords = new List<long>();
        var gateOfCoord = new List<long>();
        int gate = 0;
        for (int b = 0; b < rep.Blocks.Count; b++)
        {
            int d = rep.Blocks[b].Dim(n);
            var coords = Enumerable.Range(0, d).Select(t => (long)rep.Layout[rep.BlockOffset(b) + t]);
            if (rep.Blocks[b].Rank == 0) scalarCoords.AddRange(coords);
            else
            {
                gatedCoords.AddRange(coords);
                gateOfCoord.AddRange(Enumerable.Repeat((long)(rep.Dim + gate), d));
                gate++;
            }
        }
        register_buffer("scalar_index", tensor(scalarCoords.ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope());
        register_buffer("gated_index", tensor(gatedCoords.ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope());
        register_buffer("gate_index", tensor(gateOfCoord.ToArray(), dtype: ScalarType.Int64).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>Rep ⊕ k·S, k = the number of non-scalar blocks of <paramref name="rep"/> (a rep with gates appended).</summary>
    public static TensorRepresentation Gated(TensorRepresentation rep)
    {
        ArgumentNullException.ThrowIfNull(rep);
        int k = rep.Blocks.Count(b => b.Rank > 0);
        return k == 0 ? rep : rep + k * TensorRepresentation.Scalar(rep.MatrixGroup);
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new RepresentationAction(Rep) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 2 || input.shape[1] != In.Dim)
            throw new ArgumentException($"TensorGate expects (batch, {In.Dim}); got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var y = zeros(input.shape[0], Rep.Dim, dtype: input.dtype, device: input.device);
        var scalarIndex = get_buffer("scalar_index")!;
        var gatedIndex = get_buffer("gated_index")!;
        if (scalarIndex.shape[0] > 0)
            y.index_copy_(1, scalarIndex, functional.silu(input.index_select(1, scalarIndex)));
        if (gatedIndex.shape[0] > 0)
        {
            var gates = functional.sigmoid(input.index_select(1, get_buffer("gate_index")!));
            y.index_copy_(1, gatedIndex, input.index_select(1, gatedIndex) * gates);
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"TensorGate({Rep.Name})";
}
