using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>The one equivariance contract: a module that declares how each of its inputs and outputs transforms,
/// f(τ·x₁, …, τ·x_k) = τ·f(x₁, …, x_k) for every τ of one <see cref="Symmetry"/>. The generic checker
/// (<see cref="EquivarianceCheck.Of(Module, int, int, int, int, bool, ScalarType?)"/>), the per-layer diagnostics and the static
/// type check read it.</summary>
/// <remarks>
/// <para>Types are <see cref="ITensorType"/>s: field types on images (<see cref="IFieldEquivariant"/>), Cartesian
/// vectors ⊕ irreps on points (<see cref="IrrepsAction"/>), tensor representations (<see cref="RepresentationAction"/>),
/// permutations of a set or graph axis (<see cref="PermutationType"/>, <see cref="EdgeIndexType"/>), gauge
/// transformations (<see cref="GaugeLinkType"/>, <see cref="AdjointFieldType"/>), invariants
/// (<see cref="InvariantType"/>, <see cref="TrivialAction"/>). A module of several tensors (a tensor product of two
/// inputs, EGNN's features and positions) lists one type per argument of its forward, in order; all share one symmetry.</para>
/// <para>Reference: escnn's <c>in_type</c>/<c>out_type</c>, e3nn's <c>irreps_in</c>/<c>irreps_out</c> read by
/// <c>assert_equivariant</c>.</para>
/// </remarks>
public interface IEquivariant
{
    /// <summary>How each argument of forward transforms, in order (one entry for a module of one tensor).</summary>
    IReadOnlyList<ITensorType> InputTypes { get; }

    /// <summary>How each output transforms, in order (one entry for a module that returns one tensor).</summary>
    IReadOnlyList<ITensorType> OutputTypes { get; }

    /// <summary>Runs the module on one tensor per <see cref="InputTypes"/> entry and returns one per
    /// <see cref="OutputTypes"/> entry. The default calls the typed <c>forward</c> of a TorchSharp module of one, two or
    /// three tensors; a module with another signature (EGNN's <c>Forward</c> returning a pair) overrides it.</summary>
    /// <exception cref="NotSupportedException">the module has no typed forward of that many tensors.</exception>
    IReadOnlyList<Tensor> Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return (this, inputs.Count) switch
        {
            (Module<Tensor, Tensor> m, 1) => new[] { m.forward(inputs[0]) },
            (Module<Tensor, Tensor, Tensor> m, 2) => new[] { m.forward(inputs[0], inputs[1]) },
            (Module<Tensor, Tensor, Tensor, Tensor> m, 3) => new[] { m.forward(inputs[0], inputs[1], inputs[2]) },
            _ => throw new NotSupportedException(
                $"{GetType().Name} has no forward of {inputs.Count} tensor(s); implement IEquivariant.Invoke or pass a function to EquivarianceCheck.Of."),
        };
    }
}
