using Noether.Tests.Architecture.Plant.Clean.Groups;

namespace Noether.Tests.Architecture.Plant.Clean.Data;

/// <summary>Planted for the architecture test: Data using a lower layer (Groups), in a method body.</summary>
internal sealed class PlantedSampler
{
    public object Sample() => new PlantedGroup().Regular();
}
