using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>A rotation-invariant image classifier built from steerable convolutions: the equivariant
/// counterpart of <see cref="PlainCnn"/> (same layout), for any 2D gspace.</summary>
/// <remarks>
/// <para>Default layout: trivial input field → [R2Conv → batch norm → nonlinearity] ×2 → blur-pool /2 →
/// [R2Conv → BN → nonlinearity] ×2 → blur-pool /2 → R2Conv → BN → nonlinearity → invariant pooling over
/// the group (max over each regular field, or the norm of each irrep field) → global spatial average →
/// linear classifier. The depth, the kernel sizes and the blur-pool positions can be chosen.</para>
/// <para>Finite groups (C_N, D_N): regular fields, <see cref="InnerBatchNorm"/>, pointwise ReLU, group
/// max pooling — the G-CNN of Cohen &amp; Welling for C4/D4 (p4/p4m), the regular steerable CNN of Weiler &amp;
/// Cesa for C8, C16, D8. Continuous groups (SO(2), O(2)): each block's fields are the irreps up to the
/// gspace's maximum frequency, with <see cref="IIDBatchNorm"/> and <see cref="NormNonlinearity"/>, and
/// field norms as invariants.</para>
/// <para>Every stage is equivariant, so the logits are invariant to rotations of the input by the group's
/// lattice elements exactly (multiples of 90°, flips) when the input size is even (28×28: the 2×2 pooling
/// blocks tile the image symmetrically), and approximately to other angles.
/// Shapes: (batch, 1, H, W) → (batch, classes).</para>
/// </remarks>
public sealed class SteerableCnn : Module<Tensor, Tensor>, IFieldEquivariant, ILayerSequence
{
    private readonly EquivariantSequential _features;
    private readonly Linear _classifier;

    /// <summary>Creates the network.</summary>
    /// <param name="space">the gspace (C_N, D_N, SO(2), O(2)).</param>
    /// <param name="fields">the number of fields of each block (any number of blocks ≥ 1; the default layout has 5).</param>
    /// <param name="classes">output classes.</param>
    /// <param name="firstKernel">kernel size of the first convolution (odd).</param>
    /// <param name="kernel">kernel size of the others (odd), unless <paramref name="kernels"/> is given.</param>
    /// <param name="seed">seed of the initial weights.</param>
    /// <param name="kernels">the kernel size of every block (odd), overriding <paramref name="firstKernel"/> and <paramref name="kernel"/>.</param>
    /// <param name="poolAfter">the blocks followed by a blur-pool /2 (default: blocks 1 and 3 of 5; for other
    /// depths, the blocks at one-third and two-thirds).</param>
    public SteerableCnn(GSpace2D space, IReadOnlyList<int> fields, int classes, int firstKernel = 7, int kernel = 5, long seed = 0,
        IReadOnlyList<int>? kernels = null, IReadOnlyCollection<int>? poolAfter = null)
        : base(nameof(SteerableCnn))
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count < 1 || fields.Any(f => f < 1))
            throw new ArgumentException($"SteerableCnn needs at least one block and positive field counts; got [{string.Join(", ", fields)}].", nameof(fields));
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least 2 classes are needed.");
        int depth = fields.Count;
        kernels ??= Enumerable.Range(0, depth).Select(i => i == 0 ? firstKernel : kernel).ToArray();
        if (kernels.Count != depth)
            throw new ArgumentException($"SteerableCnn needs one kernel size per block ({depth}); got [{string.Join(", ", kernels)}].", nameof(kernels));
        poolAfter ??= depth == 5 ? new[] { 1, 3 } : new[] { (depth - 1) / 3, (2 * depth - 1) / 3 }.Distinct().ToArray();
        if (poolAfter.Any(i => i < 0 || i >= depth))
            throw new ArgumentException($"Pool positions must be block indices in [0, {depth - 1}]; got [{string.Join(", ", poolAfter)}].", nameof(poolAfter));
        Space = space;
        In = space.Trivial(1);
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        var type = In;
        for (int i = 0; i < depth; i++)
        {
            var next = Block(space, fields[i]);
            layers.Add(($"conv{i}", new R2Conv(type, next, kernels[i], seed: seed * 100 + i)));
            if (space.Group.IsFinite)
            {
                layers.Add(($"bn{i}", new InnerBatchNorm(next)));
                layers.Add(($"relu{i}", new PointwiseNonlinearity(next)));
            }
            else
            {
                layers.Add(($"bn{i}", new IIDBatchNorm(next)));
                layers.Add(($"act{i}", new NormNonlinearity(next)));
            }
            if (poolAfter.Contains(i)) layers.Add(($"pool{i}", new FieldBlurPool(next)));
            type = next;
        }
        Module<Tensor, Tensor> invariant = space.Group.IsFinite ? new GroupPooling(type) : new InvariantNorms(type);
        int invariantChannels = space.Group.IsFinite ? fields[depth - 1] : type.Representations.Count;
        layers.Add(("invariant", invariant));
        _features = new EquivariantSequential(layers);
        _classifier = Linear(invariantChannels, classes);
        Out = space.Trivial(classes);
        RegisterComponents();
    }

    /// <summary>The gspace.</summary>
    public GSpace2D Space { get; }

    /// <summary>The feature layers in order (each an <see cref="IEquivariant"/> module), before the global
    /// average and the classifier: for per-layer diagnostics.</summary>
    public IReadOnlyList<(string Name, Module<Tensor, Tensor> Layer)> Layers =>
        _features.Layers;

    /// <inheritdoc />
    public FieldType In { get; }

    /// <summary>The logits: one trivial (invariant) field per class.</summary>
    public FieldType Out { get; }

    /// <summary>The logits (batch, classes) are invariant: declared as the trivial action on a vector of
    /// <c>Out.Size</c>, since they have no pixel axes for a field type to move.</summary>
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new TrivialAction(Space.Group, Out.Size) };

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != 1)
            throw new ArgumentException($"SteerableCnn expects (batch, 1, height, width); got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var features = _features.forward(input).mean(new long[] { 2, 3 });
        return _classifier.forward(features).MoveToOuterDisposeScope();
    }

    /// <summary>The eval-mode network as plain TorchSharp modules with equal outputs (≤ 1e-5): each R2Conv
    /// becomes a <c>Conv2d</c> with its expanded kernel, each batch norm a <c>BatchNorm2d</c>, ReLU on
    /// regular fields a plain ReLU, group max pooling a <see cref="ChannelGroupMax"/>; layers with no plain
    /// counterpart (norm nonlinearities, field norms) are shared with this network, as they are. No basis or
    /// type check is left in the convolutions.</summary>
    public Sequential ToPlainModule()
    {
        var exported = new List<(string, Module<Tensor, Tensor>)>();
        foreach (var (name, module) in _features.Layers)
        {
            Module<Tensor, Tensor> plain = module switch
            {
                R2Conv conv => conv.ToPlainModule(),
                InnerBatchNorm bn => bn.ToPlainModule(),
                IIDBatchNorm bn => bn.ToPlainModule(),
                NormBatchNorm bn => bn.ToPlainModule(),
                PointwiseNonlinearity { FunctionName: "ReLU" } => ReLU(),
                FieldBlurPool pool => pool.ToPlainModule(),
                GroupPooling { Mode: GroupPoolingMode.Max } pool when pool.In.Representations.Select(r => r.Dim).Distinct().Count() == 1 =>
                    new ChannelGroupMax(pool.In.Representations.Count, pool.In.Representations[0].Dim),
                _ => (Module<Tensor, Tensor>)module,
            };
            exported.Add((name, plain));
        }
        exported.Add(("global_average", new GlobalAveragePool()));
        var classifier = Linear(_classifier.in_features, _classifier.out_features);
        using (no_grad())
        {
            classifier.weight!.copy_(_classifier.weight!);
            classifier.bias!.copy_(_classifier.bias!);
        }
        exported.Add(("classifier", classifier));
        var sequential = Sequential(exported);
        sequential.eval();
        return sequential;
    }

    private sealed class GlobalAveragePool : Module<Tensor, Tensor>
    {
        public GlobalAveragePool() : base(nameof(GlobalAveragePool)) { }

        public override Tensor forward(Tensor input) => input.mean(new long[] { 2, 3 });
    }

    private static FieldType Block(GSpace2D space, int count)
    {
        if (space.Group.IsFinite) return space.Regular(count);
        var irreps = space.Group.IrrepsUpTo(space.MaximumFrequency ?? space.Group.DefaultBandLimit);
        return new FieldType(space, Enumerable.Range(0, count).SelectMany(_ => irreps.Cast<Representation>()));
    }
}
