using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Charged N-body examples: the state at the input frame and the positions at the target frame.</summary>
/// <param name="Positions">(S, N, 3) at the input frame, float32.</param>
/// <param name="Velocities">(S, N, 3) at the input frame, float32.</param>
/// <param name="Charges">(S, N, 1), ±1, float32.</param>
/// <param name="Targets">(S, N, 3) positions at the target frame, float32.</param>
public sealed record NBodySet(Tensor Positions, Tensor Velocities, Tensor Charges, Tensor Targets) : IDisposable
{
    /// <summary>Number of systems S.</summary>
    public int Count => (int)Positions.shape[0];

    /// <summary>The systems at <paramref name="index"/> (new tensors).</summary>
    public NBodySet Select(Tensor index) => new(Positions.index_select(0, index), Velocities.index_select(0, index),
        Charges.index_select(0, index), Targets.index_select(0, index));

    /// <inheritdoc />
    public void Dispose()
    {
        Positions.Dispose();
        Velocities.Dispose();
        Charges.Dispose();
        Targets.Dispose();
    }
}
