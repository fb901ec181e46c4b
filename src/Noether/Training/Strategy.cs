namespace Noether.Training;

/// <summary>How a run builds a symmetry in: not at all, by augmentation, by symmetrizing the model (group averaging), by
/// frame averaging or by canonicalization (the model run in a canonical or learned frame). A task declares the ones that
/// are meaningful for it (<c>TaskInfo.Strategies</c>); the others are refused with a clear error.</summary>
/// <remarks>A value type with the CLI's names: <c>Strategy.Parse("frame-average") == Strategy.FrameAverage</c>; a string
/// converts implicitly (an unknown name throws <see cref="ArgumentException"/> listing the known ones).</remarks>
public readonly record struct Strategy
{
    private readonly string? _name;

    private Strategy(string name) => _name = name;

    /// <summary>The CLI name, e.g. <c>frame-average</c> (<c>default(Strategy)</c> is <see cref="None"/>).</summary>
    public string Name => _name ?? "none";

    /// <summary>Train the model as it is.</summary>
    public static Strategy None { get; } = new("none");

    /// <summary>Transform each training example by a random group element (inputs and targets), every step.</summary>
    public static Strategy Augment { get; } = new("augment");

    /// <summary>Average the model over the group: g⁻¹ f(g x) over every element of a finite group (exact) or a fixed set of
    /// Haar samples of a compact one (approximate), in training and at test.</summary>
    public static Strategy Symmetrize { get; } = new("symmetrize");

    /// <summary>Average the model over the frames of each input (exact for the frames' group; Puny et al. 2022).</summary>
    public static Strategy FrameAverage { get; } = new("frame-average");

    /// <summary>Run the model in the canonical frame of each input.</summary>
    public static Strategy Canonicalize { get; } = new("canonicalize");

    /// <summary>Run the model in a frame predicted by a small equivariant network trained with it (Kaba et al. 2023).</summary>
    public static Strategy CanonicalizeLearned { get; } = new("canonicalize-learned");

    /// <summary>Every strategy, in the order the CLI lists them.</summary>
    public static IReadOnlyList<Strategy> All { get; } = new[] { None, Augment, Symmetrize, FrameAverage, Canonicalize, CanonicalizeLearned };

    /// <summary>The strategy called <paramref name="name"/>; <see cref="ArgumentException"/> listing the known ones otherwise.</summary>
    public static Strategy Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var s in All)
            if (s.Name == name) return s;
        throw new ArgumentException($"Unknown strategy '{name}'; strategies: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));
    }

    /// <summary>The strategy called <paramref name="name"/> (see <see cref="Parse"/>).</summary>
    public static implicit operator Strategy(string name) => Parse(name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
