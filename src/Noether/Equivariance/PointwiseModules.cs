using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>The plain TorchSharp modules that act entry by entry (ReLU, ELU, GELU, SiLU, sigmoid, tanh, softplus,
/// leaky ReLU, dropout, identity, …): they commute with any action that only permutes entries
/// (<see cref="ITensorType.AllowsPointwise"/>), so they pass a type on unchanged.</summary>
public static class PointwiseModules
{
    private static readonly HashSet<Type> Types = new()
    {
        typeof(ReLU), typeof(ReLU6), typeof(LeakyReLU), typeof(ELU), typeof(GELU), typeof(SiLU), typeof(Sigmoid),
        typeof(Tanh), typeof(Softplus), typeof(Dropout), typeof(Identity), typeof(Mish), typeof(CELU), typeof(SELU),
    };

    /// <summary>True when <paramref name="module"/> is one of them.</summary>
    public static bool Contains(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Types.Contains(module.GetType());
    }
}
