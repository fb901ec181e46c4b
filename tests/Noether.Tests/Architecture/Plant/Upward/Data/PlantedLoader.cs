using Noether.Tests.Architecture.Plant.Upward.Training;

namespace Noether.Tests.Architecture.Plant.Upward.Data;

/// <summary>Planted for the architecture test: a Data type whose method body (and only its body)
/// calls up into Training, which the checker must report.</summary>
internal sealed class PlantedLoader
{
    public int Count => 3;

    public int Load() => PlantedTrainer.Step(this);
}
