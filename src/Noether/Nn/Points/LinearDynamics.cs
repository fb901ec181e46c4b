using Noether.Representations;
using Noether.Equivariance;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>The EGNN paper's "Linear" N-body baseline: constant-velocity extrapolation x + t v with one learned time t.</summary>
/// <remarks>Equivariance: E(3) (exact): positions move with rotations, reflections and translations, velocities with
/// rotations and reflections. Shapes: positions and velocities (B, N, 3) → (B, N, 3).</remarks>
public sealed class LinearDynamics : Module, IEquivariant
{
    private readonly Parameter _time;

    /// <summary>Creates the model with t = 0.</summary>
    public LinearDynamics() : base(nameof(LinearDynamics))
    {
        _time = new Parameter(torch.zeros(1).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <summary>The declared types: positions and velocities (B, N, 3) and the predicted positions, rotated and reflected
    /// by O(3) (translations move positions only; the nbody task checks them apart).</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes =>
        new ITensorType[] { new IrrepsAction(1, Irreps.Empty) { PerPoint = true }, new IrrepsAction(1, Irreps.Empty) { PerPoint = true } };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(1, Irreps.Empty) { PerPoint = true } };

    /// <summary>Runs <see cref="Forward"/> on (positions, velocities).</summary>
    IReadOnlyList<Tensor> IEquivariant.Invoke(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 2) throw new ArgumentException($"Expected 2 tensors (positions, velocities); got {inputs.Count}.", nameof(inputs));
        return new[] { Forward(inputs[0], inputs[1]) };
    }

    /// <summary>x + t v.</summary>
    public Tensor Forward(Tensor positions, Tensor velocities) => positions + velocities * _time;
}
