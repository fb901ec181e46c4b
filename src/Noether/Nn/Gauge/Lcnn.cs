using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Gauge;

/// <summary>A lattice gauge-equivariant CNN: plaquettes (and Polyakov loops) as adjoint inputs, a stack of
/// L-Conv + L-Bilin (+ L-Act) blocks, trace pooling, and a per-site dense readout.</summary>
/// <remarks>
/// Block i: W ← LBilin(LConv(U, W), W) (then L-Act when <c>activation</c> is on). The readout reads the
/// gauge-invariant traces of the last block at each site, linear plus a one-hidden-layer ReLU MLP, so
/// the whole model is exactly gauge invariant and translation equivariant, and runs on any lattice size.
/// Shapes: links (batch, d, L_1..L_d, N, N) complex → (batch, outputs, L_1..L_d) real.
/// Reference: Favoni, Ipp, Müller &amp; Schuh, PRL 128, 032003 (2022).
/// </remarks>
/// <example><code>var model = new Lcnn(GaugeGroup.SU2, 2, new[] { 8, 8 }, new[] { 1, 1 }, outputs: 1);
/// var loops = model.forward(links);   // (batch, 1, L, L)</code></example>
public sealed class Lcnn : Module<Tensor, Tensor>, IEquivariant
{
    private readonly ModuleList<LConv> convs;
    private readonly ModuleList<LBilin> bilins;
    private readonly LAct? act;
    private readonly TracePool pool;
    private readonly Linear linear;
    private readonly Linear hidden;
    private readonly Linear output;

    /// <summary>Creates the model.</summary>
    /// <param name="group">U(1) or SU(2).</param>
    /// <param name="dimensions">d ≥ 2.</param>
    /// <param name="channels">adjoint channels of each block (at least one block).</param>
    /// <param name="reaches">the L-Conv reach K of each block (same length as <paramref name="channels"/>).</param>
    /// <param name="outputs">per-site outputs.</param>
    /// <param name="polyakov">whether the Polyakov loops (one per direction) are input channels next to the plaquettes.</param>
    /// <param name="activation">whether each block ends with a sigmoid <see cref="LAct"/>.</param>
    /// <param name="hiddenUnits">width of the readout's hidden layer.</param>
    /// <param name="seed">seed of the initial weights.</param>
    public Lcnn(GaugeGroup group, int dimensions, int[] channels, int[] reaches, int outputs, bool polyakov = true,
        bool activation = false, int hiddenUnits = 32, long seed = 0) : base(nameof(Lcnn))
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(reaches);
        if (dimensions < 2) throw new ArgumentException($"Plaquettes need d ≥ 2; got {dimensions}.", nameof(dimensions));
        if (channels.Length < 1 || channels.Length != reaches.Length)
            throw new ArgumentException($"Need one reach per block and at least one block; got {channels.Length} channel counts and {reaches.Length} reaches.", nameof(reaches));
        if (outputs < 1 || hiddenUnits < 1) throw new ArgumentException($"Outputs and hidden units must be ≥ 1; got {outputs} and {hiddenUnits}.", nameof(outputs));
        Group = group;
        Dimensions = dimensions;
        Polyakov = polyakov;
        Outputs = outputs;
        InputChannels = dimensions * (dimensions - 1) / 2 + (polyakov ? dimensions : 0);
        convs = new ModuleList<LConv>();
        bilins = new ModuleList<LBilin>();
        int c = InputChannels;
        for (int i = 0; i < channels.Length; i++)
        {
            convs.Add(new LConv(dimensions, c, channels[i], reaches[i], bias: true, seed: seed * 1000 + 2 * i) { Group = group });
            bilins.Add(new LBilin(channels[i], c, channels[i], seed: seed * 1000 + 2 * i + 1) { Group = group, Dimensions = dimensions });
            c = channels[i];
        }
        // One activation for every block (it works on any number of channels); it and the pool declare the last block's.
        if (activation) act = new LAct { Group = group, Dimensions = dimensions, Channels = channels[^1] };
        pool = new TracePool { Group = group, Dimensions = dimensions, Channels = channels[^1] };
        // The Linear initialisers draw from the global generator: seeded for them alone, then put back.
        (linear, hidden, output) = Runtime.TorchRuntime.WithSeed(seed, () => (Linear(2 * c, outputs), Linear(2 * c, hiddenUnits), Linear(hiddenUnits, outputs)));
        RegisterComponents();
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>d.</summary>
    public int Dimensions { get; }

    /// <summary>Whether Polyakov loops are inputs.</summary>
    public bool Polyakov { get; }

    /// <summary>Per-site outputs.</summary>
    public int Outputs { get; }

    /// <summary>Adjoint input channels: d(d−1)/2 plaquettes (+ d Polyakov loops).</summary>
    public int InputChannels { get; }

    /// <summary>The adjoint input features: the plaquettes P_μν (μ &lt; ν) and, if on, the Polyakov loops.</summary>
    /// <returns>(batch, <see cref="InputChannels"/>, L.., N, N).</returns>
    public Tensor InputFeatures(Tensor links)
    {
        using var scope = NewDisposeScope();
        var features = new List<Tensor>();
        for (int mu = 0; mu < Dimensions; mu++)
            for (int nu = mu + 1; nu < Dimensions; nu++)
                features.Add(WilsonLoops.Plaquette(links, mu, nu));
        if (Polyakov)
            for (int mu = 0; mu < Dimensions; mu++)
                features.Add(WilsonLoops.Polyakov(links, mu));
        return stack(features, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The number of L-Conv + L-Bilin blocks.</summary>
    public int BlockCount => convs.Count;

    /// <summary>Block <paramref name="index"/>: W ← LBilin(LConv(U, W), W), then L-Act if on (gauge covariant).</summary>
    /// <param name="index">0..<see cref="BlockCount"/>−1.</param>
    /// <param name="links">(batch, d, L.., N, N) in the model's complex dtype.</param>
    /// <param name="features">the block's adjoint input (batch, C, L.., N, N).</param>
    public Tensor Block(int index, Tensor links, Tensor features)
    {
        if (index < 0 || index >= convs.Count) throw new ArgumentException($"Block index must be in 0..{convs.Count - 1}; got {index}.", nameof(index));
        using var scope = NewDisposeScope();
        var w = bilins[index].forward(convs[index].forward(links, features), features);
        if (act is not null) w = act.forward(w);
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>The complex dtype the model computes in (complex64 for float32 parameters).</summary>
    public ScalarType ComplexType => GaugeFeatures.ComplexType(linear.weight!.dtype);

    /// <summary>The adjoint features after the last block (before trace pooling).</summary>
    public Tensor Features(Tensor links)
    {
        CheckLinks(links);
        using var scope = NewDisposeScope();
        var u = links.to_type(ComplexType);
        var w = InputFeatures(u);
        for (int i = 0; i < convs.Count; i++)
            w = Block(i, u, w);
        return w.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new GaugeLinkType(Group, Dimensions) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(new GaugeSymmetry(Group), new long[] { Outputs }.Concat(Enumerable.Repeat(-1L, Dimensions)).ToArray()) };

    /// <inheritdoc />
    public override Tensor forward(Tensor links)
    {
        using var scope = NewDisposeScope();
        var invariants = pool.forward(Features(links));
        // Per-site dense readout: channels last, Linear, channels back to axis 1.
        var perSite = invariants.movedim(new long[] { 1 }, new long[] { invariants.dim() - 1 });
        var y = linear.forward(perSite) + output.forward(functional.relu(hidden.forward(perSite)));
        return y.movedim(new long[] { y.dim() - 1 }, new long[] { 1 }).contiguous().MoveToOuterDisposeScope();
    }

    private void CheckLinks(Tensor links)
    {
        GaugeLinks.Validate(links);
        if (GaugeLinks.Dimensions(links) != Dimensions)
            throw new ArgumentException($"The model is for {Dimensions}-dimensional lattices; got links [{string.Join(", ", links.shape)}].", nameof(links));
        if (GaugeLinks.Group(links) != Group)
            throw new ArgumentException($"The model is for {Group.Name()}; got {GaugeLinks.Group(links).Name()} links.", nameof(links));
    }

    /// <inheritdoc />
    public override string ToString() => $"Lcnn({Group.Name()}, d={Dimensions}, blocks {string.Join(",", convs.Select(c => c.OutChannels))})";
}
