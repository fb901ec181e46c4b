using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>The equivariance error of one layer of a model.</summary>
/// <param name="Name">the layer's name in the model.</param>
/// <param name="Kind">its type.</param>
/// <param name="EquivarianceError">mean relative error on the activations it receives, or null where the
/// layer declares no symmetry (plain layers).</param>
/// <param name="MaxError">the largest relative error, or null.</param>
public sealed record LayerError(string Name, string Kind, double? EquivarianceError, double? MaxError);

/// <summary>Per-layer and whole-model equivariance of an image classifier on real inputs.</summary>
/// <remarks>
/// Each layer that declares its field types (<see cref="IEquivariant"/>) is checked on the activations
/// it actually receives from the inputs, under the rotations by multiples of 90° (exact on the pixel
/// grid), so a layer whose symmetry is broken shows up by name. The whole model is checked for
/// invariance of its class probabilities.
/// </remarks>
public static class ModelDiagnostics
{
    /// <summary>Checks <paramref name="model"/> on <paramref name="images"/> (batch, 1, H, W).</summary>
    public static (double ModelError, IReadOnlyList<LayerError> Layers) Check(Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        model.eval();
        var space = GSpace2D.Rotations(4);
        var quarterTurns = space.Group.Elements;
        var layers = new List<LayerError>();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            if (model is SteerableCnn steerable)
            {
                var x = images;
                foreach (var (name, layer) in steerable.Layers)
                {
                    if (layer is IEquivariant declared)
                    {
                        // Check under the quarter turns of the layer's own group (its gspace contains them for C4k, D4k, SO2, O2).
                        var group = declared.In.Space.Group;
                        var elements = quarterTurns.Select(g => Lift(group, ((DihedralElement)g).Rotation)).Where(g => g is not null).Select(g => g!).ToArray();
                        var report = EquivarianceCheck.Run(v => layer.forward(v), new FieldAction(declared.In), new FieldAction(declared.Out), x, elements);
                        layers.Add(new LayerError(name, layer.GetType().Name, report.MeanRelativeError, report.MaxRelativeError));
                    }
                    else
                    {
                        layers.Add(new LayerError(name, layer.GetType().Name, null, null));
                    }
                    x = layer.forward(x);
                }
            }
            var whole = EquivarianceCheck.Run(v => functional.softmax(model.forward(v), 1), new FieldAction(space.Trivial(1)),
                new TrivialAction(space.Group), images, quarterTurns);
            return (whole.MeanRelativeError, layers);
        }
    }

    /// <summary>The rotation by k·90° as an element of <paramref name="group"/> (null if it has none).</summary>
    private static GroupElement? Lift(Group group, int quarter) => group switch
    {
        CyclicGroup c when c.N % 4 == 0 => c.Rotation(quarter * c.N / 4),
        DihedralGroup d when d.N % 4 == 0 => d.Rotation(quarter * d.N / 4),
        SO2Group so2 => so2.Rotation(quarter * Math.PI / 2),
        O2Group o2 => o2.Element(0, quarter * Math.PI / 2),
        _ => null,
    };
}
