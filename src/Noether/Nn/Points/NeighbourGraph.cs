using static TorchSharp.torch;

namespace Noether.Nn.Points;

/// <summary>Directed edges source → target between points closer than a radius, with the periodic image shift
/// of each: the edge vector is positions[Source] + Shift − positions[Target].</summary>
/// <param name="Source">Shape (E,), int64.</param>
/// <param name="Target">Shape (E,), int64.</param>
/// <param name="Shift">Shape (E, 3), dtype of the positions (zero without periodic boundaries).</param>
public sealed record NeighbourGraph(Tensor Source, Tensor Target, Tensor Shift) : IDisposable
{
    /// <summary>Number of edges.</summary>
    public long Count => Source.shape[0];

    /// <summary>Edge vectors positions[Source] + Shift − positions[Target], differentiable in <paramref name="positions"/>.</summary>
    /// <param name="positions">Shape (N, 3), the positions the graph was built from.</param>
    public Tensor EdgeVectors(Tensor positions) =>
        positions.index_select(0, Source) + Shift.to(positions.dtype) - positions.index_select(0, Target);

    /// <inheritdoc />
    public void Dispose()
    {
        Source.Dispose();
        Target.Dispose();
        Shift.Dispose();
    }
}
