using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>The equivariant MLP: blocks of equivariant linear → (+ bilinear) → gated nonlinearity, then an
/// equivariant linear readout; optionally with residual pathways (RPP) for approximate symmetries.</summary>
/// <remarks>
/// Block: h = W_eq x (+ W_free x with residual pathways); h ← h + Bilinear(h); x ← Gate(h), with hidden rep Gated(H).
/// Equivariance: exact for any matrix group without residual pathways. With them (Finzi, Benton, Wilson 2021,
/// "Residual Pathway Priors for Soft Equivariance Constraints") every linear map is W_eq + W_free with an unconstrained
/// W_free; <see cref="PriorPenalty"/> puts a weak Gaussian prior on the equivariant weights and a strong one on the
/// free ones, so the model stays equivariant unless the data pays for the departure.
/// Shapes: input (batch, In.Dim) → output (batch, Out.Dim).
/// Connectivity: the constructor refuses (ArgumentException) a hidden representation through which some input block
/// cannot reach the output for any weights — e.g. four-vectors of the Lorentz group with hidden 32+16V+4T(2), where
/// no equivariant map or bilinear term leads from V to a scalar — since the model would silently ignore that input
/// and pass every equivariance check. The message names the blocks and suggests a hidden representation that works.
/// Without a hidden representation, <see cref="DefaultHidden"/> allocates one (EMLP's <c>uniform_rep</c>).
/// </remarks>
/// <example><code>var g = MatrixGroup.O(5);
/// var model = new Emlp(TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1", g), TensorRepresentation.Parse("32+16V+4T(2)", g), 3);
/// var byDefault = new Emlp(TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1", g));   // hidden 134+25V+5T(2)</code></example>
public sealed class Emlp : Module<Tensor, Tensor>, IEquivariant
{
    private readonly EquivariantLinear[] _linear;
    private readonly EquivariantBilinear[] _bilinear;
    private readonly TensorGate[] _gates;
    private readonly Module<Tensor, Tensor>[] _free;
    private readonly EquivariantLinear _readout;

    /// <summary>The input representation.</summary>
    public TensorRepresentation In { get; }

    /// <summary>The output representation.</summary>
    public TensorRepresentation Out { get; }

    /// <summary>True when every linear map has an unconstrained residual pathway (RPP).</summary>
    public bool ResidualPathways { get; }

    /// <summary>Creates the model; weights come from the global TorchSharp seed.</summary>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out.</param>
    /// <param name="hidden">the hidden representation H (its non-scalar blocks get gates).</param>
    /// <param name="layers">the number of hidden blocks (≥ 1).</param>
    /// <param name="residualPathways">add an unconstrained linear path next to each equivariant one (RPP).</param>
    public Emlp(TensorRepresentation input, TensorRepresentation output, TensorRepresentation hidden, int layers, bool residualPathways = false)
        : base(residualPathways ? "Rpp" : nameof(Emlp))
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(hidden);
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "An EMLP needs at least one hidden block.");
        // With residual pathways every block reaches the output through the unconstrained maps.
        if (!residualPathways) CheckConnected(input, output, hidden, layers);
        In = input;
        Out = output;
        ResidualPathways = residualPathways;
        var gated = TensorGate.Gated(hidden);
        _linear = new EquivariantLinear[layers];
        _bilinear = new EquivariantBilinear[layers];
        _gates = new TensorGate[layers];
        _free = new Module<Tensor, Tensor>[residualPathways ? layers + 1 : 0];
        var previous = input;
        for (int l = 0; l < layers; l++)
        {
            _linear[l] = new EquivariantLinear(previous, gated);
            _bilinear[l] = new EquivariantBilinear(gated);
            _gates[l] = new TensorGate(hidden);
            register_module($"linear{l}", _linear[l]);
            register_module($"bilinear{l}", _bilinear[l]);
            register_module($"gate{l}", _gates[l]);
            if (residualPathways)
            {
                _free[l] = ZeroLinear(previous.Dim, gated.Dim);
                register_module($"free{l}", _free[l]);
            }
            previous = hidden;
        }
        _readout = new EquivariantLinear(hidden, output);
        register_module("readout", _readout);
        if (residualPathways)
        {
            _free[layers] = ZeroLinear(hidden.Dim, output.Dim);
            register_module("free_readout", _free[layers]);
        }
    }

    /// <summary>Creates the model with the default hidden representation <see cref="DefaultHidden"/>(input, output, width, layers);
    /// weights come from the global TorchSharp seed.</summary>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out.</param>
    /// <param name="layers">the number of hidden blocks (≥ 1; EMLP's default is 3).</param>
    /// <param name="width">the hidden dimension to aim at (≥ 1; EMLP's default is 384 channels).</param>
    /// <param name="residualPathways">add an unconstrained linear path next to each equivariant one (RPP).</param>
    public Emlp(TensorRepresentation input, TensorRepresentation output, int layers = 3, int width = 384, bool residualPathways = false)
        : this(input, output, DefaultHidden(input, output, width, layers), layers, residualPathways)
    {
    }

    /// <summary>The default hidden representation: <see cref="UniformHidden"/>(group, width), plus — if some input
    /// block could not reach the output through it — the blocks that connect it (see <see cref="Emlp"/>'s remarks).</summary>
    /// <param name="input">ρ_in.</param>
    /// <param name="output">ρ_out.</param>
    /// <param name="width">the dimension to aim at (≥ 1).</param>
    /// <param name="layers">the number of hidden blocks the representation will serve (≥ 1).</param>
    public static TensorRepresentation DefaultHidden(TensorRepresentation input, TensorRepresentation output, int width = 384, int layers = 3)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "An EMLP needs at least one hidden block.");
        var hidden = UniformHidden(input.MatrixGroup, width);
        var disconnected = EmlpConnectivity.DisconnectedInputs(input, output, hidden, layers);
        return disconnected.Count == 0 ? hidden : Repair(input, output, hidden, layers, disconnected) ?? hidden;
    }

    /// <summary>EMLP's <c>uniform_rep</c>: <paramref name="width"/> channels spread over tensor ranks so that each rank
    /// gets about the same dimension, made deterministic.</summary>
    /// <remarks>
    /// With d = the group's matrix size: while channels c remain, take the largest rank R with (R+1)·d^R ≤ c, add
    /// d^(R−r) tensors of each rank r ≤ R (each rank then holds d^R numbers) and subtract (R+1)·d^R; the total
    /// dimension is exactly <paramref name="width"/>. For orthogonal groups (V* ≅ V) the n_r tensors of rank r are
    /// T(r); otherwise they are split over T(p, r−p) binomially, ⌊n_r/2^r⌋·C(r,p) each, and the remainder goes one each,
    /// in turn, to T(r,0), T(r−1,1), … (EMLP draws the remainder at random). Example: O(5), 384 → 134+25V+5T(2);
    /// Lorentz (d = 4), 384 → 112 scalars, 28 rank-1, 6 rank-2 and 1 rank-3 tensors.
    /// </remarks>
    /// <param name="group">the matrix group.</param>
    /// <param name="width">the dimension (≥ 1).</param>
    public static TensorRepresentation UniformHidden(Groups.MatrixGroup group, int width)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "The hidden width must be at least 1.");
        long d = group.Size;
        var counts = new List<long>();
        long left = width;
        while (left > 0)
        {
            int rank = 0;
            while ((rank + 2) * Power(d, rank + 1) <= left) rank++;
            while (counts.Count <= rank) counts.Add(0);
            for (int r = 0; r <= rank; r++) counts[r] += Power(d, rank - r);
            left -= (rank + 1) * Power(d, rank);
        }
        TensorRepresentation? hidden = null;
        void Add(long copies, int p, int q)
        {
            if (copies == 0) return;
            var block = (int)copies * TensorRepresentation.Tensor(group, p, q);
            hidden = hidden is null ? block : hidden + block;
        }
        for (int r = 0; r < counts.Count; r++)
        {
            if (r == 0 || group.IsOrthogonal) { Add(counts[r], r, 0); continue; }
            long even = counts[r] >> r, remainder = counts[r] - (even << r);
            for (int p = r; p >= 0; p--) Add(even * Binomial(r, p) + remainder / (r + 1) + (r - p < remainder % (r + 1) ? 1 : 0), p, r - p);
        }
        return hidden!;
    }

    private static long Power(long d, int k)
    {
        long result = 1;
        for (int i = 0; i < k; i++) result *= d;
        return result;
    }

    private static long Binomial(int n, int k)
    {
        long result = 1;
        for (int i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the input blocks that no path leads from to the output.</summary>
    private static void CheckConnected(TensorRepresentation input, TensorRepresentation output, TensorRepresentation hidden, int layers)
    {
        var disconnected = EmlpConnectivity.DisconnectedInputs(input, output, hidden, layers);
        if (disconnected.Count == 0) return;
        var fix = Repair(input, output, hidden, layers, disconnected);
        throw new ArgumentException(
            $"Input {DescribeBlocks(input, disconnected)} of '{input.Name}' cannot reach the output '{output.Name}' through the hidden representation " +
            $"'{hidden.Name}' on {input.MatrixGroup.Name}: every equivariant linear map, bilinear term and gate from them to the output is zero, so the " +
            "model would ignore them (and pass any equivariance check vacuously). " +
            (fix is null
                ? "Add hidden blocks that connect them, e.g. their duals or tensor products with them."
                : $"Try the hidden representation '{fix.Name}', which connects every input block."),
            nameof(hidden));
    }

    /// <summary>The first of: hidden plus m copies of the dual of the disconnected block types, of the types themselves,
    /// or of both (m = the number of hidden blocks of that rank), that connects every input block; null if none does.</summary>
    private static TensorRepresentation? Repair(TensorRepresentation input, TensorRepresentation output, TensorRepresentation hidden, int layers,
        IReadOnlyList<int> disconnected)
    {
        var group = input.MatrixGroup;
        var types = disconnected.Select(b => input.Blocks[b]).Distinct().ToArray();
        TensorRepresentation With(TensorRepresentation rep, TensorType type)
        {
            int copies = Math.Max(1, hidden.Blocks.Count(b => b.Rank == type.Rank));
            int q = type.Duals.Count(x => x);
            return rep + copies * TensorRepresentation.Tensor(group, type.Rank - q, q);
        }
        var candidates = new Func<TensorType, IEnumerable<TensorType>>[]
        {
            t => new[] { t.Dual() },
            t => new[] { t },
            t => new[] { t, t.Dual() },
        };
        foreach (var candidate in candidates)
        {
            var repaired = types.SelectMany(candidate).Distinct().Aggregate(hidden, With);
            if (EmlpConnectivity.DisconnectedInputs(input, output, repaired, layers).Count == 0) return repaired;
        }
        return null;
    }

    /// <summary>"blocks 0–3 (V) and 5 (T(2))": runs of consecutive blocks of one type.</summary>
    private static string DescribeBlocks(TensorRepresentation rep, IReadOnlyList<int> blocks)
    {
        var runs = new List<(int First, int Last)>();
        foreach (var b in blocks)
            if (runs.Count > 0 && runs[^1].Last == b - 1 && rep.Blocks[b].Equals(rep.Blocks[runs[^1].First])) runs[^1] = (runs[^1].First, b);
            else runs.Add((b, b));
        var parts = runs.Select(r => (r.First == r.Last ? $"{r.First}" : $"{r.First}–{r.Last}") + $" ({rep.Blocks[r.First]})");
        return (blocks.Count == 1 ? "block " : "blocks ") + string.Join(" and ", parts);
    }

    /// <summary>A residual pathway that starts at zero: the RPP model starts as the EMLP and its prior only lets the
    /// unconstrained path grow where the data pull it away from the symmetry (a random start would add
    /// symmetry-breaking noise that the prior must first remove).</summary>
    private static TorchSharp.Modules.Linear ZeroLinear(long inputs, long outputs)
    {
        var linear = Linear(inputs, outputs);
        using (no_grad())
        {
            linear.weight!.zero_();
            linear.bias!.zero_();
        }
        return linear;
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(In) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new RepresentationAction(Out) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var x = input;
        for (int l = 0; l < _linear.Length; l++)
        {
            var h = _linear[l].forward(x);
            if (ResidualPathways) h = h + _free[l].forward(x);
            h = h + _bilinear[l].forward(h);
            x = _gates[l].forward(h);
        }
        var y = _readout.forward(x);
        if (ResidualPathways) y = y + _free[^1].forward(x);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>The RPP prior: equivariantDecay·Σ‖θ_eq‖² + freeDecay·Σ‖θ_free‖² (a scalar tensor to add to the loss).</summary>
    public Tensor PriorPenalty(double equivariantDecay, double freeDecay)
    {
        using var scope = NewDisposeScope();
        Tensor total = zeros(1);
        foreach (var (name, p) in named_parameters())
        {
            double decay = name.StartsWith("free", StringComparison.Ordinal) ? freeDecay : equivariantDecay;
            if (decay != 0) total = total + decay * p.pow(2).sum();
        }
        return total.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"{(ResidualPathways ? "Rpp" : "Emlp")}({In.Name} -> {Out.Name}, {_linear.Length} blocks)";
}
