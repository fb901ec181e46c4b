using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>A local gauge transformation Ω(x): a Haar-random element of the gauge group at every lattice site,
/// drawn from a seed, so that links and adjoint features of one check see the same Ω.</summary>
/// <remarks>Ω has shape (batch, L_1..L_d, N, N); it is generated in complex128 from
/// <c>new Generator(Seed)</c> for the lattice it is asked for and cast to the tensor's dtype
/// (<see cref="GaugeTransformation"/> applies it).</remarks>
public sealed class GaugeFieldTransformation : Transformation
{
    /// <summary>The gauge field with number <paramref name="index"/> drawn from <paramref name="seed"/>.</summary>
    public GaugeFieldTransformation(GaugeGroup group, int seed, int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Expected ≥ 0.");
        Group = group;
        Seed = seed;
        Index = index;
    }

    /// <summary>The gauge group.</summary>
    public GaugeGroup Group { get; }

    /// <summary>The seed of Ω.</summary>
    public int Seed { get; }

    /// <summary>Which draw this is.</summary>
    public int Index { get; }

    /// <inheritdoc />
    public override string Name => $"Ω#{Index}";

    /// <summary>Ω for a batch of lattices: shape (batch, L_1..L_d, N, N), dtype <paramref name="dtype"/>.</summary>
    /// <param name="lattice">(batch, L_1..L_d).</param>
    /// <param name="dtype">a complex dtype.</param>
    /// <param name="device">where to put Ω.</param>
    public Tensor Omega(long[] lattice, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)unchecked((uint)(Seed * 7919 + Index)));
        var omega = GaugeLinks.RandomElements(Group, lattice, generator, ScalarType.ComplexFloat64);
        return omega.to(dtype, device).MoveToOuterDisposeScope();
    }
}
