namespace Noether.Equivariance;

/// <summary>A transformation known only by its name: a draw of a checker that keeps its own random stream
/// (<see cref="PermutationCheck"/>, <see cref="GaugeCheck"/>), recorded in a report.</summary>
public sealed class DrawnTransformation : Transformation
{
    /// <summary>A draw named <paramref name="name"/>.</summary>
    public DrawnTransformation(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A name is needed.", nameof(name));
        Name = name;
    }

    /// <inheritdoc />
    public override string Name { get; }
}
