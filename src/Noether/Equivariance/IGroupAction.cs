using Noether.Groups;
using TorchSharp;

namespace Noether.Equivariance;

/// <summary>How a group element acts on a tensor (the input or output of a model).</summary>
/// <remarks>Implementations never dispose their input and always return a fresh tensor (STYLE.md §6).
/// The first axis of every tensor is the batch axis and is left alone.</remarks>
public interface IGroupAction
{
    /// <summary>The acting group.</summary>
    Groups.Group Group { get; }

    /// <summary>g · x for a batch x.</summary>
    torch.Tensor Apply(GroupElement g, torch.Tensor x);
}
