using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Turns each field into one invariant scalar: its Euclidean norm ‖x_f‖ at every pixel.</summary>
/// <remarks>
/// Invariance: ‖ρ(g)x‖ = ‖x‖ for orthogonal ρ, so Out is one trivial field per input field.
/// Shapes: (batch, In.Size, H, W) → (batch, number of fields, H, W). An ε inside the square root keeps
/// the gradient finite at 0. Reference: escnn's <c>NormPool</c>.
/// </remarks>
public sealed class InvariantNorms : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly long[] _fieldOfChannel;

    /// <summary>Norms of the fields of <paramref name="input"/>.</summary>
    public InvariantNorms(FieldType input) : base(nameof(InvariantNorms))
    {
        In = input ?? throw new ArgumentNullException(nameof(input));
        if (input.Space is not GSpace2D space) throw new ArgumentException($"InvariantNorms needs a 2D gspace; got {input.Space.Name}.", nameof(input));
        Out = space.Trivial(input.Representations.Count);
        _fieldOfChannel = input.Representations.SelectMany((r, f) => Enumerable.Repeat((long)f, r.Dim)).ToArray();
        register_buffer("field_of_channel", tensor(_fieldOfChannel).DetachFromDisposeScope(), persistent: false);
    }

    /// <inheritdoc />
    public FieldType In { get; }

    /// <inheritdoc />
    public FieldType Out { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != In.Size)
            throw new ArgumentException($"InvariantNorms expects (batch, {In.Size}, H, W) for [{In.Description}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var squares = input.pow(2);
        var sums = zeros(new long[] { input.shape[0], Out.Size, input.shape[2], input.shape[3] }, dtype: input.dtype, device: input.device)
            .index_add(1, get_buffer("field_of_channel")!.to(input.device), squares, 1);
        return (sums + 1e-12).sqrt().MoveToOuterDisposeScope();
    }
}
