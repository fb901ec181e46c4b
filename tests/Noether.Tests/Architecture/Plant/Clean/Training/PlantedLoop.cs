using Noether.Tests.Architecture.Plant.Clean.Data;

namespace Noether.Tests.Architecture.Plant.Clean.Training;

/// <summary>Planted for the architecture test: Training uses Data (down) inside an iterator (a
/// compiler-generated state machine); Training.Tasks uses Training (down), never the other way.</summary>
internal static class PlantedLoop
{
    public static IEnumerable<object> Run(int epochs)
    {
        var sampler = new PlantedSampler();
        for (var i = 0; i < epochs; i++)
            yield return sampler.Sample();
    }
}
