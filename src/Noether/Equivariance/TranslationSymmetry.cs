using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Translations of 3D space: the checker draws seeded vectors t, each component uniform in [−1.5, 1.5)
/// (<see cref="Translation"/>), and <see cref="TranslatedPositions"/> moves the positions of point clouds by them.</summary>
/// <remarks>The rotations and reflections of E(3) are checked as O(3) (<see cref="IrrepsAction"/>); translations act
/// on positions only, so they are checked apart, on the same relative error.</remarks>
public sealed class TranslationSymmetry : Symmetry
{
    private TranslationSymmetry() { }

    /// <summary>The one instance.</summary>
    public static TranslationSymmetry Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "translations of R³";

    /// <inheritdoc />
    public override IReadOnlyList<Transformation> Draw(int samples, int seed)
    {
        CheckSamples(samples);
        return Enumerable.Range(0, samples).Select(i => (Transformation)new Translation(seed, i)).ToArray();
    }
}

/// <summary>A translation by t, drawn from a seed: draw i takes its three components from
/// <c>new Random(seed + 7919 i)</c>, each 3 (u − 0.5) with u uniform in [0, 1).</summary>
public sealed class Translation : Transformation
{
    /// <summary>The translation with number <paramref name="index"/> drawn from <paramref name="seed"/>.</summary>
    public Translation(int seed, int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index), index, "Expected ≥ 0.");
        Index = index;
        var random = new Random(unchecked(seed + 7919 * index));
        Vector = new[] { 3 * (random.NextDouble() - 0.5), 3 * (random.NextDouble() - 0.5), 3 * (random.NextDouble() - 0.5) };
    }

    /// <summary>Which draw this is (for its name).</summary>
    public int Index { get; }

    /// <summary>t = (t_x, t_y, t_z).</summary>
    public IReadOnlyList<double> Vector { get; }

    /// <inheritdoc />
    public override string Name => $"t#{Index}";
}

/// <summary>Point clouds (batch, points, columns) whose 3 columns from <see cref="Start"/> are positions, moved by a
/// translation; every other column (velocities, charges, features) stays.</summary>
public sealed class TranslatedPositions : ITensorType, IEquatable<TranslatedPositions>
{
    /// <summary>Tensors of <paramref name="columns"/> columns whose positions start at column <paramref name="start"/>.</summary>
    public TranslatedPositions(int columns, int start = 0)
    {
        if (columns < 3 || start < 0 || start + 3 > columns)
            throw new ArgumentException($"Positions need 3 columns from column {start} of {columns}.", nameof(start));
        (Columns, Start) = (columns, start);
    }

    /// <summary>Columns of the last axis.</summary>
    public int Columns { get; }

    /// <summary>The first column of the positions.</summary>
    public int Start { get; }

    /// <inheritdoc />
    public Symmetry Symmetry => TranslationSymmetry.Instance;

    /// <inheritdoc />
    public Tensor Transform(Transformation t, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (t is not Translation translation)
            throw new ArgumentException($"Positions move by a translation; got '{t}' ({t?.GetType().Name}).", nameof(t));
        if (x.dim() < 2 || x.shape[^1] != Columns)
            throw new ArgumentException($"Expected (…, points, {Columns}); got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        var moved = x.clone();
        moved.narrow(-1, Start, 3).add_(tensor(translation.Vector.ToArray(), dtype: ScalarType.Float64).to(x.dtype, x.device));
        return moved.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator) =>
        randn(new long[] { batch, size, Columns }, dtype: dtype, generator: generator);

    /// <inheritdoc />
    public bool Equals(TranslatedPositions? other) => other is not null && other.Columns == Columns && other.Start == Start;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TranslatedPositions p && Equals(p);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Columns, Start);
    /// <inheritdoc />
    public override string ToString() => $"positions in columns {Start}–{Start + 2} of {Columns}";
}
