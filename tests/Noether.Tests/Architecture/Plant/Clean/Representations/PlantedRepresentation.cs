using Noether.Tests.Architecture.Plant.Clean.Groups;

namespace Noether.Tests.Architecture.Plant.Clean.Representations;

/// <summary>Planted for the architecture test: the Representations half of the Groups ↔
/// Representations pair.</summary>
internal sealed record PlantedRepresentation(PlantedGroup Group);
