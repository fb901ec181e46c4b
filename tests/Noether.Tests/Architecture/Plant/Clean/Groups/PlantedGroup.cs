using Noether.Tests.Architecture.Plant.Clean.Representations;

namespace Noether.Tests.Architecture.Plant.Clean.Groups;

/// <summary>Planted for the architecture test: Groups and Representations use each other, which is
/// allowed (one layer) and no cycle.</summary>
internal sealed class PlantedGroup
{
    public PlantedRepresentation Regular() => new(this);
}
