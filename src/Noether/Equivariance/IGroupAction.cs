using Noether.Groups;
using TorchSharp;

namespace Noether.Equivariance;

/// <summary>How a group element acts on a tensor (the input or output of a model): the <see cref="ITensorType"/>
/// of a group's symmetry.</summary>
/// <remarks>Implementations never dispose their input and always return a fresh tensor (STYLE.md §6).
/// The first axis of every tensor is the batch axis and is left alone. As an <see cref="ITensorType"/>, its
/// symmetry is <see cref="GroupSymmetry"/> of <see cref="Group"/> and a <see cref="GroupTransformation"/> acts by
/// <see cref="Apply"/>.</remarks>
public interface IGroupAction : ITensorType
{
    /// <summary>The acting group.</summary>
    Groups.Group Group { get; }

    /// <summary>g · x for a batch x.</summary>
    torch.Tensor Apply(GroupElement g, torch.Tensor x);

    /// <inheritdoc />
    Symmetry ITensorType.Symmetry => new GroupSymmetry(Group);

    /// <inheritdoc />
    torch.Tensor ITensorType.Transform(Transformation t, torch.Tensor x) => Apply(GroupTransformation.ElementOf(t, Group), x);

    /// <inheritdoc />
    torch.Tensor ITensorType.Sample(int batch, int size, torch.ScalarType dtype, torch.Generator generator) =>
        throw new NotSupportedException($"The action '{this}' does not declare the shape of its tensors; pass inputs to EquivarianceCheck.Run.");
}
