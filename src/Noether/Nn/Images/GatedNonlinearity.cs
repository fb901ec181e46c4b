using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Gated nonlinearity: each gated field is multiplied by the sigmoid of its own scalar gate,
/// out_i = x_i · sigmoid(s_i).</summary>
/// <remarks>
/// <para>Input layout: In = gates ⊕ gated, the k gate channels first (trivial fields, one per gated
/// field, in the same order), then the k gated fields (any representation). Out = gated.</para>
/// <para>Equivariance: a gate s_i is invariant, so sigmoid(s_i) is an invariant scalar and
/// ρ(g)x_i · sigmoid(s_i) = ρ(g)(x_i · sigmoid(s_i)) for every g and every gated representation; the map is
/// pixelwise, so it commutes with moving pixels (exactly for 90° rotations and flips, up to the
/// interpolation of the action itself for other angles).</para>
/// <para>Shapes: input (batch, k + gated.Size, height, width) → output (batch, gated.Size, height, width).</para>
/// <para>Reference: escnn <c>GatedNonLinearity1</c>; Weiler et al. 2018, "3D Steerable CNNs".</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(8);
/// var gate = new GatedNonlinearity(space.Trivial(4), space.Irrep("E1", 2) + space.Irrep("E2", 2));
/// // in: 4 gates + 8 channels, out: the 8 gated channels
/// </code></example>
public sealed class GatedNonlinearity : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly int _gateCount;

    /// <summary>The input field type: <see cref="Gates"/> ⊕ <see cref="Out"/>.</summary>
    public FieldType In { get; }
    /// <summary>The output field type: the gated fields.</summary>
    public FieldType Out { get; }
    /// <summary>The gate fields (trivial, one channel each).</summary>
    public FieldType Gates { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="gates">k trivial one-dimensional fields.</param>
    /// <param name="gated">k fields of any representation, of the same gspace; field i is gated by gate i.</param>
    public GatedNonlinearity(FieldType gates, FieldType gated) : base(nameof(GatedNonlinearity))
    {
        FieldLayout.RequirePlane(gates, nameof(GatedNonlinearity), nameof(gates));
        FieldLayout.RequirePlane(gated, nameof(GatedNonlinearity), nameof(gated));
        if (!gates.Space.Equals(gated.Space))
            throw new ArgumentException($"Gates and gated fields must share a gspace; got {gates.Space.Name} and {gated.Space.Name}.", nameof(gated));
        for (int f = 0; f < gates.Representations.Count; f++)
        {
            var rep = gates.Representations[f];
            // A gate must be invariant: a non-trivial gate would make sigmoid(s) depend on the pose.
            if (rep.Dim != 1 || !rep.IsTrivial)
                throw new ArgumentException(
                    $"Gates must be trivial one-dimensional fields, but gate {f} is '{rep.Name}' (dimension {rep.Dim}) in [{gates.Description}].", nameof(gates));
        }
        if (gates.Representations.Count != gated.Representations.Count)
            throw new ArgumentException(
                $"GatedNonlinearity needs one gate per gated field: expected {gated.Representations.Count} gates for [{gated.Description}], got {gates.Representations.Count}.",
                nameof(gates));
        Gates = gates;
        Out = gated;
        In = gates + gated;
        _gateCount = gates.Size;
        register_buffer("field_of", tensor(FieldLayout.FieldOfChannel(gated)).DetachFromDisposeScope(), persistent: false);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(GatedNonlinearity));
        using var scope = NewDisposeScope();
        var gates = input.narrow(1, 0, _gateCount).sigmoid().index_select(1, get_buffer("field_of")!);
        return (input.narrow(1, _gateCount, Out.Size) * gates).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GatedNonlinearity([{Gates.Description}] gating [{Out.Description}])";
}
