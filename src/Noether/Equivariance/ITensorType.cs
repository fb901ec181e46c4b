using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>How a tensor transforms: the one vocabulary every equivariant module uses to declare its inputs and
/// outputs (<see cref="IEquivariant"/>), whatever the domain.</summary>
/// <remarks>
/// <para>Implementations: every <see cref="IGroupAction"/> (a group acting by g: <see cref="FieldType"/> and
/// <see cref="FieldAction"/> on images, <see cref="IrrepsAction"/> on points (Cartesian vectors ⊕ irreps),
/// <see cref="RepresentationAction"/> for EMLP's tensor representations, <see cref="TrivialAction"/>,
/// <see cref="FunctionAction"/>); <see cref="PermutationType"/> and <see cref="EdgeIndexType"/> (permutations of
/// set elements and graph nodes); <see cref="GaugeLinkType"/> and <see cref="AdjointFieldType"/> (local gauge
/// transformations); <see cref="InvariantType"/> (any symmetry acting trivially).</para>
/// <para>Contract: <see cref="Transform"/> never disposes its input and returns a fresh tensor (STYLE.md §6).
/// Types are compared with <c>Equals</c> when modules are chained.</para>
/// </remarks>
public interface ITensorType
{
    /// <summary>The symmetry acting on tensors of this type; the inputs and outputs of one module share it.</summary>
    Symmetry Symmetry { get; }

    /// <summary>τ · x.</summary>
    /// <param name="t">a transformation drawn from <see cref="Symmetry"/>.</param>
    /// <param name="x">a tensor of this type.</param>
    Tensor Transform(Transformation t, Tensor x);

    /// <summary>A random tensor of this type, for checks that need no data.</summary>
    /// <param name="batch">entries on axis 0 (ignored where <see cref="HasBatchAxis"/> is false).</param>
    /// <param name="size">the length of every free axis: pixels per side, set elements, points, graph nodes, lattice sites per side.</param>
    /// <param name="dtype">the real dtype of the model (complex types use the matching complex dtype).</param>
    /// <param name="generator">the seeded source.</param>
    /// <exception cref="NotSupportedException">the type does not know the shape of its tensors.</exception>
    Tensor Sample(int batch, int size, ScalarType dtype, Generator generator);

    /// <summary>True when axis 0 is a batch of independent entries (the relative error is taken per entry); false
    /// for a whole graph's nodes (nodes, features), where the whole tensor is one entry.</summary>
    bool HasBatchAxis => true;

    /// <summary>True when every transformation only permutes entries (and moves positions), so that a pointwise
    /// nonlinearity (ReLU, ELU, …) commutes with it: permutation fields, scalars, set and node features.</summary>
    bool AllowsPointwise => false;

    /// <summary>True when <paramref name="t"/> is an exact symmetry of the discretisation this type lives on: a
    /// declared property (STYLE.md §5). Image fields: rotations by multiples of 90° and flips permute the pixel grid
    /// exactly; other angles hold only up to interpolation.</summary>
    bool IsExact(Transformation t) => true;
}
