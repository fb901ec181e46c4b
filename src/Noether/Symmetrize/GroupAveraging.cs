using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>Makes any model exactly equivariant to a finite group by averaging over it:
/// f̄(x) = |G|⁻¹ Σ_g ρ_out(g)⁻¹ f(ρ_in(g) x). With no output representation, f̄ is invariant.</summary>
/// <remarks>
/// Exact for finite groups (the average is over every element), at |G| times the cost of f. All
/// elements are evaluated in one batched call: the input is expanded to (|G|·batch, d).
/// Shapes: input (batch, ρ_in.Dim) → output (batch, outputs). Reference: the group-averaging /
/// symmetrization operator (e.g. Yarotsky 2018; Puny et al. 2022, frame averaging with the whole group).
/// </remarks>
/// <example><code>var invariant = new GroupAveraging(new Mlp(8, new[] { 64 }, 4), Group.Cyclic(8).Regular);</code></example>
public sealed class GroupAveraging : Module<Tensor, Tensor>, IEquivariant
{
    private readonly Module<Tensor, Tensor> _inner;
    // Buffers "input_matrices" (|G|, d_in, d_in) and "output_inverses" (|G|, d_out, d_out) = ρ_out(g)ᵀ are
    // looked up by name when used: Module.to(dtype/device) replaces registered tensors.

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">the model f, (batch, ρ_in.Dim) → (batch, outputs).</param>
    /// <param name="input">ρ_in, a representation of a finite group.</param>
    /// <param name="output">ρ_out, or null for an invariant output.</param>
    public GroupAveraging(Module<Tensor, Tensor> inner, Representation input, Representation? output = null) : base(nameof(GroupAveraging))
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(input);
        if (!input.Group.IsFinite)
            throw new ArgumentException($"Group averaging needs a finite group; {input.Group.Name} is continuous (use frame averaging or canonicalization).", nameof(input));
        if (output is not null && !output.Group.Equals(input.Group))
            throw new ArgumentException($"Input is of {input.Group.Name}, output of {output.Group.Name}.", nameof(output));
        _inner = inner;
        Input = input;
        Output = output;
        register_buffer("input_matrices", GroupMatrices.Stack(input).DetachFromDisposeScope(), persistent: false);
        if (output is not null) register_buffer("output_inverses", GroupMatrices.Stack(output, transpose: true).DetachFromDisposeScope(), persistent: false);
        RegisterComponents();
    }

    /// <summary>ρ_in.</summary>
    public Representation Input { get; }

    /// <summary>ρ_out, or null when the output is invariant.</summary>
    public Representation? Output { get; }

    /// <summary>The declared types: ρ_in on the input, ρ_out (or the trivial action) on the output — exact, as the
    /// average runs over the whole group.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new RepresentationAction(Input) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes =>
        new ITensorType[] { Output is null ? new TrivialAction(Input.Group) : new RepresentationAction(Output) };

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 2 || x.shape[1] != Input.Dim)
            throw new ArgumentException($"GroupAveraging expects (batch, {Input.Dim}); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var matrices = get_buffer("input_matrices")!.to(x.dtype, x.device);
        long g = matrices.shape[0], batch = x.shape[0];
        var transformed = einsum("gij,bj->gbi", matrices, x).reshape(g * batch, -1);
        var y = _inner.forward(transformed).reshape(g, batch, -1);
        if (Output is not null)
            y = einsum("gij,gbj->gbi", get_buffer("output_inverses")!.to(y.dtype, y.device), y);
        return y.mean(new long[] { 0 }).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"GroupAveraging({Input.Group.Name}, {_inner})";
}
