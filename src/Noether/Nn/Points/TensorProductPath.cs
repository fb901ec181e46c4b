using Noether.Representations;

namespace Noether.Nn.Points;

/// <summary>One path of a tensor product: term <see cref="Left"/> of the left irreps times term <see cref="Right"/>
/// of the right irreps, projected by Clebsch–Gordan coefficients onto term <see cref="Output"/> of the output irreps.</summary>
/// <param name="Left">index of the left term.</param>
/// <param name="Right">index of the right term.</param>
/// <param name="Output">index of the output term.</param>
/// <param name="Irrep">the output irrep (l, p) of this path.</param>
/// <param name="WeightCount">number of weights of the path (0 for an unweighted path).</param>
public sealed record TensorProductPath(int Left, int Right, int Output, O3Irrep Irrep, int WeightCount);
