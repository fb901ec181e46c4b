using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Training;

/// <summary>Per-layer and whole-model equivariance of a model on real inputs: built-in image classifiers and any
/// composition of <see cref="IEquivariant"/> modules, such as a user's own <c>Sequential</c>.</summary>
/// <remarks>
/// <para>Each layer that declares its types (<see cref="IEquivariant"/>) is checked on the activations it actually
/// receives from the inputs, with its declared types, under the transformations its types declare exact on their
/// discretisation (<see cref="ITensorType.IsExact"/>: rotations by multiples of 90° and flips on a pixel grid), so a
/// layer whose symmetry is broken shows up by name with the verdict <see cref="EquivarianceVerdict.Approximate"/>. A
/// pointwise nonlinearity is checked with the type it receives when that type allows it; any other plain layer is
/// <see cref="EquivarianceVerdict.NotDeclared"/>. The module tree is walked generally: chains (a TorchSharp
/// <c>Sequential</c>, an <see cref="ILayerSequence"/>) pass real activations from layer to layer; elsewhere every
/// declared descendant (<c>named_children</c>) is checked on seeded random inputs of its declared types.</para>
/// <para>The built-in image classifiers keep their own protocol: a <see cref="SteerableCnn"/>'s layers are checked
/// under the quarter turns of each layer's group; the layers of a <see cref="PlainCnn"/> declare nothing, so each is
/// checked cumulatively (input → features after that layer averaged over the image, which a CNN's classifier reads;
/// invariance): the error shows how the broken symmetry grows. A model that declares its types is checked whole with
/// them; any other model for invariance of its class probabilities under quarter turns. Its Lie derivatives under
/// rotation (per radian) and translation (per pixel) are measured by <see cref="LieDerivatives"/>.</para>
/// </remarks>
public static class ModelDiagnostics
{
    /// <summary>Checks <paramref name="model"/> on <paramref name="images"/> (batch, channels, H, W), or on any batch the model takes.</summary>
    /// <returns>the whole model's mean relative error and one entry per layer, in forward order.</returns>
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
                    if (layer is IFieldEquivariant declared)
                    {
                        // Check under the quarter turns of the layer's own group (its gspace contains them for C4k, D4k, SO2, O2).
                        var group = declared.In.Space.Group;
                        var elements = quarterTurns.Select(g => Lift(group, ((DihedralElement)g).Rotation)).Where(g => g is not null).Select(g => g!).ToArray();
                        var report = EquivarianceCheck.Run(v => layer.forward(v), new FieldAction(declared.In), new FieldAction(declared.Out), x, elements);
                        layers.Add(new LayerError(name, layer.GetType().Name, report.MeanRelativeError, report.MaxRelativeError, Verdict(report)));
                    }
                    else
                    {
                        layers.Add(new LayerError(name, layer.GetType().Name, null, null, EquivarianceVerdict.NotDeclared));
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
                    layers.Add(new LayerError(name, layer.GetType().Name, report.MeanRelativeError, report.MaxRelativeError,
                        report.MaxRelativeError <= Tolerance.Float32 ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate));
                }
            }
            else
            {
                Walk(model, images, model.GetName(), layers);
                if (DeclaredTypes.Of(model) is { Inputs.Count: 1, Outputs.Count: 1 } types)
                {
                    var report = CheckDeclared(v => model.forward(v), types.Inputs[0], types.Outputs[0], images);
                    return (report.MeanRelativeError, layers);
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

    /// <summary>Per-layer errors of any module tree, in forward order: every <see cref="IEquivariant"/> layer checked
    /// with its declared types (see the remarks); a plain layer of a chain is <see cref="EquivarianceVerdict.NotDeclared"/>.</summary>
    /// <param name="model">any module: a chain (a <c>Sequential</c>, an <see cref="ILayerSequence"/>) or any tree of them.</param>
    /// <param name="inputs">a batch the model takes (for a chain of one-tensor layers: the real activations are
    /// passed from layer to layer), or null to check each declared layer on seeded random inputs of its types.</param>
    public static IReadOnlyList<LayerError> Layers(Module model, Tensor? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        bool training = model.training;
        model.eval();
        var layers = new List<LayerError>();
        try
        {
            using (no_grad())
            using (NewDisposeScope())
                Walk(model, inputs, model.GetName(), layers);
        }
        finally
        {
            if (training) model.train();
        }
        return layers;
    }

    /// <summary>Per-layer errors of <paramref name="module"/> in forward order: a chain passes real activations from
    /// <paramref name="input"/> through its layers; a module that is not a chain is checked whole when it declares its
    /// types, and otherwise its children are walked.</summary>
    private static void Walk(Module module, Tensor? input, string prefix, List<LayerError> layers)
    {
        if (DeclaredTypes.Chain(module) is { } chain && input is not null)
        {
            WalkChain(chain, input, prefix, layers);
            return;
        }
        if (module is IEquivariant)
        {
            // No activations reach it here (it is not in a chain): check it whole on seeded inputs of its declared types.
            try
            {
                layers.Add(Layer(prefix, module, input is not null && DeclaredTypes.Of(module) is { Inputs.Count: 1, Outputs.Count: 1 } types && module is Module<Tensor, Tensor> typed
                    ? CheckDeclared(v => typed.forward(v), types.Inputs[0], types.Outputs[0], input)
                    : EquivarianceCheck.Of(module, declaredExactOnly: true)));
            }
            catch (NotSupportedException)
            {
                layers.Add(new LayerError(prefix, module.GetType().Name, null, null));
            }
            // Declared sub-layers (EGNN's layers inside EGNN) are checked too; undeclared internals are its own business.
            foreach (var (name, child) in module.named_children())
                WalkDeclared(child, $"{prefix}.{name}", layers);
            return;
        }
        var children = module.named_children().ToArray();
        if (children.Length == 0)
        {
            layers.Add(new LayerError(prefix, module.GetType().Name, null, null, EquivarianceVerdict.NotDeclared));
            return;
        }
        foreach (var (name, child) in children)
            Walk(child, null, $"{prefix}.{name}", layers);
    }

    private static void WalkDeclared(Module module, string prefix, List<LayerError> layers)
    {
        if (module is IEquivariant) Walk(module, null, prefix, layers);
        else
            foreach (var (name, child) in module.named_children())
                WalkDeclared(child, $"{prefix}.{name}", layers);
    }

    /// <summary>A chain: real activations flow from layer to layer; each layer is checked on what it receives.</summary>
    private static void WalkChain(IReadOnlyList<(string Name, Module Layer)> chain, Tensor input, string prefix, List<LayerError> layers)
    {
        Tensor? x = input;
        ITensorType? current = null;
        foreach (var (name, layer) in chain)
        {
            string path = $"{prefix}.{name}";
            if (x is null || layer is not Module<Tensor, Tensor> typed)
            {
                // Without a forward of one tensor the activations stop here; later layers are checked on sampled inputs.
                Walk(layer, null, path, layers);
                x = null;
                continue;
            }
            if (DeclaredTypes.Chain(layer) is not null)
            {
                Walk(layer, x, path, layers);
                current = DeclaredTypes.Of(layer) is { Outputs.Count: 1 } nested ? nested.Outputs[0] : null;
            }
            else if (DeclaredTypes.Of(layer) is { Inputs.Count: 1, Outputs.Count: 1 } types)
            {
                layers.Add(Layer(path, layer, CheckDeclared(v => typed.forward(v), types.Inputs[0], types.Outputs[0], x)));
                current = types.Outputs[0];
            }
            else if (PointwiseModules.Contains(layer) && current is { AllowsPointwise: true })
            {
                // A pointwise function commutes with an action that only permutes entries: check it with that type.
                layers.Add(Layer(path, layer, CheckDeclared(v => typed.forward(v), current, current, x)));
            }
            else
            {
                layers.Add(new LayerError(path, layer.GetType().Name, null, null, EquivarianceVerdict.NotDeclared));
                current = null;
            }
            x = typed.forward(x);
        }
    }

    private static LayerError Layer(string name, Module layer, EquivarianceReport report) =>
        new(name, layer.GetType().Name, report.MeanRelativeError, report.MaxRelativeError, Verdict(report));

    private static EquivarianceVerdict Verdict(EquivarianceReport report) => report.IsExact ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate;

    /// <summary>Checks f on real inputs with declared types, under the transformations the types declare exact
    /// (the quarter turns, and flips, of a pixel grid for a continuous rotation group).</summary>
    private static EquivarianceReport CheckDeclared(Func<Tensor, Tensor> f, ITensorType input, ITensorType output, Tensor x)
    {
        var symmetry = EquivarianceCheck.CommonSymmetry(new[] { input }, new[] { output });
        IReadOnlyList<Transformation> candidates = symmetry is GroupSymmetry { Group: SO2Group or O2Group } g
            ? LatticeCandidates(g.Group).Select(e => (Transformation)new GroupTransformation(e)).ToArray()
            : symmetry.Draw(16, 0);
        var exact = candidates.Where(t => input.IsExact(t) && output.IsExact(t)).ToArray();
        return EquivarianceCheck.Run(xs => new[] { f(xs[0]) }, new[] { input }, new[] { output }, new[] { x }, exact.Length > 0 ? exact : candidates);
    }

    private static IEnumerable<GroupElement> LatticeCandidates(Group group) => group switch
    {
        SO2Group so2 => Enumerable.Range(0, 4).Select(k => (GroupElement)so2.Rotation(k * Math.PI / 2)),
        O2Group o2 => Enumerable.Range(0, 8).Select(i => (GroupElement)o2.Element(i / 4, (i % 4) * Math.PI / 2)),
        _ => group.Elements,
    };

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
