using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Lennard-Jones cluster configurations, padded to a common atom count.</summary>
/// <param name="Positions">(S, Nmax, 3) float32; padded atoms at the origin.</param>
/// <param name="Mask">(S, Nmax) float32, 1 for real atoms.</param>
/// <param name="Energies">(S) float32, total LJ energy in units of ε.</param>
/// <param name="Forces">(S, Nmax, 3) float32, −∂E/∂x (0 for padded atoms).</param>
public sealed record LennardJonesSet(Tensor Positions, Tensor Mask, Tensor Energies, Tensor Forces) : IDisposable
{
    /// <summary>Number of configurations S.</summary>
    public int Count => (int)Positions.shape[0];

    /// <summary>The configurations at <paramref name="index"/> (new tensors).</summary>
    public LennardJonesSet Select(Tensor index) => new(Positions.index_select(0, index), Mask.index_select(0, index),
        Energies.index_select(0, index), Forces.index_select(0, index));

    /// <inheritdoc />
    public void Dispose()
    {
        Positions.Dispose();
        Mask.Dispose();
        Energies.Dispose();
        Forces.Dispose();
    }
}
