using Noether.Tests.Architecture.Plant.Sideways.Nn.Common;

namespace Noether.Tests.Architecture.Plant.Sideways.Nn.Sets;

/// <summary>Planted for the architecture test: a Sets type that uses only Nn.Common.</summary>
internal sealed class PlantedSetLayer
{
    public int Apply(int x) => x * PlantedShared.Width;
}
