using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>The EGNN paper's "Linear" N-body baseline: constant-velocity extrapolation x + t v with one learned time t.</summary>
/// <remarks>Equivariance: E(3) (exact): positions move with rotations, reflections and translations, velocities with
/// rotations and reflections. Shapes: positions and velocities (B, N, 3) → (B, N, 3).</remarks>
public sealed class LinearDynamics : Module
{
    private readonly Parameter _time;

    /// <summary>Creates the model with t = 0.</summary>
    public LinearDynamics() : base(nameof(LinearDynamics))
    {
        _time = new Parameter(torch.zeros(1).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>x + t v.</summary>
    public Tensor Forward(Tensor positions, Tensor velocities) => positions + velocities * _time;
}
