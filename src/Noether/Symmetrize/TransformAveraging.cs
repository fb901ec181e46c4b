using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>Symmetrizes a model with an invariant output over random transformations of its input that are not given by
/// one group element for the whole batch (a gauge transformation is a field of elements, one per site):
/// f̄(x) = (1/K) Σ_k f(T_k x), with K fresh transformations at every call drawn from a seeded generator.</summary>
/// <remarks>
/// <para>Monte Carlo group averaging (Reynolds operator): f̄ is invariant in expectation and its invariance error falls
/// as 1/√K; a model that is invariant already is unchanged. The K transformed copies go through the model in one call.</para>
/// <para>Shapes: as the wrapped model; <c>transform</c> maps a batch to a transformed batch of the same shape.</para>
/// </remarks>
/// <example><code>var averaged = new TransformAveraging(cnn, (links, g) =&gt; GaugeLinks.Reunitarize(
///     GaugeTransformation.ApplyToLinks(GaugeTransformation.Random(links, g), links)), samples: 8, seed: 0);</code></example>
public sealed class TransformAveraging : Module<Tensor, Tensor>, IEquivariantComposite
{
    private readonly Module<Tensor, Tensor> _inner;
    private readonly Func<Tensor, Generator, Tensor> _transform;
    private readonly Generator _generator;

    /// <summary>Averages <paramref name="inner"/> over <paramref name="samples"/> random transformations per call.</summary>
    /// <param name="inner">the model f (its output invariant under the transformations it is to be averaged over).</param>
    /// <param name="transform">draws a random transformation of a batch from the generator and applies it.</param>
    /// <param name="samples">K ≥ 1.</param>
    /// <param name="seed">seed of the generator of the transformations.</param>
    public TransformAveraging(Module<Tensor, Tensor> inner, Func<Tensor, Generator, Tensor> transform, int samples, int seed)
        : base(nameof(TransformAveraging))
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _transform = transform ?? throw new ArgumentNullException(nameof(transform));
        Samples = SampledAverage.Check(samples, nameof(samples));
        _generator = new Generator(unchecked((ulong)seed));
        RegisterComponents();
    }

    /// <summary>Transformations per call.</summary>
    public int Samples { get; }

    /// <summary>The wrapped model.</summary>
    public Module<Tensor, Tensor> Inner => _inner;

    /// <summary>The wrapped model: its declared types are the average's.</summary>
    IReadOnlyList<Module> IEquivariantComposite.Parts => new Module[] { _inner };

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        long batch = x.shape[0];
        var copies = cat(Enumerable.Range(0, Samples).Select(_ => _transform(x, _generator)).ToArray(), 0);
        var y = _inner.forward(copies);
        return SampledAverage.Mean(y, Samples, batch).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _generator.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override string ToString() => $"TransformAveraging({Samples} samples, {_inner})";
}
