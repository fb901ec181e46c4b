using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>A module whose output is a symmetry-preserving combination of the outputs of its parts, all run on the same
/// inputs: a mean of an ensemble's members, a wrapper that rescales each input block by a constant (which commutes with
/// every ρ(g)). It declares the types its parts declare in common (<see cref="DeclaredTypes.Of"/>), and nothing when they
/// declare none or disagree.</summary>
public interface IEquivariantComposite
{
    /// <summary>The parts whose common declared types are the module's.</summary>
    IReadOnlyList<Module> Parts { get; }
}
