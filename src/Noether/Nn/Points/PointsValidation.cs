using Noether.Representations;
using Noether.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Points;

/// <summary>Checks shared by the point layers: the user's tensors must match the declared irreps.</summary>
internal static class PointsValidation
{
    public static void CheckFeatures(Tensor x, Irreps irreps, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.dim() < 1 || x.shape[^1] != irreps.Dim)
            throw new ArgumentException($"Expected features of shape (..., {irreps.Dim}) for irreps '{irreps}'; got [{string.Join(", ", x.shape)}].", name);
        if (!x.is_floating_point())
            throw new ArgumentException($"Features must have a floating-point dtype; got {x.dtype}.", name);
    }

    public static void CheckPositions(Tensor positions, string name)
    {
        ArgumentNullException.ThrowIfNull(positions, name);
        if (positions.dim() < 2 || positions.shape[^1] != 3)
            throw new ArgumentException($"Expected positions of shape (..., 3); got [{string.Join(", ", positions.shape)}].", name);
        if (!positions.is_floating_point())
            throw new ArgumentException($"Positions must have a floating-point dtype; got {positions.dtype}.", name);
        if (!torch.isfinite(positions).all().ToBooleanChecked())
            throw new ArgumentException("Positions contain NaN or infinite coordinates.", name);
    }
}
