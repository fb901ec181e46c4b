using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Group pooling: each permutation field becomes one invariant (trivial) channel, the max or the
/// mean over the field's channels (the group axis of a G-CNN feature map).</summary>
/// <remarks>
/// <para>Math: out[b, f, y, x] = max_{c ∈ f} in[b, c, y, x] (or the mean).</para>
/// <para>Equivariance: ρ(g) only permutes the channels of a permutation field (trivial, regular, quotient;
/// checked on the generators), which leaves their max and mean unchanged, so the output is a trivial field
/// that only moves with the pixels: out(g·x) = g·out(x) with Out = fields × trivial. Exact for every g.</para>
/// <para>Shapes: (batch, In.Size, H, W) → (batch, number of fields, H, W).</para>
/// <para>Reference: escnn <c>GroupPooling</c>; Cohen &amp; Welling 2016 (pooling over rotations).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(8);
/// var pool = new GroupPooling(space.Regular(16));   // 128 channels → 16 invariant channels
/// </code></example>
public sealed class GroupPooling : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly IReadOnlyList<(int Start, int Fields, int Dim)> _runs;

    /// <summary>The input field type (permutation fields).</summary>
    public FieldType In { get; }
    /// <summary>The output field type: one trivial field per input field.</summary>
    public FieldType Out { get; }
    /// <summary>Max or average.</summary>
    public GroupPoolingMode Mode { get; }

    /// <summary>Creates the layer.</summary>
    /// <param name="input">field type whose fields are all permutation representations.</param>
    /// <param name="mode">max (default) or average over each field's channels.</param>
    public GroupPooling(FieldType input, GroupPoolingMode mode = GroupPoolingMode.Max) : base(nameof(GroupPooling))
    {
        FieldLayout.RequirePlane(input, nameof(GroupPooling), nameof(input));
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"Unknown group pooling mode {mode}.", nameof(mode));
        // The max and the mean of a vector are invariant under permutations, not under other orthogonal maps.
        FieldLayout.RequirePermutationFields(input, nameof(GroupPooling), nameof(input));
        In = input;
        Out = FieldType.Repeat(input.Space, input.Space.Group.TrivialIrrep, input.Representations.Count);
        Mode = mode;
        _runs = FieldLayout.Runs(input);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(GroupPooling));
        using var scope = NewDisposeScope();
        long b = input.shape[0], h = input.shape[2], w = input.shape[3];
        var parts = new List<Tensor>(_runs.Count);
        foreach (var (start, fields, dim) in _runs)
        {
            var run = input.narrow(1, start, (long)fields * dim).reshape(b, fields, dim, h, w);
            parts.Add(Mode == GroupPoolingMode.Max ? run.amax(new long[] { 2 }) : run.mean(new long[] { 2 }));
        }
        var output = parts.Count == 1 ? parts[0] : cat(parts, 1);
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GroupPooling({Mode}, [{In.Description}] -> {Out.Representations.Count} invariant channels)";
}
