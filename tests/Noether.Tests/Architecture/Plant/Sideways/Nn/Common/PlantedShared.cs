namespace Noether.Tests.Architecture.Plant.Sideways.Nn.Common;

/// <summary>Planted for the architecture test: what two Nn domains may share.</summary>
internal static class PlantedShared
{
    public static int Width => 2;
}
