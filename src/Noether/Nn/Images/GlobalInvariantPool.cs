using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>The end of an equivariant image network: every field, of any type, becomes one invariant number per
/// image — group pooling for permutation fields, the norm for the others, then the spatial average.</summary>
/// <remarks>
/// <para>Math: for field f with channels x_f(p) at pixel p,
/// z_f(p) = max_c x_{f,c}(p) (or the mean) when ρ_f is a permutation representation (trivial, regular, quotient;
/// a trivial field passes unchanged), and z_f(p) = ‖x_f(p)‖ otherwise (irreps, or any orthogonal field);
/// out[b, f] = (1/HW) Σ_p z_f(p).</para>
/// <para>Invariance: z_f(g·x)(p) = z_f(x)(g⁻¹p) since a permutation leaves max and mean unchanged and an orthogonal
/// ρ_f(g) leaves the norm unchanged; the average over all pixels does not depend on how the pixels are permuted.
/// Exact for the lattice elements of the gspace (90° rotations, flips) on square inputs; approximate for other
/// angles (interpolation). Composed of <see cref="GroupPooling"/> and <see cref="InvariantNorms"/>.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, number of fields). Out is one trivial field per input field
/// with the spatial axes averaged away (as in <see cref="SteerableCnn"/>'s logits), so check it with a
/// <see cref="TrivialAction"/> output (<see cref="EquivarianceCheck.Invariance"/>).</para>
/// <para>Reference: escnn <c>GroupPooling</c> + <c>NormPool</c> + global average pooling.</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.FlipsRotations(4);
/// var type = space.Regular(4) + space.Irrep("E1", 2) + space.Trivial(3);
/// var pool = new GlobalInvariantPool(type);    // (batch, 4·8 + 2·2 + 3, H, W) → (batch, 9)
/// </code></example>
public sealed class GlobalInvariantPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly GroupPooling? _groupPooling;
    private readonly InvariantNorms? _norms;
    private readonly bool _permutationOnly;

    /// <summary>The input field type (any fields of a 2D gspace; non-permutation fields must be orthogonal).</summary>
    public FieldType In { get; }

    /// <summary>One trivial field per input field; the output has no spatial axes.</summary>
    public FieldType Out { get; }

    /// <summary>The output as the checker sees it: (batch, fields), invariant (no spatial axes to act on).</summary>
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new TrivialAction(Out.Space.Group, Out.Size) };

    /// <summary>How permutation fields are reduced (max or mean over their channels).</summary>
    public GroupPoolingMode Mode { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">any field type of a 2D gspace: regular, quotient, trivial, irreps, or a mix.</param>
    /// <param name="mode">max (default) or average over the channels of each permutation field.</param>
    /// <exception cref="ArgumentException">not a 2D gspace, or a non-permutation field that is not orthogonal (its norm
    /// would not be invariant).</exception>
    public GlobalInvariantPool(FieldType input, GroupPoolingMode mode = GroupPoolingMode.Max) : base(nameof(GlobalInvariantPool))
    {
        var space = FieldLayout.RequirePlane(input, nameof(GlobalInvariantPool), nameof(input));
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"Unknown group pooling mode {mode}.", nameof(mode));
        var permutation = new List<int>();
        var other = new List<int>();
        for (int f = 0; f < input.Representations.Count; f++)
            (FieldLayout.IsPermutation(input.Representations[f]) ? permutation : other).Add(f);
        if (other.Count > 0)
            FieldLayout.RequireOrthogonalFields(Sub(space, input, other), nameof(GlobalInvariantPool), nameof(input));
        In = input;
        Out = space.Trivial(input.Representations.Count);
        Mode = mode;
        _permutationOnly = other.Count == 0;
        if (permutation.Count > 0) _groupPooling = new GroupPooling(Sub(space, input, permutation), mode);
        if (other.Count > 0) _norms = new InvariantNorms(Sub(space, input, other));
        if (!_permutationOnly)
        {
            // The two groups of fields are pooled apart, then put back in the input's field order.
            var offsets = FieldLayout.Offsets(input);
            long[] Channels(List<int> fields) => fields.SelectMany(f => Enumerable.Range(offsets[f], input.Representations[f].Dim).Select(c => (long)c)).ToArray();
            var pooledOrder = permutation.Concat(other).ToArray();
            var order = new long[pooledOrder.Length];
            for (int k = 0; k < pooledOrder.Length; k++) order[pooledOrder[k]] = k;
            register_buffer("permutation_channels", tensor(Channels(permutation)).DetachFromDisposeScope(), persistent: false);
            register_buffer("other_channels", tensor(Channels(other)).DetachFromDisposeScope(), persistent: false);
            register_buffer("field_order", tensor(order).DetachFromDisposeScope(), persistent: false);
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(GlobalInvariantPool));
        using var scope = NewDisposeScope();
        Tensor pooled;
        if (_permutationOnly) pooled = _groupPooling!.forward(input);
        else
        {
            var parts = new List<Tensor>(2);
            if (_groupPooling is not null) parts.Add(_groupPooling.forward(input.index_select(1, get_buffer("permutation_channels")!)));
            parts.Add(_norms!.forward(input.index_select(1, get_buffer("other_channels")!)));
            pooled = (parts.Count == 1 ? parts[0] : cat(parts, 1)).index_select(1, get_buffer("field_order")!);
        }
        return pooled.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GlobalInvariantPool({Mode}, [{In.Description}] -> {Out.Size} invariants)";

    private static FieldType Sub(GSpace2D space, FieldType type, List<int> fields) =>
        new(space, fields.Select(f => type.Representations[f]));
}
