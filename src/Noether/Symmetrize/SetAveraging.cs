using Noether.Equivariance;
using Noether.Nn.Sets;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>Symmetrizes a set model (features, mask) → output over orderings of each set's elements:
/// f̄(X) = (1/K) Σ_k f(π_k X), with K fresh random orderings per call (padding kept last) from a seeded generator.</summary>
/// <remarks>
/// <para>Averaging over all n! orderings is exact but out of reach; K samples give the Monte Carlo average (the
/// π-SGD estimate of Janossy pooling, Murphy et al. 2019), invariant in expectation with an error falling as 1/√K.
/// A permutation-invariant model (DeepSets, Set Transformer) is unchanged.</para>
/// <para>Shapes: features (batch, n, d), mask (batch, n) → the wrapped model's output (batch, ...), which must be invariant.</para>
/// </remarks>
public sealed class SetAveraging : Module<Tensor, Tensor, Tensor>, IEquivariantComposite
{
    private readonly Module<Tensor, Tensor, Tensor> _inner;
    private readonly Generator _generator;

    /// <summary>Averages <paramref name="inner"/> over <paramref name="samples"/> random orderings per call.</summary>
    public SetAveraging(Module<Tensor, Tensor, Tensor> inner, int samples, int seed) : base(nameof(SetAveraging))
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Samples = SampledAverage.Check(samples, nameof(samples));
        _generator = new Generator(unchecked((ulong)seed));
        RegisterComponents();
    }

    /// <summary>Orderings per call.</summary>
    public int Samples { get; }

    /// <summary>The wrapped model: its declared set types are the average's (averaging keeps an invariant model as it is).</summary>
    IReadOnlyList<Module> IEquivariantComposite.Parts => new Module[] { _inner };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var orderings = Enumerable.Range(0, Samples).Select(_ => SetOrder.Shuffle(new SetBatch(features, mask), _generator)).ToArray();
        var y = _inner.forward(cat(orderings.Select(o => o.Features).ToArray(), 0), cat(orderings.Select(o => o.Mask).ToArray(), 0));
        long batch = features.shape[0];
        return SampledAverage.Mean(y, Samples, batch).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _generator.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"SetAveraging({Samples} orderings, {_inner})";
}
