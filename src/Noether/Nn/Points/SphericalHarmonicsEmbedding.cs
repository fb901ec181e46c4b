using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Edge embedding by real spherical harmonics of degrees 0…L of the edge vectors.</summary>
/// <remarks>
/// <para>Math: Y(r̂) = (Y_0, Y_1, …, Y_L)(r / ‖r‖) with "component" normalisation (Σ_m Y_{l,m}² = 2l + 1), so each
/// component has unit mean square. Out = <c>"1x0e+1x1o+1x2e+…"</c>: Y_l(g r) = D^{l,(−1)^l}(g) Y_l(r) for every
/// g ∈ O(3).</para>
/// <para>Equivariance: O(3) (exact). Shapes: (..., 3) → (..., (L + 1)²). Reference: e3nn <c>o3.SphericalHarmonics</c>.</para>
/// </remarks>
/// <example><code>var sh = new SphericalHarmonicsEmbedding(2); var y = sh.forward(edgeVectors); // (E, 9)</code></example>
public sealed class SphericalHarmonicsEmbedding : Module<Tensor, Tensor>, IEquivariant
{
    private readonly int[] _degrees;

    /// <summary>The output irreps.</summary>
    public Irreps Out { get; }

    /// <summary>Creates the embedding up to degree <paramref name="maxDegree"/>.</summary>
    public SphericalHarmonicsEmbedding(int maxDegree) : base(nameof(SphericalHarmonicsEmbedding))
    {
        Out = Irreps.SphericalHarmonics(maxDegree);
        _degrees = Enumerable.Range(0, maxDegree + 1).ToArray();
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(1, Irreps.Empty) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Out) };

    /// <summary>The harmonics of the directions of <paramref name="vectors"/> (a zero vector gives Y_0 only).</summary>
    /// <param name="vectors">Shape (..., 3).</param>
    public override Tensor forward(Tensor vectors)
    {
        PointsValidation.CheckPositions(vectors, nameof(vectors));
        return Representations.SphericalHarmonics.Evaluate(_degrees, vectors, SphericalHarmonicsNormalization.Component, normalize: true);
    }

    /// <inheritdoc />
    public override string ToString() => $"SphericalHarmonicsEmbedding({Out})";
}
