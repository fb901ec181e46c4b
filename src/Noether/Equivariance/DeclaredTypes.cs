using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>The declared input and output types of a module or of a composition of modules.</summary>
/// <remarks>
/// A module that is <see cref="IEquivariant"/> declares its own. A chain — a TorchSharp <c>Sequential</c> or an
/// <see cref="ILayerSequence"/> — declares the first layer's input and the last layer's output when every layer
/// declares types that chain (layer i's output equals layer i+1's input) or is pointwise
/// (<see cref="PointwiseModules"/>) on a type that allows it (<see cref="ITensorType.AllowsPointwise"/>): a
/// composition of equivariant maps is equivariant. An <see cref="IEquivariantComposite"/> (an ensemble mean) declares the
/// types its parts declare in common. Anything else declares nothing (null).
/// </remarks>
public static class DeclaredTypes
{
    /// <summary>The declared (inputs, outputs) of <paramref name="module"/>, or null where it declares none.</summary>
    public static (IReadOnlyList<ITensorType> Inputs, IReadOnlyList<ITensorType> Outputs)? Of(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is IEquivariant declared) return (declared.InputTypes, declared.OutputTypes);
        if (module is IEquivariantComposite composite) return Common(composite.Parts);
        var children = Chain(module);
        if (children is null) return null;
        ITensorType? first = null, current = null;
        bool leadingPointwise = false;
        foreach (var (_, child) in children)
        {
            var types = Of(child);
            if (types is { Inputs.Count: 1, Outputs.Count: 1 } t)
            {
                if (current is not null && !current.Equals(t.Inputs[0])) return null;
                if (first is null)
                {
                    if (leadingPointwise && !t.Inputs[0].AllowsPointwise) return null;
                    first = t.Inputs[0];
                }
                current = t.Outputs[0];
            }
            else if (PointwiseModules.Contains(child))
            {
                if (current is null) leadingPointwise = true;
                else if (!current.AllowsPointwise) return null;
            }
            else return null;
        }
        return first is null ? null : (new[] { first }, new[] { current! });
    }

    /// <summary>The types every part declares, when they all declare the same; else null.</summary>
    private static (IReadOnlyList<ITensorType> Inputs, IReadOnlyList<ITensorType> Outputs)? Common(IReadOnlyList<Module> parts)
    {
        (IReadOnlyList<ITensorType> Inputs, IReadOnlyList<ITensorType> Outputs)? common = null;
        foreach (var part in parts)
        {
            if (Of(part) is not { } types) return null;
            if (common is { } c && !(c.Inputs.SequenceEqual(types.Inputs) && c.Outputs.SequenceEqual(types.Outputs))) return null;
            common ??= types;
        }
        return common;
    }

    /// <summary>The layers of a chain in forward order (an <see cref="ILayerSequence"/>'s layers, a
    /// <c>Sequential</c>'s children), or null when <paramref name="module"/> is not a chain.</summary>
    public static IReadOnlyList<(string Name, Module Layer)>? Chain(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module switch
        {
            ILayerSequence sequence => sequence.Layers.Select(l => (l.Name, (Module)l.Layer)).ToArray(),
            Sequential sequential => sequential.named_children().Select(c => (c.name, (Module)c.module)).ToArray(),
            _ => null,
        };
    }
}
