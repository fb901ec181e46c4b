using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A chain of equivariant layers whose field types must match: layer i's output type is layer
/// i+1's input type (the same gspace and the same fields), checked when the chain is built.</summary>
/// <remarks>Equivariance: a composition of equivariant maps is equivariant. In = first layer's In,
/// Out = last layer's Out. Reference: escnn's <c>SequentialModule</c>.</remarks>
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

    /// <inheritdoc />
    public FieldType In { get; }

    /// <inheritdoc />
    public FieldType Out { get; }

    /// <summary>The layers with their names, in order.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> Layers => _named;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _layers.forward(input);
}
