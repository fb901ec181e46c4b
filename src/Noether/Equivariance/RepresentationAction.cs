using Noether.Runtime;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Acts by ρ(g) on one axis of a tensor: x[..., i, ...] ↦ Σⱼ ρ(g)ᵢⱼ x[..., j, ...].</summary>
/// <remarks>The matrix is built in float64 and cast to the tensor's dtype; shape (batch, ..., ρ.Dim, ...).</remarks>
public sealed class RepresentationAction : IGroupAction, IEquatable<RepresentationAction>
{
    /// <summary>Acts with <paramref name="representation"/> on <paramref name="axis"/> (default: the last).</summary>
    public RepresentationAction(Representation representation, int axis = -1)
    {
        Representation = representation ?? throw new ArgumentNullException(nameof(representation));
        if (axis == 0) throw new ArgumentException("Axis 0 is the batch axis; a representation acts on a feature axis.", nameof(axis));
        Axis = axis;
    }

    /// <summary>The representation ρ.</summary>
    public Representation Representation { get; }

    /// <summary>The axis ρ acts on (negative counts from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc />
    public Groups.Group Group => Representation.Group;

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        int axis = Axis < 0 ? (int)x.dim() + Axis : Axis;
        if (axis <= 0 || axis >= x.dim())
            throw new ArgumentException($"Tensor of shape [{string.Join(", ", x.shape)}] has no feature axis {Axis} (axis 0 is the batch).", nameof(x));
        if (x.shape[axis] != Representation.Dim)
            throw new ArgumentException(
                $"Axis {Axis} of a tensor of shape [{string.Join(", ", x.shape)}] has size {x.shape[axis]}; the representation '{Representation.Name}' needs {Representation.Dim}.", nameof(x));
        using var scope = NewDisposeScope();
        var rho = tensor(Representation.Matrix(g).ToArray(), dtype: x.dtype, device: x.device);
        var moved = x.movedim(new long[] { axis }, new long[] { -1 });
        return moved.MatMulChecked(rho.t()).movedim(new long[] { -1 }, new long[] { axis }).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>A standard normal batch (batch, ρ.Dim) when ρ acts on the last axis; otherwise the shape is unknown.</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        if (Axis != -1 && Axis != 1)
            throw new NotSupportedException($"The action on axis {Axis} does not declare the other axes; pass inputs to EquivarianceCheck.Run.");
        return randn(new long[] { batch, Representation.Dim }, dtype: dtype, generator: generator);
    }

    /// <summary>True when ρ acts by permutation matrices.</summary>
    public bool AllowsPointwise => PermutationRepresentations.Is(Representation);

    /// <inheritdoc />
    public bool Equals(RepresentationAction? other) => other is not null && other.Axis == Axis &&
        (ReferenceEquals(other.Representation, Representation) || other.Representation.Equals(Representation));
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RepresentationAction a && Equals(a);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Axis, Representation.Dim, Representation.Group);

    /// <inheritdoc />
    public override string ToString() => $"{Representation.Name} on axis {Axis}";
}
