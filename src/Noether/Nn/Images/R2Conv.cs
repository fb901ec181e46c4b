using Noether.Runtime;
using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Steerable convolution between two field types on the plane: a conv2d whose kernel is a
/// learned combination of a steerable kernel basis, so the layer commutes with the gspace's rotations
/// and reflections.</summary>
/// <remarks>
/// <para>Equivariance: out(g·f) = g·out(f) for every g in the gspace's group — exact for multiples of 90°
/// and axis flips, up to interpolation for other angles. G-CNNs on p4/p4m (Cohen &amp; Welling 2016) are
/// R2Conv between regular fields of C4/D4.</para>
/// <para>Kernel: for each pair (output field type, input field type) the weights w[f_out, f_in, b] combine
/// the basis <see cref="SteerableKernelBasis"/> of that pair; the expanded kernel is one einsum, cached
/// while the module is in eval mode (<see cref="ClearCache"/> after changing weights in eval mode). Bias:
/// only on the trivial (invariant) part of each output field — a bias elsewhere would break equivariance.
/// Initialisation: He-like, so that each output channel's kernel has expected squared norm 2.</para>
/// <para>Shapes: input (batch, In.Size, H, W) → output (batch, Out.Size, H', W') with the usual conv2d
/// arithmetic (padding defaults to k/2: same size).</para>
/// <para>Reference: Weiler &amp; Cesa 2019 (escnn <c>R2Conv</c>).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(8);
/// var conv = new R2Conv(space.Trivial(1), space.Regular(16), kernelSize: 5);
/// </code></example>
public sealed class R2Conv : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly List<Block> _blocks = new();
    // Parameters and buffers are looked up by name when used: Module.to(dtype/device) replaces them.
    private readonly bool _sorted;           // true when the channel permutations are the identity
    private readonly bool _hasBias;
    private Tensor? _cachedKernel;
    private Tensor? _cachedBias;

    private sealed record Block(int OutGroup, int InGroup, string Weights, string Basis, long Count);

    private readonly List<(int Fields, int Dim)> _outGroups = new();
    private readonly List<(int Fields, int Dim)> _inGroups = new();

    /// <summary>The input field type.</summary>
    public FieldType In { get; }
    /// <summary>The output field type.</summary>
    public FieldType Out { get; }
    /// <summary>The (odd) kernel size k.</summary>
    public int KernelSize { get; }
    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }
    /// <summary>The stride.</summary>
    public int Stride { get; }
    /// <summary>The number of learned kernel coefficients (without bias).</summary>
    public long BasisSize => _blocks.Sum(b => get_parameter(b.Weights)!.numel());

    /// <summary>Creates the layer.</summary>
    /// <param name="input">input field type (a 2D gspace).</param>
    /// <param name="output">output field type, of the same gspace.</param>
    /// <param name="kernelSize">odd kernel size.</param>
    /// <param name="padding">zero padding; default k/2 (same spatial size at stride 1).</param>
    /// <param name="stride">stride ≥ 1.</param>
    /// <param name="bias">whether to learn a bias on the trivial parts of the output fields.</param>
    /// <param name="sigma">ring width of the kernel basis.</param>
    /// <param name="maximumFrequency">angular frequency cap of the basis (default 2r per ring).</param>
    /// <param name="seed">seed of the initial weights (null: the global torch generator).</param>
    public R2Conv(FieldType input, FieldType output, int kernelSize, int? padding = null, int stride = 1, bool bias = true,
        double sigma = 0.6, int? maximumFrequency = null, long? seed = null) : base(nameof(R2Conv))
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Space is not GSpace2D space)
            throw new ArgumentException($"R2Conv needs field types of a 2D gspace; got {input.Space.Name}.", nameof(input));
        if (!output.Space.Equals(input.Space))
            throw new ArgumentException($"Input and output field types must share a gspace; got {input.Space.Name} and {output.Space.Name}.", nameof(output));
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentException($"R2Conv needs an odd kernel size; got {kernelSize}.", nameof(kernelSize));
        if (padding is < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding must be ≥ 0.");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be ≥ 1.");
        In = input;
        Out = output;
        KernelSize = kernelSize;
        Padding = padding ?? kernelSize / 2;
        Stride = stride;

        // Group the fields of each side by representation, so that each (out type, in type) pair has one
        // basis and one weight tensor (fields, fields, basis).
        var outGroups = GroupFields(output);
        var inGroups = GroupFields(input);
        _outGroups.AddRange(outGroups.Select(g => (g.Count, g.Representation.Dim)));
        _inGroups.AddRange(inGroups.Select(g => (g.Count, g.Representation.Dim)));
        var outOrder = outGroups.SelectMany(g => g.Channels).ToArray();
        var inOrder = inGroups.SelectMany(g => g.Channels).ToArray();
        _sorted = outOrder.SequenceEqual(Enumerable.Range(0, output.Size)) && inOrder.SequenceEqual(Enumerable.Range(0, input.Size));

        using var generator = seed is long s ? new Generator((ulong)s) : null;
        foreach (var (og, oi) in outGroups.Select((g, i) => (g, i)))
        {
            // He-like: each output channel's kernel gets expected squared norm 2 over all its inputs.
            long fanIn = inGroups.Sum(ig => (long)ig.Count * SteerableKernelBasis.Get(space, ig.Representation, og.Representation, kernelSize, sigma, maximumFrequency).shape[0]);
            double std = fanIn == 0 ? 0 : Math.Sqrt(2.0 * og.Representation.Dim / fanIn);
            foreach (var (ig, ii) in inGroups.Select((g, i) => (g, i)))
            {
                var basis = SteerableKernelBasis.Get(space, ig.Representation, og.Representation, kernelSize, sigma, maximumFrequency);
                long count = basis.shape[0];
                if (count == 0) continue;
                var w = (generator is null ? randn(og.Count, ig.Count, count) : randn(new long[] { og.Count, ig.Count, count }, generator: generator)) * std;
                register_parameter($"weights_{oi}_{ii}", new Parameter(w.DetachFromDisposeScope()));
                register_buffer($"basis_{oi}_{ii}", basis.to_type(ScalarType.Float32).reshape(count, -1).DetachFromDisposeScope(), persistent: false);
                _blocks.Add(new Block(oi, ii, $"weights_{oi}_{ii}", $"basis_{oi}_{ii}", count));
            }
        }

        if (bias)
        {
            var columns = new List<float[]>();
            int offset = 0;
            foreach (var rep in output.Representations)
            {
                var q = rep.ChangeOfBasis;
                for (int k = 0; k < rep.Irreps.Count; k++)
                {
                    if (!rep.Irreps[k].IsTrivial) continue;
                    int column = rep.Irreps.Take(k).Sum(i => i.Dim);
                    var vector = new float[output.Size];
                    for (int row = 0; row < rep.Dim; row++) vector[offset + row] = (float)q[row, column];
                    columns.Add(vector);
                }
                offset += rep.Dim;
            }
            if (columns.Count > 0)
            {
                var map = new float[output.Size * columns.Count];
                for (int col = 0; col < columns.Count; col++)
                    for (int row = 0; row < output.Size; row++) map[row * columns.Count + col] = columns[col][row];
                register_buffer("bias_map", tensor(map, new long[] { output.Size, columns.Count }).DetachFromDisposeScope(), persistent: false);
                register_parameter("bias", new Parameter(zeros(columns.Count).DetachFromDisposeScope()));
                _hasBias = true;
            }
        }
        register_buffer("out_permutation", tensor(Inverse(outOrder)).DetachFromDisposeScope(), persistent: false);
        register_buffer("in_permutation", tensor(Inverse(inOrder)).DetachFromDisposeScope(), persistent: false);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != In.Size)
            throw new ArgumentException(
                $"R2Conv expects (batch, {In.Size}, height, width) for field type [{In.Description}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        // A cache built for another dtype or device (before .to(...)) is stale.
        if (_cachedKernel is not null && (_cachedKernel.dtype != input.dtype || _cachedKernel.device.type != input.device.type)) ClearCache();
        if (!training && _cachedKernel is not null)
            return functional.conv2d(input, _cachedKernel, _cachedBias, strides: new long[] { Stride, Stride }, padding: new long[] { Padding, Padding });
        using var scope = NewDisposeScope();
        var (kernel, bias) = Expand();
        if (!training)
        {
            _cachedKernel = kernel.detach().to(input.dtype, input.device).DetachFromDisposeScope();
            _cachedBias = bias?.detach().to(input.dtype, input.device).DetachFromDisposeScope();
        }
        return functional.conv2d(input, kernel.to(input.dtype), bias?.to(input.dtype), strides: new long[] { Stride, Stride }, padding: new long[] { Padding, Padding })
            .MoveToOuterDisposeScope();
    }

    /// <summary>The full conv2d kernel (Out.Size, In.Size, k, k) and bias (Out.Size) or null.</summary>
    public (Tensor Kernel, Tensor? Bias) Expand()
    {
        using var scope = NewDisposeScope();
        int k = KernelSize;
        // Zero blocks follow the module's dtype and device (it may have been moved with .to()).
        var reference = _blocks.Count > 0 ? get_parameter(_blocks[0].Weights)! : get_buffer("out_permutation")!;
        var dtype = _blocks.Count > 0 ? reference.dtype : _hasBias ? get_parameter("bias")!.dtype : ScalarType.Float32;
        var device = reference.device;
        var rows = new List<Tensor>();
        for (int oi = 0; oi < _outGroups.Count; oi++)
        {
            var (outFields, outDim) = _outGroups[oi];
            var parts = new List<Tensor>();
            for (int ii = 0; ii < _inGroups.Count; ii++)
            {
                var (inFields, inDim) = _inGroups[ii];
                var block = _blocks.FirstOrDefault(b => b.OutGroup == oi && b.InGroup == ii);
                // No basis element: the only equivariant kernel between these fields is zero.
                parts.Add(block is null
                    ? zeros(new long[] { outFields * outDim, inFields * inDim, k, k }, dtype: dtype, device: device)
                    : einsum("xyb,bn->xyn", get_parameter(block.Weights)!, get_buffer(block.Basis)!.to(dtype, device))
                        .reshape(outFields, inFields, outDim, inDim, k, k)
                        .permute(0, 2, 1, 3, 4, 5)
                        .reshape(outFields * outDim, inFields * inDim, k, k));
            }
            rows.Add(parts.Count == 1 ? parts[0] : cat(parts, 1));
        }
        var kernel = rows.Count == 1 ? rows[0] : cat(rows, 0);
        if (!_sorted) kernel = kernel.index_select(0, get_buffer("out_permutation")!).index_select(1, get_buffer("in_permutation")!);
        var bias = _hasBias ? get_buffer("bias_map")!.to(dtype, device).MatMulChecked(get_parameter("bias")!) : null;
        return (kernel.MoveToOuterDisposeScope(), bias?.MoveToOuterDisposeScope());
    }

    /// <summary>Drops the cached eval-mode kernel (call after changing weights while in eval mode).</summary>
    public void ClearCache()
    {
        _cachedKernel?.Dispose();
        _cachedBias?.Dispose();
        _cachedKernel = null;
        _cachedBias = null;
    }

    /// <inheritdoc />
    public override void train(bool on = true)
    {
        ClearCache();
        base.train(on);
    }

    /// <summary>A plain <c>Conv2d</c> with the expanded kernel and bias: same outputs, no basis left.</summary>
    public Conv2d ToPlainModule()
    {
        var conv = Conv2d(In.Size, Out.Size, KernelSize, stride: Stride, padding: Padding, bias: _hasBias);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var (kernel, bias) = Expand();
            conv.weight!.copy_(kernel);
            if (bias is not null) conv.bias!.copy_(bias);
        }
        return conv;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) ClearCache();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"R2Conv([{In.Description}] -> [{Out.Description}], k={KernelSize})";

    private static long[] Inverse(int[] order)
    {
        var inverse = new long[order.Length];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return inverse;
    }

    private sealed record FieldGroup(Representation Representation, int Count, int[] Channels);

    private static List<FieldGroup> GroupFields(FieldType type)
    {
        var groups = new List<(Representation Rep, List<int> Channels, int Count)>();
        int offset = 0;
        foreach (var rep in type.Representations)
        {
            int index = groups.FindIndex(g => ReferenceEquals(g.Rep, rep));
            if (index < 0) { groups.Add((rep, new List<int>(), 0)); index = groups.Count - 1; }
            var g = groups[index];
            g.Channels.AddRange(Enumerable.Range(offset, rep.Dim));
            groups[index] = (g.Rep, g.Channels, g.Count + 1);
            offset += rep.Dim;
        }
        return groups.Select(g => new FieldGroup(g.Rep, g.Count, g.Channels.ToArray())).ToList();
    }
}
