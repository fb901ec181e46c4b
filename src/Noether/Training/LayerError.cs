using Noether.Equivariance;

namespace Noether.Training;

/// <summary>The equivariance error of one layer of a model.</summary>
/// <param name="Name">the layer's name in the model.</param>
/// <param name="Kind">its type.</param>
/// <param name="EquivarianceError">mean relative error on the activations it receives, or null where the
/// layer declares no symmetry (plain layers).</param>
/// <param name="MaxError">the largest relative error, or null.</param>
/// <param name="Verdict">exact (within the dtype's tolerance), approximate, or not declared; null where the caller
/// did not judge it.</param>
public sealed record LayerError(string Name, string Kind, double? EquivarianceError, double? MaxError, EquivarianceVerdict? Verdict = null);
