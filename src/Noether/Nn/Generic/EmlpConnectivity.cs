using Noether.Equivariance;
using Noether.Representations;

namespace Noether.Nn.Generic;

/// <summary>Which input blocks of an <see cref="Emlp"/> can influence its output at all, read from the block
/// structure of the solved equivariant bases (no weights, no data).</summary>
/// <remarks>
/// The EMLP is a chain of stages whose coordinates come in tensor blocks. Block b of one stage feeds block c of
/// the next when some map of the architecture from b to c can be non-zero:
/// <list type="bullet">
/// <item>equivariant linear: the basis of Hom(T_b, T_c) is non-empty (<see cref="EquivariantBasis"/>; the bias is no
/// path, since it does not depend on the input);</item>
/// <item>h + bilinear(h): b feeds itself (the residual), and each bilinear term y_o = Σ X_s x_i makes every input
/// block i and every source block s feed every output block o (<see cref="EquivariantBilinear.Terms"/>);</item>
/// <item>gate: each block feeds the same block, and the gate scalar of a non-scalar block feeds that block.</item>
/// </list>
/// An input block is disconnected when no path leads from it to any output block; the network's output then does
/// not depend on it for any weights, and an equivariance check would pass vacuously. The rule over-approximates
/// paths (a bilinear source that is itself always zero still counts), so it never rejects a network in which an
/// input block can reach the output.
/// </remarks>
internal static class EmlpConnectivity
{
    /// <summary>The input blocks (indices into <paramref name="input"/>.Blocks) with no path to any output block.</summary>
    public static IReadOnlyList<int> DisconnectedInputs(TensorRepresentation input, TensorRepresentation output, TensorRepresentation hidden, int layers)
    {
        var gated = TensorGate.Gated(hidden);
        // Walk backwards: alive[b] = block b of the current stage reaches some output block.
        var alive = Enumerable.Repeat(true, output.Blocks.Count).ToArray();
        alive = ThroughLinear(hidden, output, alive);
        for (int l = layers - 1; l >= 0; l--)
        {
            alive = ThroughGate(hidden, gated, alive);
            alive = ThroughBilinear(gated, alive);
            alive = ThroughLinear(l == 0 ? input : hidden, gated, alive);
        }
        return Enumerable.Range(0, input.Blocks.Count).Where(b => !alive[b]).ToArray();
    }

    /// <summary>alive on the input of an equivariant linear map, given alive on its output.</summary>
    private static bool[] ThroughLinear(TensorRepresentation from, TensorRepresentation to, bool[] aliveOut)
    {
        var aliveIn = new bool[from.Blocks.Count];
        foreach (var pair in EquivariantBasis.Solve(from, to).Pairs)
            if (pair.OutBlocks.Any(o => aliveOut[o]))
                foreach (var i in pair.InBlocks) aliveIn[i] = true;
        return aliveIn;
    }

    /// <summary>alive on the input of h ↦ h + bilinear(h).</summary>
    private static bool[] ThroughBilinear(TensorRepresentation rep, bool[] aliveOut)
    {
        var aliveIn = (bool[])aliveOut.Clone();
        foreach (var (outs, ins, sources) in EquivariantBilinear.Terms(rep))
            if (outs.Any(o => aliveOut[o]))
                foreach (var b in ins.Concat(sources)) aliveIn[b] = true;
        return aliveIn;
    }

    /// <summary>alive on Gated(H) = H ⊕ k·S given alive on H: block b and, for non-scalar b, its gate scalar.</summary>
    private static bool[] ThroughGate(TensorRepresentation hidden, TensorRepresentation gated, bool[] aliveOut)
    {
        var aliveIn = new bool[gated.Blocks.Count];
        int gate = 0;
        for (int b = 0; b < hidden.Blocks.Count; b++)
        {
            aliveIn[b] = aliveOut[b];
            if (hidden.Blocks[b].Rank == 0) continue;
            aliveIn[hidden.Blocks.Count + gate] = aliveOut[b];
            gate++;
        }
        return aliveIn;
    }
}
