namespace Noether.Tests.Architecture.Plant.Clean.Training.Tasks;

/// <summary>Planted for the architecture test: a Training.Tasks type that calls down into Training.</summary>
internal sealed class PlantedTask
{
    public int Epochs => 2;

    public int Count() => PlantedLoop.Run(Epochs).Count();
}
