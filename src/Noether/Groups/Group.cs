using System.Collections.Concurrent;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>A symmetry group: finite (C_N, D_N, S_n, point groups) or compact Lie (SO(2), O(2), SO(3), O(3)).</summary>
/// <remarks>
/// A group knows its identity, product, inverse, Haar-uniform sampling, its generators, its real
/// irreducible representations and the subgroups used in practice. Names match across the API and
/// the CLI: <c>Group.Parse("D4")</c> is <c>Group.Dihedral(4)</c> is <c>noether groups D4</c>.
/// Groups are immutable and cached: the same name gives the same instance.
/// Conventions: products compose as matrices, <c>(a·b)</c> acts by b first; every representation is
/// real and orthogonal.
/// </remarks>
public abstract class Group : IEquatable<Group>
{
    private static readonly ConcurrentDictionary<string, Group> Cache = new(StringComparer.Ordinal);

    /// <summary>The canonical name, which <see cref="Parse"/> accepts (for example <c>"D4"</c>, <c>"SO3"</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The number of elements, or null for an infinite (continuous) group.</summary>
    public abstract int? Order { get; }

    /// <summary>True when the group has finitely many elements.</summary>
    public bool IsFinite => Order is not null;

    /// <summary>The identity element.</summary>
    public abstract GroupElement Identity { get; }

    /// <summary>A generating set. For finite groups it generates the group; for continuous groups it
    /// generates a dense subgroup (for example a rotation by 1 radian for SO(2)), which is enough to
    /// pin down intertwiners and equivariance constraints of continuous representations.</summary>
    public abstract IReadOnlyList<GroupElement> Generators { get; }

    /// <summary>The group product a·b.</summary>
    public GroupElement Compose(GroupElement a, GroupElement b)
    {
        CheckMember(a, nameof(a));
        CheckMember(b, nameof(b));
        return ComposeCore(a, b);
    }

    /// <summary>The inverse g⁻¹.</summary>
    public GroupElement Inverse(GroupElement g)
    {
        CheckMember(g, nameof(g));
        return InverseCore(g);
    }

    /// <summary>True when a and b are the same element, within <paramref name="tolerance"/> for
    /// continuous groups (exact for finite ones).</summary>
    public bool AreClose(GroupElement a, GroupElement b, double tolerance = 1e-9)
    {
        CheckMember(a, nameof(a));
        CheckMember(b, nameof(b));
        return AreCloseCore(a, b, tolerance);
    }

    /// <summary>An element drawn from the normalised Haar measure (uniform), using <paramref name="random"/>.</summary>
    public GroupElement Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return SampleCore(random);
    }

    /// <summary><paramref name="count"/> Haar-random elements from a generator seeded with <paramref name="seed"/>.</summary>
    public IReadOnlyList<GroupElement> Sample(int count, int seed)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Count must be non-negative.");
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => SampleCore(random)).ToArray();
    }

    /// <summary>All elements, for finite groups; throws <see cref="InvalidOperationException"/> for
    /// continuous groups.</summary>
    public virtual IReadOnlyList<GroupElement> Elements =>
        throw new InvalidOperationException($"{Name} is a continuous group; its elements cannot be enumerated. Use Sample.");

    /// <summary>The real irreducible representations: all of them for finite groups, those up to
    /// <see cref="DefaultBandLimit"/> for continuous ones.</summary>
    public IReadOnlyList<Irrep> Irreps => IsFinite ? IrrepsUpTo(int.MaxValue) : IrrepsUpTo(DefaultBandLimit);

    /// <summary>The irreps whose <see cref="Irrep.BandLevel"/> (frequency or degree) is at most
    /// <paramref name="bandLimit"/>, in the group's canonical order.</summary>
    public abstract IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit);

    /// <summary>The largest band limit (frequency or degree) of a continuous group's irreps: degree 1,000 of SO(3) is a
    /// 2,001 × 2,001 matrix; beyond, sizes grow into memory a user did not mean to ask for.</summary>
    public const int MaxBandLimit = 1000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a band limit outside 0…<see cref="MaxBandLimit"/>.</summary>
    protected static int CheckBand(int band, string paramName) => band is >= 0 and <= MaxBandLimit ? band
        : throw new ArgumentOutOfRangeException(paramName, band, $"Band limits and degrees must be between 0 and {MaxBandLimit:N0}.");

    /// <summary>The band limit used where a continuous group must list "its" irreps (CLI, defaults).</summary>
    public virtual int DefaultBandLimit => 0;

    /// <summary>The irrep at <paramref name="index"/> in the canonical order.</summary>
    public abstract Irrep Irrep(int index);

    /// <summary>The irrep called <paramref name="name"/> (as in <see cref="Representation.Name"/>).</summary>
    public virtual Irrep Irrep(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var known = IsFinite ? Irreps : IrrepsUpTo(Math.Max(DefaultBandLimit, 16));
        return known.FirstOrDefault(i => i.Name == name)
            ?? throw new ArgumentException($"{Name} has no irrep named '{name}'; known: {string.Join(", ", known.Select(i => i.Name))}.", nameof(name));
    }

    /// <summary>The trivial (one-dimensional, constant identity) irrep.</summary>
    public Irrep TrivialIrrep => Irrep(0);

    /// <summary>The dimension of the space the group acts on as matrices (2 for planar groups, 3 for
    /// rotation groups), or null if it has no such geometric action (S_n acts by permutation matrices,
    /// see its <see cref="Standard"/> representation).</summary>
    public virtual int? ActionDimension => null;

    /// <summary>The matrix by which <paramref name="g"/> acts on ℝ^<see cref="ActionDimension"/>.</summary>
    public Matrix<double> ActionMatrix(GroupElement g)
    {
        CheckMember(g, nameof(g));
        if (ActionDimension is null)
            throw new InvalidOperationException($"{Name} has no geometric action on ℝ² or ℝ³.");
        return ActionMatrixCore(g);
    }

    /// <summary>The standard representation: the geometric action on ℝ² or ℝ³ (or, for S_n,
    /// the permutation of n coordinates).</summary>
    public virtual Representation Standard
    {
        get
        {
            if (ActionDimension is not int d)
                throw new InvalidOperationException($"{Name} has no standard (geometric) representation.");
            return Representation.FromMatrices(this, "standard", d, ActionMatrixCore, StandardBandLimit);
        }
    }

    /// <summary>The band limit of <see cref="Standard"/> (for decomposing it over continuous groups).</summary>
    protected virtual int? StandardBandLimit => 1;

    /// <summary>The one-dimensional trivial representation.</summary>
    public Representation TrivialRepresentation => TrivialIrrep;

    /// <summary>The subgroups used in practice, each with its embedding into this group.</summary>
    public virtual IReadOnlyList<SubgroupEmbedding> Subgroups => Array.Empty<SubgroupEmbedding>();

    /// <summary>The embedding of the subgroup named <paramref name="subgroupName"/> (continuous groups
    /// also accept the names of their finite subgroups, e.g. <c>"C8"</c> in SO2).</summary>
    public virtual SubgroupEmbedding Subgroup(string subgroupName) =>
        Subgroups.FirstOrDefault(s => s.Subgroup.Name == subgroupName)
        ?? throw new ArgumentException(
            $"{Name} has no known subgroup '{subgroupName}'; known: {(Subgroups.Count == 0 ? "none" : string.Join(", ", Subgroups.Select(s => s.Subgroup.Name)))}.",
            nameof(subgroupName));

    private readonly ConcurrentDictionary<(int, int), RepresentationDecomposition> _productCache = new();

    /// <summary>The decomposition ψ ⊗ φ = Q (⊕ irreps) Qᵀ of a product of two irreps of this group (cached).</summary>
    public RepresentationDecomposition DecomposeIrrepProduct(Irrep a, Irrep b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.Group.Equals(this) || !b.Group.Equals(this))
            throw new ArgumentException($"Both irreps must belong to {Name}.", a.Group.Equals(this) ? nameof(b) : nameof(a));
        return _productCache.GetOrAdd((a.Index, b.Index), _ => DecomposeIrrepProductCore(a, b));
    }

    /// <summary>Decomposes ψ ⊗ φ; the default solves for intertwiners numerically (exact to rounding).</summary>
    protected virtual RepresentationDecomposition DecomposeIrrepProductCore(Irrep a, Irrep b)
    {
        var product = Representation.FromMatrices(this, $"{a.Name}⊗{b.Name}", a.Dim * b.Dim,
            g => a.Matrix(g).KroneckerProduct(b.Matrix(g)), a.BandLevel + b.BandLevel);
        return product.Decomposition;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="g"/> belongs to this group.</summary>
    public void CheckMember(GroupElement g, string paramName = "g")
    {
        ArgumentNullException.ThrowIfNull(g, paramName);
        if (!ReferenceEquals(g.Group, this) && !g.Group.Equals(this))
            throw new ArgumentException($"Element of {g.Group.Name} given where an element of {Name} was expected.", paramName);
    }

    /// <summary>Product of two members.</summary>
    protected abstract GroupElement ComposeCore(GroupElement a, GroupElement b);
    /// <summary>Inverse of a member.</summary>
    protected abstract GroupElement InverseCore(GroupElement g);
    /// <summary>Closeness of two members.</summary>
    protected abstract bool AreCloseCore(GroupElement a, GroupElement b, double tolerance);
    /// <summary>A Haar-random member.</summary>
    protected abstract GroupElement SampleCore(Random random);
    /// <summary>The geometric action of a member.</summary>
    protected virtual Matrix<double> ActionMatrixCore(GroupElement g) =>
        throw new InvalidOperationException($"{Name} has no geometric action.");

    /// <inheritdoc />
    public bool Equals(Group? other) => other is not null && other.GetType() == GetType() && other.Name == Name;
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Group g && Equals(g);
    /// <inheritdoc />
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
    /// <inheritdoc />
    public override string ToString() => Name;

    // ---- factory: cached instances ----

    /// <summary>How many parameterised groups (C_N, D_N, products, matrix groups of a size …) stay cached; the oldest is
    /// dropped first, so a process that parses many names does not keep every group it ever built. Groups compare by
    /// name, so a group built again equals the one dropped.</summary>
    internal const int ParameterisedCacheSize = 256;

    private static readonly ConcurrentQueue<string> CacheOrder = new();

    private static readonly HashSet<string> Permanent = new(StringComparer.Ordinal)
    {
        "trivial", "SO2", "O2", "SO3", "O3", "octahedral", "full-octahedral", "icosahedral", "full-icosahedral",
        "matrix:lorentz", "matrix:SO13+",
    };

    /// <summary>Returns the cached instance named <paramref name="key"/>, creating it when it is not cached: the named
    /// groups (SO3, the point groups …) for the life of the process, parameterised ones among the
    /// last <see cref="ParameterisedCacheSize"/>.</summary>
    protected static T Cached<T>(string key, Func<T> create) where T : Group
    {
        if (Cache.TryGetValue(key, out var found)) return (T)found;
        var made = Cache.GetOrAdd(key, _ => create());
        if (!Permanent.Contains(key))
        {
            CacheOrder.Enqueue(key);
            while (CacheOrder.Count > ParameterisedCacheSize && CacheOrder.TryDequeue(out var oldest))
                Cache.TryRemove(oldest, out _);
        }
        return (T)made;
    }

    /// <summary>How many groups are cached now (tests).</summary>
    internal static int CachedCount => Cache.Count;

    /// <summary>The trivial group {e}.</summary>
    public static TrivialGroup Trivial => Cached("trivial", () => new TrivialGroup());
    /// <summary>The cyclic group C_N of rotations by multiples of 2π/N.</summary>
    public static CyclicGroup Cyclic(int n) => Cached($"C{CheckOrder(n, nameof(n))}", () => new CyclicGroup(n));
    /// <summary>The dihedral group D_N of N rotations and N reflections (order 2N).</summary>
    public static DihedralGroup Dihedral(int n) => Cached($"D{CheckOrder(n, nameof(n))}", () => new DihedralGroup(n));
    /// <summary>The symmetric group S_n of permutations of n objects (n ≤ 8).</summary>
    public static SymmetricGroup Symmetric(int n) => Cached($"S{CheckOrder(n, nameof(n))}", () => new SymmetricGroup(n));
    /// <summary>The 24 rotations of a cube (chiral octahedral group O ≅ S4).</summary>
    public static PointGroup Octahedral => Cached("octahedral", () => new PointGroup(PointGroup.Kind.Octahedral));
    /// <summary>The 48 symmetries of a cube (O_h = O × {±I}).</summary>
    public static PointGroup FullOctahedral => Cached("full-octahedral", () => new PointGroup(PointGroup.Kind.FullOctahedral));
    /// <summary>The 60 rotations of an icosahedron (chiral icosahedral group I ≅ A5).</summary>
    public static PointGroup Icosahedral => Cached("icosahedral", () => new PointGroup(PointGroup.Kind.Icosahedral));
    /// <summary>The 120 symmetries of an icosahedron (I_h = I × {±I}).</summary>
    public static PointGroup FullIcosahedral => Cached("full-icosahedral", () => new PointGroup(PointGroup.Kind.FullIcosahedral));
    /// <summary>The rotation group SO(3).</summary>
    public static SO3Group SO3 => Cached("SO3", () => new SO3Group());
    /// <summary>The orthogonal group O(3) = SO(3) × {±I}.</summary>
    public static O3Group O3 => Cached("O3", () => new O3Group());
    /// <summary>The rotation group SO(2).</summary>
    public static SO2Group SO2 => Cached("SO2", () => new SO2Group());
    /// <summary>The orthogonal group O(2) (rotations and reflections of the plane).</summary>
    public static O2Group O2 => Cached("O2", () => new O2Group());

    /// <summary>The direct product A × B of two finite groups.</summary>
    public static DirectProductGroup DirectProduct(FiniteGroup a, FiniteGroup b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Cached($"{a.Name} x {b.Name}", () => new DirectProductGroup(a, b));
    }

    /// <summary>Parses a group name (any case; products written <c>A x B</c> or <c>A × B</c>): <c>trivial</c>, <c>C&lt;N&gt;</c>, <c>D&lt;N&gt;</c>, <c>S&lt;n&gt;</c>,
    /// <c>octahedral</c>, <c>full-octahedral</c>, <c>icosahedral</c>, <c>full-icosahedral</c>,
    /// <c>SO2</c>, <c>O2</c>, <c>SO3</c>, <c>O3</c>, and products <c>A x B</c>.</summary>
    /// <exception cref="FormatException">the name is unknown, its size is not a positive integer, the order is above
    /// <see cref="MaxParsedOrder"/>, or the name is longer than <see cref="MaxNameLength"/> or has more than
    /// <see cref="MaxFactors"/> factors.</exception>
    public static Group Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = Normalized(name);
        if (Oversized(trimmed) is { } tooLong) throw new FormatException(tooLong);
        if (TryParseCore(trimmed, out var group, out var error)) return group!;
        throw new FormatException(error);
    }

    /// <summary>The longest group name <see cref="Parse"/> reads.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The most factors of a direct product <see cref="Parse"/> reads (2^10 already exceeds <see cref="MaxParsedOrder"/>).</summary>
    public const int MaxFactors = 10;

    /// <summary>The name trimmed, with the product written " x " whether it was typed " x ", " X " or " × ".</summary>
    private static string Normalized(string name) =>
        name.Trim().Replace(" X ", " x ", StringComparison.Ordinal).Replace(" × ", " x ", StringComparison.Ordinal);

    private static string? Oversized(string s)
    {
        if (s.Length > MaxNameLength)
            return $"A group name is at most {MaxNameLength} characters long; got {s.Length:N0}.";
        int factors = 1;
        for (int at = s.IndexOf(" x ", StringComparison.Ordinal); at >= 0; at = s.IndexOf(" x ", at + 3, StringComparison.Ordinal))
            if (++factors > MaxFactors) return $"Group '{(s.Length <= 60 ? s : s[..57] + "…")}': a direct product of at most {MaxFactors} factors is supported.";
        return null;
    }

    /// <summary>Like <see cref="Parse"/>, without throwing.</summary>
    public static bool TryParse(string? name, out Group? group)
    {
        group = null;
        if (name is null) return false;
        var trimmed = Normalized(name);
        return Oversized(trimmed) is null && TryParseCore(trimmed, out group, out _);
    }

    /// <summary>The largest order of a cyclic, dihedral or direct-product group <see cref="Parse"/> builds (its elements,
    /// irreps and characters are enumerated); symmetric groups stop at <see cref="SymmetricGroup.MaxDegree"/>.</summary>
    public const int MaxParsedOrder = 1024;

    /// <summary>The names <see cref="Parse"/> accepts, as patterns.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = new[]
    {
        "trivial", "C<N>", "D<N>", "S<n>", "octahedral", "full-octahedral", "icosahedral", "full-icosahedral",
        "SO2", "O2", "SO3", "O3", "<A>x<B>",
    };

    private static bool TryParseCore(string s, out Group? group, out string error)
    {
        group = null;
        error = "";
        var productAt = s.IndexOf(" x ", StringComparison.Ordinal);
        if (productAt > 0)
        {
            if (!TryParseCore(s[..productAt].Trim(), out var a, out error) || !TryParseCore(s[(productAt + 3)..].Trim(), out var b, out error))
                return false;
            if (a is not FiniteGroup fa || b is not FiniteGroup fb)
            {
                error = $"Group '{s}': direct products are supported for finite factors (got {a!.Name} and {b!.Name}).";
                return false;
            }
            if ((long)fa.Order!.Value * fb.Order!.Value > MaxParsedOrder)
            {
                error = $"Group '{s}': its order {(long)fa.Order.Value * fb.Order.Value:N0} is above {MaxParsedOrder:N0}, the largest finite group that is enumerated.";
                return false;
            }
            group = DirectProduct(fa, fb);
            return true;
        }
        group = s.ToUpperInvariant() switch
        {
            "TRIVIAL" => Trivial,
            "SO2" => SO2,
            "O2" => O2,
            "SO3" => SO3,
            "O3" => O3,
            "OCTAHEDRAL" => Octahedral,
            "FULL-OCTAHEDRAL" => FullOctahedral,
            "ICOSAHEDRAL" => Icosahedral,
            "FULL-ICOSAHEDRAL" => FullIcosahedral,
            _ => null,
        };
        if (group is not null) return true;
        if (s.Length >= 2 && char.ToUpperInvariant(s[0]) is 'C' or 'D' or 'S' && (char.IsAsciiDigit(s[1]) || s[1] == '-'))
        {
            s = char.ToUpperInvariant(s[0]) + s[1..];
            if (!int.TryParse(s.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                error = $"Group '{s}': the size after '{s[0]}' must be an integer.";
                return false;
            }
            if (n <= 0)
            {
                error = $"Group '{s}': the size must be a positive integer (got {n}).";
                return false;
            }
            if (s[0] != 'S' && (long)n * (s[0] == 'D' ? 2 : 1) > MaxParsedOrder)
            {
                error = $"Group '{s}': its order {(long)n * (s[0] == 'D' ? 2 : 1):N0} is above {MaxParsedOrder:N0}, the largest cyclic or dihedral group that is enumerated " +
                        "(every element, irrep and character is built); for rotations of the plane use SO2.";
                return false;
            }
            if (s[0] == 'S' && n > SymmetricGroup.MaxDegree)
            {
                error = $"Group '{s}': symmetric groups are supported up to S{SymmetricGroup.MaxDegree}.";
                return false;
            }
            group = s[0] switch { 'C' => Cyclic(n), 'D' => Dihedral(n), _ => Symmetric(n) };
            return true;
        }
        error = $"Unknown group '{s}'. Known: {string.Join(", ", KnownNames)}.";
        return false;
    }

    private static int CheckOrder(int n, string paramName)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(paramName, n, "The group size must be a positive integer.");
        return n;
    }
}
