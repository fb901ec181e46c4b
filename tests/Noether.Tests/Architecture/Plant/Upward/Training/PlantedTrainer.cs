using Noether.Tests.Architecture.Plant.Upward.Data;

namespace Noether.Tests.Architecture.Plant.Upward.Training;

/// <summary>Planted for the architecture test: Training using Data is allowed, but together with
/// <see cref="PlantedLoader"/>'s upward call it closes the cycle Data → Training → Data.</summary>
internal static class PlantedTrainer
{
    public static int Step(PlantedLoader loader) => loader.Count + 1;
}
