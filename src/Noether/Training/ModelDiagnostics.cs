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
/// grid), so a layer whose symmetry is broken shows up by name. The layers of a <see cref="PlainCnn"/>
/// declare nothing, so each is checked cumulatively (input → features after that layer averaged over the
/// image, which a CNN's classifier reads; invariance): the error shows how the broken symmetry grows. The
/// whole model is checked for invariance of its class probabilities, and its Lie derivatives under
/// rotation (per radian) and translation (per pixel) are measured (<see cref="LieDerivative"/>).
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
            else if (model is PlainCnn plain)
            {
                // Plain layers declare no symmetry, so each is checked cumulatively: the invariance of the features
                // after it, globally averaged over the image (what the classifier of a CNN reads), as a function of
                // the input. Where this error grows is where the network loses the rotation symmetry.
                // One pass for x and one per element g, keeping every layer's pooled features (the same relative error
                // as EquivarianceCheck, ‖p(g·x) − p(x)‖ / (‖p(x)‖ + ε), compared in float64).
                List<Tensor> PooledPerLayer(Tensor v)
                {
                    var pooled = new List<Tensor>();
                    foreach (var (_, l) in plain.Layers)
                    {
                        v = l.forward(v);
                        pooled.Add(v.mean(new long[] { 2, 3 }).to_type(ScalarType.Float64));
                    }
                    return pooled;
                }
                var reference = PooledPerLayer(images);
                var perElement = quarterTurns.Select(g => PooledPerLayer(new FieldAction(space.Trivial(1)).Apply(g, images.to_type(ScalarType.Float64)).to_type(images.dtype))).ToArray();
                for (int k = 0; k < plain.Layers.Count; k++)
                {
                    var (name, layer) = plain.Layers[k];
                    var relative = perElement.Select(p => ((p[k] - reference[k]).norm(1) / (reference[k].norm(1) + EquivarianceCheck.Epsilon)).data<double>().ToArray()).ToArray();
                    var report = (MeanRelativeError: relative.Average(r => r.Average()), MaxRelativeError: relative.Max(r => r.Max()));
                    layers.Add(new LayerError(name, layer.GetType().Name, report.MeanRelativeError, report.MaxRelativeError));
                }
            }
            var whole = EquivarianceCheck.Run(v => functional.softmax(model.forward(v), 1), new FieldAction(space.Trivial(1)),
                new TrivialAction(space.Group), images, quarterTurns);
            return (whole.MeanRelativeError, layers);
        }
    }

    /// <summary>The Lie derivatives of the model's class probabilities at <paramref name="images"/>: under
    /// rotation about the image centre (per radian) and under horizontal translation (per pixel), relative to
    /// the probabilities' norm (mean over the images). Zero for an exactly invariant model of the continuum;
    /// on a pixel grid, interpolation keeps them above zero even for equivariant models, so compare models.</summary>
    public static IReadOnlyDictionary<string, double> LieDerivatives(Module<Tensor, Tensor> model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        model.eval();
        Tensor Probabilities(Tensor v) => functional.softmax(model.forward(v), 1);
        return new Dictionary<string, double>
        {
            ["rotation"] = LieDerivative.Compute(Probabilities, LieDerivative.RotateImages, null, images).MeanRelative,
            ["translation"] = LieDerivative.Compute(Probabilities, LieDerivative.TranslateImages, null, images).MeanRelative,
        };
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
