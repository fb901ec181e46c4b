using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A static check of a whole model's symmetry, before training and without data: walks the layers
/// in order and flags the first whose input type is not the previous layer's output type, or that is
/// not known to be equivariant.</summary>
/// <remarks>
/// <para>Rules: a layer that declares its types (<see cref="IEquivariant"/>, any domain) must receive exactly its
/// input type and passes its output type on; a plain pointwise function (<see cref="PointwiseModules"/>: ReLU, ELU,
/// GELU, SiLU, sigmoid, tanh, softplus, leaky ReLU, dropout, identity) is equivariant on types whose transformations
/// only permute entries (<see cref="ITensorType.AllowsPointwise"/>: trivial, regular and quotient fields, scalars, set
/// and node features) and flagged on others (e.g. SO(2) irreps, where it would break the symmetry); any other plain
/// module (Linear, Conv2d, BatchNorm2d, …) declares nothing and is flagged. Chains (a TorchSharp <c>Sequential</c>,
/// any <see cref="ILayerSequence"/> such as <see cref="EquivariantSequential"/>, <see cref="SteerableCnn"/> or
/// <see cref="PlainCnn"/>) are walked into; a <see cref="SteerableCnn"/>'s head (global average and linear map of
/// invariant features) is invariant by construction.</para>
/// <para>What no library offers: escnn checks types when modules are chained, e3nn when tensors meet; neither
/// walks a model mixed with plain modules and names the first layer that breaks the symmetry.</para>
/// </remarks>
public static class SymmetryTypeCheck
{
    /// <summary>Checks <paramref name="model"/>.</summary>
    /// <param name="model">a Noether module, a TorchSharp <c>Sequential</c>, or a mix.</param>
    /// <param name="input">the type the model receives, or null to take the first declared layer's input type.</param>
    public static TypeCheckReport Check(Module model, ITensorType? input = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var walked = new List<TypeCheckedLayer>();
        ITensorType? current = input;
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
    private static string Judge(Module layer, ref ITensorType? current, out string? inText, out string? outText)
    {
        inText = Describe(current);
        outText = null;
        if (DeclaredTypes.Of(layer) is { } declared && layer is IEquivariant)
        {
            if (declared.Inputs.Count != 1 || declared.Outputs.Count != 1)
                return $"not a link of a chain: it takes {declared.Inputs.Count} inputs and returns {declared.Outputs.Count} outputs";
            var expected = declared.Inputs[0];
            if (current is not null)
            {
                if (!current.Symmetry.Equals(expected.Symmetry) || (current is FieldType a && expected is FieldType b && !a.Space.Equals(b.Space)))
                    return $"types do not chain: it expects {Domain(expected)}, but receives {Domain(current)}";
                if (!current.Equals(expected))
                    return $"types do not chain: it expects {Detail(expected)}, but receives {Detail(current)}";
            }
            inText = Describe(expected);
            current = declared.Outputs[0];
            outText = Describe(current);
            return "equivariant (declared)";
        }
        if (PointwiseModules.Contains(layer))
        {
            outText = inText;
            if (current is null) return "equivariant (pointwise; field type unknown)";
            if (current.AllowsPointwise) return "equivariant (pointwise on permutation fields)";
            var what = current is FieldType field
                ? $"field '{field.Representations.First(r => !FieldLayout.IsPermutation(r)).Name}', which is not a permutation representation"
                : $"'{current}', whose transformations do not only permute entries";
            return $"a pointwise {layer.GetType().Name} on {what}, breaks equivariance (use a norm or gated nonlinearity)";
        }
        return $"not known to be equivariant: a plain {layer.GetType().Name} declares no field types" +
               (current is null ? "" : $" and would receive {Detail(current)}") +
               " (replace it with an equivariant layer, or wrap it so that it declares In/Out)";
    }

    // Chains are walked into; every other module (declared or not) is a leaf.
    private static IEnumerable<(string Name, Module Layer)> Leaves(Module module, string prefix)
    {
        var chain = DeclaredTypes.Chain(module);
        if (chain is null)
        {
            yield return (prefix, module);
            yield break;
        }
        foreach (var (name, layer) in chain)
            foreach (var leaf in Leaves(layer, $"{prefix}.{name}")) yield return leaf;
    }

    private static string? Describe(ITensorType? type) => type switch
    {
        null => null,
        FieldType field => field.Description,
        _ => type.ToString(),
    };

    private static string Domain(ITensorType type) => type is FieldType field ? $"a field of {field.Space.Name}" : $"a tensor of {type.Symmetry.Name}";

    private static string Detail(ITensorType type) => type is FieldType field ? $"[{field.Description}] ({field.Size} channels)" : $"'{type}'";
}
