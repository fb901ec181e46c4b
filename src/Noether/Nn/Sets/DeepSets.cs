using Noether.Equivariance;
using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Sets;

/// <summary>DeepSets: f(X) = ρ(pool_{x ∈ X} φ(x)), the universal form of a permutation-invariant function of a set.</summary>
/// <remarks>
/// Invariance: S_n on the set axis (exact: φ acts per element and the pooling is symmetric). Padding elements
/// (mask false) are left out of the pool.
/// Shapes: features (batch, size, inputs), mask (batch, size) bool → (batch, outputs).
/// With <c>rho</c> empty, ρ is one Linear map, which lets a sum-pooled model extrapolate to sets far larger
/// than those it was trained on (the digit-sum protocol).
/// Reference: Zaheer et al. 2017, "Deep Sets", theorem 2.
/// </remarks>
/// <example><code>var model = new DeepSets(10, new[] { 64, 64 }, new[] { 64 }, 1, SetPooling.Sum);</code></example>
public sealed class DeepSets : Module<Tensor, Tensor, Tensor>, IEquivariant
{
    private readonly ElementwiseMlp phi;
    private readonly ElementwiseMlp rho;

    /// <summary>Creates the model.</summary>
    /// <param name="inputs">features per element.</param>
    /// <param name="phi">widths of φ; its last entry is the width of the pooled representation (≥ 1 entry).</param>
    /// <param name="rho">hidden widths of ρ (may be empty: ρ linear).</param>
    /// <param name="outputs">outputs per set.</param>
    /// <param name="pooling">sum, mean or max.</param>
    public DeepSets(int inputs, IReadOnlyList<int> phi, IReadOnlyList<int> rho, int outputs, SetPooling pooling = SetPooling.Sum)
        : base(nameof(DeepSets))
    {
        ArgumentNullException.ThrowIfNull(phi);
        ArgumentNullException.ThrowIfNull(rho);
        if (phi.Count < 1) throw new ArgumentException("φ needs at least one width (the pooled width).", nameof(phi));
        Pooling = pooling;
        this.phi = new ElementwiseMlp(inputs, phi.Take(phi.Count - 1).ToArray(), phi[^1], activateOutput: true);
        this.rho = new ElementwiseMlp(phi[^1], rho, outputs);
        RegisterComponents();
    }

    /// <summary>The pooling.</summary>
    public SetPooling Pooling { get; }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { PermutationType.SetFeatures(phi.Inputs), PermutationType.SetMask() };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new InvariantType(PermutationSymmetry.Instance, rho.Outputs) };

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask)
    {
        SetBatch.CheckMask(features, mask);
        using var scope = NewDisposeScope();
        var pooled = SetPool.Apply(phi.forward(features), mask, Pooling);
        return rho.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>φ applied to every element (padding included), (batch, size, pooled width): the equivariant part.</summary>
    public Tensor Embed(Tensor features) => phi.forward(features);

    /// <inheritdoc />
    public override string ToString() => $"DeepSets({phi.Inputs} -> {phi.Outputs} -{Pooling}-> {rho.Outputs})";
}
