using Noether.Tests.Architecture.Plant.Clean.Data;
using Noether.Tests.Architecture.Plant.Clean.Training.Tasks;

namespace Noether.Tests.Architecture.Plant.Clean.Training;

/// <summary>Planted for the architecture test: Training uses Data (down) inside an iterator (a
/// compiler-generated state machine) and Training.Tasks, which uses Training back: one layer, no cycle.</summary>
internal static class PlantedLoop
{
    public static IEnumerable<object> Run(PlantedTask task)
    {
        var sampler = new PlantedSampler();
        for (var i = 0; i < task.Epochs; i++)
            yield return sampler.Sample();
    }
}
