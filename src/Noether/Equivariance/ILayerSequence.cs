using TorchSharp;
using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>A module whose forward applies named layers one after another (possibly followed by a head that the
/// module itself vouches for): the per-layer diagnostics and the static type check walk it like a
/// TorchSharp <c>Sequential</c>.</summary>
public interface ILayerSequence
{
    /// <summary>The layers in the order forward applies them.</summary>
    IReadOnlyList<(string Name, Module<torch.Tensor, torch.Tensor> Layer)> Layers { get; }
}
