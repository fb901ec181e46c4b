using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A chain of equivariant layers whose field types must match: layer i's output type is layer
/// i+1's input type (the same gspace and the same fields), checked when the chain is built.</summary>
/// <remarks>Equivariance: a composition of equivariant maps is equivariant. In = first layer's In,
/// Out = last layer's Out. Shapes: whatever the first layer takes to whatever the last one gives, usually
/// (batch, In.Size, H, W) → (batch, Out.Size, H', W'). Reference: escnn's <c>SequentialModule</c>; the positional
/// form names the layers "0", "1", … like <c>torch.nn.Sequential</c>.</remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(4);
/// var model = new EquivariantSequential(
///     new R2Conv(space.Trivial(1), space.Regular(8), 5),
///     new PointwiseNonlinearity(space.Regular(8)),
///     new GlobalInvariantPool(space.Regular(8)));   // (batch, 1, H, W) → (batch, 8), invariant
/// </code></example>
public sealed class EquivariantSequential : Module<Tensor, Tensor>, IFieldEquivariant, ILayerSequence
{
    private readonly Sequential _layers;
    private readonly List<(string Name, Module<Tensor, Tensor> Layer)> _named;

    /// <summary>Chains <paramref name="layers"/> (each a module that is also <see cref="IFieldEquivariant"/>).</summary>
    /// <exception cref="ArgumentException">a layer declares no field types, or two consecutive types differ
    /// (the message names both).</exception>
    public EquivariantSequential(IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> layers) : base(nameof(EquivariantSequential))
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("At least one layer is needed.", nameof(layers));
        IFieldEquivariant? previous = null;
        string? previousName = null;
        foreach (var (name, layer) in layers)
        {
            if (layer is not IFieldEquivariant current)
                throw new ArgumentException($"Layer '{name}' ({layer.GetType().Name}) declares no field types (IFieldEquivariant).", nameof(layers));
            if (previous is not null)
                previous.Out.CheckSame(current.In, $"Layer '{name}' follows '{previousName}'");
            previous = current;
            previousName = name;
        }
        In = ((IFieldEquivariant)layers[0].Layer).In;
        Out = previous!.Out;
        _named = layers.ToList();
        _layers = Sequential(layers);
        RegisterComponents();
    }

    /// <summary>Chains <paramref name="layers"/> in order and names them "0", "1", … (as <c>torch.nn.Sequential</c>
    /// does); each must also be <see cref="IFieldEquivariant"/>, and layer i's <c>Out</c> must equal layer i+1's <c>In</c>.</summary>
    /// <exception cref="ArgumentException">no layers, a layer declares no field types, or two consecutive types
    /// differ (the message names both positions and both field types).</exception>
    public EquivariantSequential(params Module<Tensor, Tensor>[] layers) : this(Numbered(layers))
    {
    }

    /// <inheritdoc />
    public FieldType In { get; }

    /// <inheritdoc />
    public FieldType Out { get; }

    /// <summary>What the last layer declares: its field type, or the invariant vector a global pool ends with.</summary>
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => ((IEquivariant)_named[^1].Layer).OutputTypes;

    /// <summary>The layers with their names, in order.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> Layers => _named;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _layers.forward(input);

    /// <inheritdoc />
    public override string ToString() => $"EquivariantSequential([{In.Description}] -> [{Out.Description}], {_named.Count} layers)";

    /// <summary>Checks the positional chain with messages that name positions, and names the layers "0", "1", ….</summary>
    private static IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> Numbered(Module<Tensor, Tensor>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("At least one layer is needed.", nameof(layers));
        for (int i = 0; i < layers.Length; i++)
        {
            if (layers[i] is null) throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (layers[i] is not IFieldEquivariant current)
                throw new ArgumentException($"Layer {i} ({layers[i].GetType().Name}) declares no field types (IFieldEquivariant).", nameof(layers));
            if (i == 0) continue;
            var previous = (IFieldEquivariant)layers[i - 1];
            if (!previous.Out.Equals(current.In))
                throw new ArgumentException(
                    $"Layer {i} ({layers[i].GetType().Name}) cannot follow layer {i - 1} ({layers[i - 1].GetType().Name}): layer {i - 1} outputs " +
                    $"{previous.Out} ({previous.Out.Size} channels) but layer {i} expects {current.In} ({current.In.Size} channels).", nameof(layers));
        }
        return layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layer)).ToArray();
    }
}
