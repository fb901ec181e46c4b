namespace Noether.Tests.Architecture;

/// <summary>A reference that points up the stack, or sideways between two Nn domains.</summary>
public sealed record LayerViolation(TypeReference Reference, Layer FromLayer, Layer ToLayer)
{
    /// <summary>Sideways: both ends are Nn domains (of the same rank); otherwise upwards.</summary>
    public bool IsSideways => FromLayer.IsDomain && ToLayer.IsDomain;

    public override string ToString() =>
        $"{Reference.From.FullName} [{FromLayer}] → {Reference.To.FullName} [{ToLayer}]" +
        $" ({(IsSideways ? "sideways" : "upwards")}; {Reference.Site})";
}
