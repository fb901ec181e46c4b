using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Equivariance;

/// <summary>Measures how equivariant a function or module is: the one checker used by tests, the CLI and users.</summary>
/// <remarks>
/// <para>For each transformation τ (a group element, a permutation of an axis, a gauge field) and input x (a batch
/// along axis 0) it computes the relative error ‖f(τ·x) − τ·f(x)‖ / (‖τ·f(x)‖ + ε), the norm taken over every
/// non-batch axis (and over all outputs together), and reports the mean and max per transformation and overall
/// (DESIGN.md), with a verdict per transformation: exact within the dtype's <see cref="Tolerance"/>, or
/// approximate. Invariance is an output type that does not move (<see cref="TrivialAction"/>,
/// <see cref="InvariantType"/>). The comparison is done in float64 (complex128 for complex tensors) whatever dtype f
/// computes in (e3nn's <c>assert_equivariant</c> does the same); the transformed input is cast back to the input's
/// dtype before f sees it. The check returns a report and never prints.</para>
/// <para><see cref="Of(Module, int, int, int, int, bool, ScalarType?)"/> needs only the module: it reads the declared types
/// (<see cref="IEquivariant"/>, or a chain of them, <see cref="DeclaredTypes"/>), samples seeded inputs of the right
/// shape and draws seeded transformations from the declared symmetry (all of a finite group, Haar samples of a
/// continuous one, random permutations, random gauge fields).</para>
/// </remarks>
/// <example><code>var net = nn.Sequential(("a", new R2Conv(t1, t2, 5)), ("b", nn.ReLU()), ("c", new R2Conv(t2, t3, 5)));
/// var report = EquivarianceCheck.Of(net);          // C8: 90° exact, 45° approximate
/// Assert.True(report["r2"].Verdict == EquivarianceVerdict.Exact, report.ToString());</code></example>
public static class EquivarianceCheck
{
    /// <summary>The ε in the denominator.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>Checks <paramref name="module"/> with its declared types on seeded random inputs.</summary>
    /// <param name="module">an <see cref="IEquivariant"/> module, or a chain of them (a <c>Sequential</c> of declared
    /// layers and pointwise nonlinearities).</param>
    /// <param name="batch">inputs per transformation.</param>
    /// <param name="size">the length of every free axis: pixels per side, points, set elements, graph nodes, lattice sites per side.</param>
    /// <param name="samples">transformations: a finite group of at most this order is checked on all its elements.</param>
    /// <param name="seed">the seed of inputs and transformations.</param>
    /// <param name="declaredExactOnly">check only the transformations the types declare exact on their discretisation
    /// (multiples of 90° and flips on a pixel grid).</param>
    /// <param name="dtype">the dtype of the sampled inputs; default the module's parameters' (float32 for a module without parameters).</param>
    /// <exception cref="ArgumentException">the module declares no types.</exception>
    public static EquivarianceReport Of(Module module, int batch = 2, int size = 9, int samples = 16, int seed = 0, bool declaredExactOnly = false,
        ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var types = DeclaredTypes.Of(module) ?? throw new ArgumentException(
            $"{module.GetType().Name} declares no types: it is not IEquivariant, nor a chain of declared layers and pointwise functions.", nameof(module));
        Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f = module switch
        {
            IEquivariant declared => declared.Invoke,
            Module<Tensor, Tensor> m => xs => new[] { m.forward(xs[0]) },
            Module<Tensor, Tensor, Tensor> m => xs => new[] { m.forward(xs[0], xs[1]) },
            _ => throw new ArgumentException($"{module.GetType().Name} has no forward of one or two tensors.", nameof(module)),
        };
        return Sampled(module, f, types.Inputs, types.Outputs, batch, size, samples, seed, declaredExactOnly, dtype);
    }

    /// <summary>Checks a module of several tensors through <paramref name="f"/> (for a closure over extra arguments),
    /// with <paramref name="module"/>'s declared types and seeded random inputs.</summary>
    /// <param name="module">the declared types; also sets the dtype (its parameters') and eval mode.</param>
    /// <param name="f">one tensor per input type → one per output type; must not dispose its inputs.</param>
    /// <param name="batch">inputs per transformation.</param>
    /// <param name="size">the length of every free axis.</param>
    /// <param name="samples">transformations to draw.</param>
    /// <param name="seed">the seed of inputs and transformations.</param>
    public static EquivarianceReport Of(IEquivariant module, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f,
        int batch = 2, int size = 9, int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(f);
        return Sampled(module as Module, f, module.InputTypes, module.OutputTypes, batch, size, samples, seed, declaredExactOnly: false, dtype: null);
    }

    /// <summary>Checks <paramref name="module"/> with its declared types on given inputs (one tensor per input type:
    /// a tensor product's two operands, EGNN's features and positions).</summary>
    /// <param name="module">the module.</param>
    /// <param name="inputs">one batch per <see cref="IEquivariant.InputTypes"/> entry.</param>
    /// <param name="samples">transformations to draw.</param>
    /// <param name="seed">their seed.</param>
    public static EquivarianceReport Of(IEquivariant module, IReadOnlyList<Tensor> inputs, int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(inputs);
        var symmetry = CommonSymmetry(module.InputTypes, module.OutputTypes);
        return WithEvalMode(module as Module, () =>
            Run(module.Invoke, module.InputTypes, module.OutputTypes, inputs, symmetry.Draw(samples, seed)));
    }

    /// <summary>The general check: <paramref name="f"/> of several tensors, each with its type, at the given transformations.</summary>
    /// <param name="f">one tensor per input type → one per output type; must not dispose its inputs.</param>
    /// <param name="inputTypes">how each input transforms.</param>
    /// <param name="outputTypes">how each output transforms.</param>
    /// <param name="inputs">one batch per input type.</param>
    /// <param name="transformations">drawn from the types' common symmetry.</param>
    /// <param name="tolerance">the bound of an exact symmetry; default by the inputs' dtype (<see cref="Tolerance.Float64"/> or <see cref="Tolerance.Float32"/>).</param>
    public static EquivarianceReport Run(Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f, IReadOnlyList<ITensorType> inputTypes,
        IReadOnlyList<ITensorType> outputTypes, IReadOnlyList<Tensor> inputs, IReadOnlyList<Transformation> transformations, double? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(inputTypes);
        ArgumentNullException.ThrowIfNull(outputTypes);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(transformations);
        var symmetry = CommonSymmetry(inputTypes, outputTypes);
        if (inputs.Count != inputTypes.Count)
            throw new ArgumentException($"{inputTypes.Count} input type(s) need as many inputs; got {inputs.Count}.", nameof(inputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], nameof(inputs));
            if (inputTypes[i].HasBatchAxis && (inputs[i].dim() < 1 || inputs[i].shape[0] < 1))
                throw new ArgumentException($"Input {i} needs a non-empty batch axis (axis 0).", nameof(inputs));
        }
        double bound = tolerance ?? DefaultTolerance(inputs);
        var results = new List<ElementError>(transformations.Count);
        int entries = 0;
        using (no_grad())
        {
            using var outer = NewDisposeScope();
            var fx = Outputs(f(inputs), outputTypes.Count).Select(Wide).ToArray();
            foreach (var t in transformations)
            {
                ArgumentNullException.ThrowIfNull(t, nameof(transformations));
                using var scope = NewDisposeScope();
                var gx = inputs.Select((x, i) => inputTypes[i].Transform(t, Wide(x)).to_type(x.dtype)).ToArray();
                var fgx = Outputs(f(gx), outputTypes.Count).Select(Wide).ToArray();
                var gfx = fx.Select((y, k) => outputTypes[k].Transform(t, y)).ToArray();
                var relative = RelativeErrors(fgx, gfx, outputTypes);
                entries = relative.Length;
                bool declaredExact = inputTypes.Concat(outputTypes).All(type => type.IsExact(t));
                double max = relative.Max();
                results.Add(new ElementError(t, relative.Average(), max, max <= bound ? EquivarianceVerdict.Exact : EquivarianceVerdict.Approximate, declaredExact));
            }
        }
        return new EquivarianceReport(symmetry, results, entries, bound);
    }

    /// <summary>Checks <paramref name="f"/> at the given <paramref name="elements"/>.</summary>
    /// <param name="f">the function; must not dispose its input.</param>
    /// <param name="input">how g acts on inputs.</param>
    /// <param name="output">how g acts on outputs.</param>
    /// <param name="inputs">a batch of inputs, shape (batch, ...).</param>
    /// <param name="elements">the group elements to test.</param>
    public static EquivarianceReport Run(Func<Tensor, Tensor> f, IGroupAction input, IGroupAction output, Tensor inputs,
        IReadOnlyList<GroupElement> elements)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(elements);
        if (!input.Group.Equals(output.Group))
            throw new ArgumentException($"Input action is of {input.Group.Name} but output action is of {output.Group.Name}.", nameof(output));
        if (inputs.dim() < 1 || inputs.shape[0] < 1)
            throw new ArgumentException("Inputs need a non-empty batch axis (axis 0).", nameof(inputs));
        foreach (var g in elements) input.Group.CheckMember(g, nameof(elements));
        return Run(xs => new[] { f(xs[0]) }, new ITensorType[] { input }, new ITensorType[] { output }, new[] { inputs },
            elements.Select(g => (Transformation)new GroupTransformation(g)).ToArray());
    }

    /// <summary>Checks <paramref name="f"/> on every element of a finite group (at most
    /// <paramref name="samples"/> when it is larger), or on <paramref name="samples"/> Haar samples.</summary>
    public static EquivarianceReport Run(Func<Tensor, Tensor> f, IGroupAction input, IGroupAction output, Tensor inputs,
        int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one element is needed.");
        return Run(f, input, output, inputs, Elements(input.Group, samples, seed));
    }

    /// <summary>Checks invariance: f(ρ_in(g)x) = f(x).</summary>
    public static EquivarianceReport Invariance(Func<Tensor, Tensor> f, IGroupAction input, Tensor inputs, int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(f, input, new TrivialAction(input.Group), inputs, samples, seed);
    }

    /// <summary>The elements a check uses: all of a finite group of order ≤ <paramref name="samples"/>,
    /// else <paramref name="samples"/> seeded uniform samples (always including the generators of a finite group).</summary>
    public static IReadOnlyList<GroupElement> Elements(Groups.Group group, int samples, int seed)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsFinite && group.Order <= samples) return group.Elements;
        var sampled = group.Sample(samples, seed).ToList();
        if (group.IsFinite)
            foreach (var generator in group.Generators)
                if (!sampled.Contains(generator)) sampled.Add(generator);
        return sampled;
    }

    /// <summary>The symmetry shared by all <paramref name="inputTypes"/> and <paramref name="outputTypes"/>.</summary>
    /// <exception cref="ArgumentException">there are no types, or they name different symmetries.</exception>
    public static Symmetry CommonSymmetry(IReadOnlyList<ITensorType> inputTypes, IReadOnlyList<ITensorType> outputTypes)
    {
        ArgumentNullException.ThrowIfNull(inputTypes);
        ArgumentNullException.ThrowIfNull(outputTypes);
        if (inputTypes.Count == 0 || outputTypes.Count == 0)
            throw new ArgumentException("A check needs at least one input type and one output type.", nameof(inputTypes));
        var symmetry = inputTypes[0].Symmetry;
        var other = inputTypes.Concat(outputTypes).FirstOrDefault(t => !t.Symmetry.Equals(symmetry));
        if (other is not null)
            throw new ArgumentException($"All types of one check must share a symmetry; '{inputTypes[0]}' is of {symmetry.Name} but '{other}' is of {other.Symmetry.Name}.", nameof(outputTypes));
        return symmetry;
    }

    private static EquivarianceReport Sampled(Module? module, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f, IReadOnlyList<ITensorType> inputTypes,
        IReadOnlyList<ITensorType> outputTypes, int batch, int size, int samples, int seed, bool declaredExactOnly, ScalarType? dtype)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Expected ≥ 1.");
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "Expected ≥ 1.");
        var symmetry = CommonSymmetry(inputTypes, outputTypes);
        var transformations = symmetry.Draw(samples, seed);
        if (declaredExactOnly)
            transformations = transformations.Where(t => inputTypes.Concat(outputTypes).All(type => type.IsExact(t))).ToArray();
        if (transformations.Count == 0)
            throw new ArgumentException($"No transformation of {symmetry.Name} is declared exact by the types.", nameof(declaredExactOnly));
        var real = dtype ?? (module is null ? ScalarType.Float32 : RealDtype(module));
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var inputs = inputTypes.Select(t => t.Sample(batch, size, real, generator)).ToArray();
        return WithEvalMode(module, () => Run(f, inputTypes, outputTypes, inputs, transformations));
    }

    private static EquivarianceReport WithEvalMode(Module? module, Func<EquivarianceReport> check)
    {
        bool training = module?.training ?? false;
        module?.eval();
        try { return check(); }
        finally { if (training) module!.train(); }
    }

    /// <summary>The real dtype of a module's first floating parameter (float32 when it has none).</summary>
    private static ScalarType RealDtype(Module module)
    {
        foreach (var p in module.parameters())
        {
            if (p.dtype is ScalarType.Float64 or ScalarType.ComplexFloat64) return ScalarType.Float64;
            if (p.is_floating_point() || p.is_complex()) return ScalarType.Float32;
        }
        return ScalarType.Float32;
    }

    private static IReadOnlyList<Tensor> Outputs(IReadOnlyList<Tensor> outputs, int expected)
    {
        if (outputs is null || outputs.Count != expected)
            throw new ArgumentException($"f returned {outputs?.Count ?? 0} output(s) but {expected} output type(s) are declared.", nameof(outputs));
        return outputs;
    }

    // Float64 for real tensors, complex128 for complex ones; integer and boolean tensors (edge indices, masks) are kept.
    private static Tensor Wide(Tensor x) =>
        x.is_complex() ? x.to_type(ScalarType.ComplexFloat64) : x.is_floating_point() ? x.to_type(ScalarType.Float64) : x.alias();

    private static double DefaultTolerance(IReadOnlyList<Tensor> inputs)
    {
        var floating = inputs.FirstOrDefault(x => x.is_floating_point() || x.is_complex());
        return floating is not null && floating.dtype is ScalarType.Float64 or ScalarType.ComplexFloat64 ? Tolerance.Float64 : Tolerance.Float32;
    }

    // ‖a − b‖ / (‖b‖ + ε) per entry of axis 0 (the whole tensor for unbatched types), over all outputs together.
    private static double[] RelativeErrors(Tensor[] transformedThenF, Tensor[] fThenTransformed, IReadOnlyList<ITensorType> types)
    {
        for (int k = 0; k < types.Count; k++)
            if (!transformedThenF[k].shape.SequenceEqual(fThenTransformed[k].shape))
                throw new ArgumentException(
                    $"Output {k}: f(τ·x) has shape [{string.Join(", ", transformedThenF[k].shape)}] but τ·f(x) has shape [{string.Join(", ", fThenTransformed[k].shape)}].");
        Tensor Rows(Tensor x, int k) => types[k].HasBatchAxis ? x.reshape(x.shape[0], -1) : x.reshape(1, -1);
        if (types.Count == 1)
        {
            // One output: the norms directly (the arithmetic of every existing check).
            var a = Rows(transformedThenF[0], 0);
            var b = Rows(fThenTransformed[0], 0);
            var difference = a.is_complex() ? (a - b).abs().square().sum(1).sqrt() : (a - b).norm(1);
            var reference = b.is_complex() ? b.abs().square().sum(1).sqrt() : b.norm(1);
            return (difference / (reference + Epsilon)).to_type(ScalarType.Float64).data<double>().ToArray();
        }
        var rows = Enumerable.Range(0, types.Count).Select(k => Rows(fThenTransformed[k], k).shape[0]).Distinct().ToArray();
        if (rows.Length != 1)
            return Enumerable.Range(0, types.Count).SelectMany(k => RelativeErrors(new[] { transformedThenF[k] }, new[] { fThenTransformed[k] }, new[] { types[k] })).ToArray();
        Tensor? differenceSquared = null, referenceSquared = null;
        for (int k = 0; k < types.Count; k++)
        {
            var a = Rows(transformedThenF[k], k);
            var b = Rows(fThenTransformed[k], k);
            var d = (a - b).abs().square().sum(1).to_type(ScalarType.Float64);
            var r = b.abs().square().sum(1).to_type(ScalarType.Float64);
            differenceSquared = differenceSquared is null ? d : differenceSquared + d;
            referenceSquared = referenceSquared is null ? r : referenceSquared + r;
        }
        return (differenceSquared!.sqrt() / (referenceSquared!.sqrt() + Epsilon)).data<double>().ToArray();
    }
}
