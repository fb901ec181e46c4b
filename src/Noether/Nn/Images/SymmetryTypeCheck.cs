using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A static check of a whole model's symmetry, before training and without data: walks the layers
/// in order and flags the first whose input field type is not the previous layer's output type, or that is
/// not known to be equivariant.</summary>
/// <remarks>
/// <para>Rules: a layer that declares its types (<see cref="IEquivariant"/>) must receive exactly its
/// <c>In</c> (same gspace, same fields) and passes its <c>Out</c> on; a plain pointwise function (ReLU, ELU,
/// GELU, SiLU, sigmoid, tanh, softplus, leaky ReLU, dropout, identity) is equivariant on permutation
/// fields (trivial, regular, quotient) and flagged on other fields (e.g. SO(2) irreps, where it would break
/// the symmetry); any other plain module (Linear, Conv2d, BatchNorm2d, …) declares nothing and is flagged.
/// Containers (<c>Sequential</c>, <see cref="EquivariantSequential"/>, <see cref="SteerableCnn"/>) are
/// walked into; a <see cref="SteerableCnn"/>'s head (global average and linear map of invariant features) is
/// invariant by construction.</para>
/// <para>What no library offers: escnn checks types when modules are chained, e3nn when tensors meet; neither
/// walks a model mixed with plain modules and names the first layer that breaks the symmetry.</para>
/// </remarks>
public static class SymmetryTypeCheck
{
    private static readonly HashSet<Type> Pointwise = new()
    {
        typeof(ReLU), typeof(ReLU6), typeof(LeakyReLU), typeof(ELU), typeof(GELU), typeof(SiLU), typeof(Sigmoid),
        typeof(Tanh), typeof(Softplus), typeof(Dropout), typeof(Identity), typeof(Mish), typeof(CELU), typeof(SELU),
    };

    /// <summary>Checks <paramref name="model"/>.</summary>
    /// <param name="model">a Noether module, a TorchSharp <c>Sequential</c>, or a mix.</param>
    /// <param name="input">the field type the model receives, or null to take the first declared layer's <c>In</c>.</param>
    public static TypeCheckReport Check(Module model, FieldType? input = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var walked = new List<TypeCheckedLayer>();
        FieldType? current = input;
        TypeCheckedLayer? problem = null;
        foreach (var (name, layer) in Leaves(model, model.GetName()))
        {
            var verdict = Judge(layer, ref current, out var inText, out var outText);
            var entry = new TypeCheckedLayer(name, layer.GetType().Name, inText, outText, verdict ?? "equivariant");
            walked.Add(entry);
            if (verdict is not null && !verdict.StartsWith("equivariant", StringComparison.Ordinal))
            {
                problem = entry;
                break;
            }
        }
        return new TypeCheckReport(walked, problem);
    }

    // Returns a verdict; one that does not start with "equivariant" is a problem.
    private static string Judge(Module layer, ref FieldType? current, out string? inText, out string? outText)
    {
        inText = current?.Description;
        outText = null;
        if (layer is IEquivariant declared)
        {
            if (current is not null)
            {
                if (!current.Space.Equals(declared.In.Space))
                    return $"types do not chain: it expects a field of {declared.In.Space.Name}, but receives one of {current.Space.Name}";
                if (!current.Equals(declared.In))
                    return $"types do not chain: it expects [{declared.In.Description}] ({declared.In.Size} channels), but receives [{current.Description}] ({current.Size} channels)";
            }
            inText = declared.In.Description;
            current = declared.Out;
            outText = current.Description;
            return "equivariant (declared)";
        }
        if (Pointwise.Contains(layer.GetType()))
        {
            outText = inText;
            if (current is null) return "equivariant (pointwise; field type unknown)";
            var bad = current.Representations.FirstOrDefault(r => !FieldLayout.IsPermutation(r));
            return bad is null
                ? "equivariant (pointwise on permutation fields)"
                : $"a pointwise {layer.GetType().Name} on field '{bad.Name}', which is not a permutation representation, breaks equivariance (use a norm or gated nonlinearity)";
        }
        return $"not known to be equivariant: a plain {layer.GetType().Name} declares no field types" +
               (current is null ? "" : $" and would receive [{current.Description}]") +
               " (replace it with an equivariant layer, or wrap it so that it declares In/Out)";
    }

    private static IEnumerable<(string Name, Module Layer)> Leaves(Module module, string prefix)
    {
        switch (module)
        {
            case SteerableCnn steerable:
                foreach (var (name, layer) in steerable.Layers)
                    foreach (var leaf in Leaves(layer, $"{prefix}.{name}")) yield return leaf;
                yield break;
            case PlainCnn plain:
                foreach (var (name, layer) in plain.Layers)
                    foreach (var leaf in Leaves(layer, $"{prefix}.{name}")) yield return leaf;
                yield break;
            case EquivariantSequential sequence:
                foreach (var (name, layer) in sequence.Layers)
                    foreach (var leaf in Leaves(layer, $"{prefix}.{name}")) yield return leaf;
                yield break;
            case Sequential sequential:
                foreach (var (name, layer) in sequential.named_children())
                    foreach (var leaf in Leaves(layer, $"{prefix}.{name}")) yield return leaf;
                yield break;
            default:
                yield return (prefix, module);
                yield break;
        }
    }
}
