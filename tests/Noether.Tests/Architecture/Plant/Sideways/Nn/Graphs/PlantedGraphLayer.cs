using Noether.Tests.Architecture.Plant.Sideways.Nn.Common;
using Noether.Tests.Architecture.Plant.Sideways.Nn.Sets;

namespace Noether.Tests.Architecture.Plant.Sideways.Nn.Graphs;

/// <summary>Planted for the architecture test: a Graphs type that uses Nn.Common (allowed) and, inside
/// a lambda (a compiler-generated closure class), the Sets domain (sideways, to be reported).</summary>
internal sealed class PlantedGraphLayer
{
    public Func<int, int> Forward(int width) => x => new PlantedSetLayer().Apply(x) + PlantedShared.Width + width;
}
