using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>A group of invertible n×n matrices given by generators, EMLP-style: a basis A₁…A_m of its Lie
/// algebra and a list of discrete generators h₁…h_k.</summary>
/// <remarks>
/// The identity component is exp(span{Aᵢ}); the discrete generators reach the other components (or the whole
/// group when it is finite). This is all the equivariant-basis solver needs: W commutes with the group iff
/// dρ_out(Aᵢ)W = W dρ_in(Aᵢ) and ρ_out(hⱼ)W = W ρ_in(hⱼ) (Finzi, Welling, Wilson 2021, "A Practical Method for
/// Constructing Equivariant Multilayer Perceptrons for Arbitrary Matrix Groups").
/// Built in: SO(n), O(n), SL(n), the Lorentz groups O(1,3) and SO⁺(1,3) (metric η = diag(1,−1,−1,−1), time
/// first), Sp(n) (n even, the n×n real symplectic matrices), S(n) and Z(n) as permutation matrices, D(k)
/// as 2×2 matrices, and any group from a list of generators (<see cref="FromGenerators"/>). The groups of
/// <see cref="Group"/> that act on ℝᵈ plug in through <see cref="FromGroup"/>.
/// Samples are exp(Σ cᵢAᵢ) with cᵢ ~ N(0, <see cref="SampleScale"/>²) times a random word in the discrete
/// generators (Haar-uniform for S(n), Z(n), D(k) and wrapped finite groups; not Haar for non-compact groups,
/// which have no normalised Haar measure). Irreps are not enumerated: only the trivial one is known.
/// </remarks>
public sealed class MatrixGroup : Group
{
    private const int MaxEnumeratedOrder = 10_000;
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;

    private readonly Matrix<double>[] _algebra;
    private readonly Matrix<double>[] _discrete;
    private readonly Func<Random, Matrix<double>>? _sampler;
    private readonly Func<IReadOnlyList<Matrix<double>>>? _elements;
    private readonly MatrixElement _identity;
    private readonly Lazy<Matrix<double>?> _algebraPseudoInverse;
    private readonly Lazy<Irrep> _trivial;

    private MatrixGroup(string name, int size, IReadOnlyList<Matrix<double>> lieAlgebra, IReadOnlyList<Matrix<double>> discrete,
        int? order = null, Func<Random, Matrix<double>>? sampler = null, Func<IReadOnlyList<Matrix<double>>>? elements = null, double sampleScale = 1.0,
        bool containsMinusIdentity = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "A matrix group acts on ℝⁿ with n ≥ 1.");
        Validate(lieAlgebra, size, "Lie algebra generator", nameof(lieAlgebra));
        Validate(discrete, size, "discrete generator", nameof(discrete));
        for (int i = 0; i < discrete.Count; i++)
            if (Math.Abs(discrete[i].Determinant()) < 1e-12)
                throw new ArgumentException($"Discrete generator {i} of '{name}' is singular (determinant 0); group elements must be invertible.", nameof(discrete));
        Name = name;
        Size = size;
        _algebra = lieAlgebra.Select(a => a.Clone()).ToArray();
        _discrete = discrete.Select(h => h.Clone()).ToArray();
        Order = order;
        _sampler = sampler;
        _elements = elements;
        SampleScale = sampleScale;
        _identity = new MatrixElement(this, M.DenseIdentity(size));
        IsOrthogonal = _algebra.All(a => (a + a.Transpose()).InfinityNorm() < 1e-12)
            && _discrete.All(h => (h.TransposeThisAndMultiply(h) - M.DenseIdentity(size)).InfinityNorm() < 1e-12);
        _algebraPseudoInverse = new Lazy<Matrix<double>?>(() =>
        {
            if (_algebra.Length == 0) return null;
            var basis = M.Dense(size * size, _algebra.Length, (r, c) => _algebra[c][r / size, r % size]);
            return basis.PseudoInverse();
        });
        _trivial = new Lazy<Irrep>(() => new Irrep(this, 0, "trivial", 1, IrrepType.Real, 0, _ => M.Dense(1, 1, 1.0)));
        _containsMinusIdentity = new Lazy<bool>(() => containsMinusIdentity || FindsMinusIdentity());
    }

    private readonly Lazy<bool> _containsMinusIdentity;

    /// <summary>Whether −I is known to be an element: true for O(n), SO(n) and SL(n) with n even, Sp(n), O(1,3), D(k)
    /// with k even, and for any group whose listed elements, discrete generators or their pairwise products include −I
    /// (false means "not found", not "absent"). −I acts on T(p, q) by (−1)^(p+q), so tensors of odd rank then have no
    /// invariants — the invariant solver uses this to skip large odd-rank types.</summary>
    public bool ContainsMinusIdentity => _containsMinusIdentity.Value;

    private bool FindsMinusIdentity()
    {
        var minus = -M.DenseIdentity(Size);
        bool IsMinus(Matrix<double> m) => (m - minus).InfinityNorm() < 1e-12;
        if (_elements is not null) return _elements().Any(IsMinus);
        return _discrete.Any(IsMinus) || _discrete.Any(a => _discrete.Any(b => IsMinus(a * b)));
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <summary>n: the group acts on ℝⁿ (its base representation V).</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override int? Order { get; }

    /// <summary>A basis A₁…A_m of the Lie algebra (copies); empty for a finite group.</summary>
    public IReadOnlyList<Matrix<double>> LieAlgebra => _algebra.Select(a => a.Clone()).ToArray();

    /// <summary>The discrete generators h₁…h_k (copies).</summary>
    public IReadOnlyList<Matrix<double>> DiscreteGenerators => _discrete.Select(h => h.Clone()).ToArray();

    internal IReadOnlyList<Matrix<double>> LieAlgebraView => _algebra;
    internal IReadOnlyList<Matrix<double>> DiscreteGeneratorsView => _discrete;

    /// <summary>True when every element is orthogonal (gᵀg = I), so that V* ≅ V by the identity map.</summary>
    public bool IsOrthogonal { get; }

    /// <summary>The standard deviation of the Lie-algebra coefficients of <see cref="Group.Sample(Random)"/>
    /// (smaller for non-compact groups, whose large elements are ill-conditioned).</summary>
    public double SampleScale { get; }

    /// <inheritdoc />
    public override GroupElement Identity => _identity;

    /// <inheritdoc />
    public override int? ActionDimension => Size;

    /// <summary>Generators as elements: the discrete generators and exp(Aᵢ) for each algebra generator
    /// (together they generate a dense subgroup).</summary>
    public override IReadOnlyList<GroupElement> Generators =>
        _discrete.Select(h => (GroupElement)new MatrixElement(this, h.Clone()))
            .Concat(_algebra.Select(a => (GroupElement)new MatrixElement(this, Exponential(a)))).ToArray();

    /// <summary>True for <see cref="Symmetric"/>'s S_n of all n×n permutation matrices (the invariant solver counts its
    /// invariants by formula).</summary>
    internal bool IsSymmetricGroup { get; private init; }

    /// <summary>The element matrices when they can be listed cheaply (finite, listed or closed under products, at most
    /// <see cref="MaxEnumeratedOrder"/>), else null.</summary>
    internal IReadOnlyList<Matrix<double>>? ElementMatrices =>
        Order is int order && order <= MaxEnumeratedOrder && _algebra.Length == 0 ? (_elements is not null ? _elements() : Closure()) : null;

    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Elements
    {
        get
        {
            if (Order is null) return base.Elements;
            if (Order > MaxEnumeratedOrder)
                throw new InvalidOperationException($"{Name} has {Order} elements; enumeration is limited to {MaxEnumeratedOrder}.");
            var matrices = _elements is not null ? _elements() : Closure();
            return matrices.Select(m => (GroupElement)new MatrixElement(this, m)).ToArray();
        }
    }

    /// <summary>The element for matrix <paramref name="matrix"/> (n×n and invertible; membership is the caller's promise).</summary>
    public MatrixElement Element(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.RowCount != Size || matrix.ColumnCount != Size)
            throw new ArgumentException($"{Name} acts on ℝ^{Size}; got a {matrix.RowCount}x{matrix.ColumnCount} matrix.", nameof(matrix));
        if (Math.Abs(matrix.Determinant()) < 1e-12)
            throw new ArgumentException($"A singular matrix is not an element of {Name}.", nameof(matrix));
        return new MatrixElement(this, matrix.Clone());
    }

    /// <summary>True when <paramref name="a"/> lies in the span of <see cref="LieAlgebra"/> (to a relative 1e-9).</summary>
    public bool IsInLieAlgebra(Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.RowCount != Size || a.ColumnCount != Size) return false;
        double norm = a.FrobeniusNorm();
        if (norm == 0) return true;
        if (_algebraPseudoInverse.Value is not { } pinv) return false;
        var vector = Vector<double>.Build.Dense(Size * Size, r => a[r / Size, r % Size]);
        var coefficients = pinv * vector;
        var residual = vector - M.Dense(Size * Size, _algebra.Length, (r, c) => _algebra[c][r / Size, r % Size]) * coefficients;
        return residual.L2Norm() <= 1e-9 * Math.Max(1.0, norm);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="a"/> is in the Lie algebra.</summary>
    public void CheckLieAlgebraElement(Matrix<double> a, string paramName = "a")
    {
        ArgumentNullException.ThrowIfNull(a, paramName);
        if (a.RowCount != Size || a.ColumnCount != Size)
            throw new ArgumentException($"The Lie algebra of {Name} holds {Size}x{Size} matrices; got {a.RowCount}x{a.ColumnCount}.", paramName);
        if (!IsInLieAlgebra(a))
            throw new ArgumentException($"The matrix is not in the Lie algebra of {Name} (not a combination of its {_algebra.Length} generators).", paramName);
    }

    /// <summary>exp(A) for an element A of the Lie algebra, as a group element.</summary>
    public MatrixElement Exp(Matrix<double> a)
    {
        CheckLieAlgebraElement(a, nameof(a));
        return new MatrixElement(this, Exponential(a));
    }

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit) => new[] { _trivial.Value };

    /// <inheritdoc />
    public override Irrep Irrep(int index) => index == 0
        ? _trivial.Value
        : throw new NotSupportedException($"The irreps of the generic matrix group {Name} are not enumerated; use TensorRepresentation and EquivariantBasis.");

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        new MatrixElement(this, ((MatrixElement)a).MatrixView * ((MatrixElement)b).MatrixView);

    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g)
    {
        var m = ((MatrixElement)g).MatrixView;
        return new MatrixElement(this, IsOrthogonal ? m.Transpose() : m.Inverse());
    }

    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance) =>
        (((MatrixElement)a).MatrixView - ((MatrixElement)b).MatrixView).InfinityNorm() <= tolerance * Math.Max(1.0, ((MatrixElement)a).MatrixView.InfinityNorm());

    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random)
    {
        if (_sampler is not null) return new MatrixElement(this, _sampler(random));
        var g = M.DenseIdentity(Size);
        if (_algebra.Length > 0)
        {
            var a = M.Dense(Size, Size);
            foreach (var generator in _algebra) a += SampleScale * LinearAlgebra.Gaussian(random) * generator;
            g = Exponential(a);
        }
        // A random word in the discrete generators: enough factors to mix a small finite group.
        if (_discrete.Length > 0)
            for (int step = 0; step < 4 * _discrete.Length + 8; step++)
            {
                int pick = random.Next(_discrete.Length + 1);
                if (pick < _discrete.Length) g = _discrete[pick] * g;
            }
        return new MatrixElement(this, g);
    }

    /// <inheritdoc />
    protected override Matrix<double> ActionMatrixCore(GroupElement g) => ((MatrixElement)g).MatrixView.Clone();

    /// <inheritdoc />
    protected override int? StandardBandLimit => null;

    // ---- the built-in groups ----

    /// <summary>SO(n): rotations of ℝⁿ; algebra Eᵢⱼ − Eⱼᵢ (i &lt; j).</summary>
    public static MatrixGroup SO(int n) => Cached($"matrix:SO{CheckLieSize(n, 1)}", () => new MatrixGroup($"SO{n}", n, Antisymmetric(n), Array.Empty<Matrix<double>>(),
        containsMinusIdentity: n % 2 == 0));

    /// <summary>O(n): SO(n) and the reflection diag(−1, 1, …, 1).</summary>
    public static MatrixGroup O(int n) => Cached($"matrix:O{CheckLieSize(n, 1)}", () =>
    {
        var reflection = M.DenseIdentity(n);
        reflection[0, 0] = -1;
        return new MatrixGroup($"O{n}", n, Antisymmetric(n), new[] { reflection }, containsMinusIdentity: true);
    });

    /// <summary>SL(n): real matrices of determinant 1; algebra Eᵢⱼ (i ≠ j) and Eᵢᵢ − Eᵢ₊₁,ᵢ₊₁. Non-compact.</summary>
    public static MatrixGroup SL(int n) => Cached($"matrix:SL{CheckLieSize(n, 2)}", () =>
    {
        var algebra = new List<Matrix<double>>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) algebra.Add(Unit(n, i, j));
        for (int i = 0; i + 1 < n; i++) algebra.Add(Unit(n, i, i) - Unit(n, i + 1, i + 1));
        return new MatrixGroup($"SL{n}", n, algebra, Array.Empty<Matrix<double>>(), sampleScale: 0.3, containsMinusIdentity: n % 2 == 0);
    });

    /// <summary>The Lorentz group O(1,3): matrices with ΛᵀηΛ = η, η = diag(1,−1,−1,−1); algebra: three rotations
    /// and three boosts E₀ᵢ + Eᵢ₀; discrete generators: parity diag(1,−1,−1,−1) and time reversal diag(−1,1,1,1).</summary>
    public static MatrixGroup Lorentz => Cached("matrix:lorentz", () => new MatrixGroup("lorentz", 4, LorentzAlgebra(),
        new[] { M.DenseOfDiagonalArray(new[] { 1.0, -1, -1, -1 }), M.DenseOfDiagonalArray(new[] { -1.0, 1, 1, 1 }) }, sampleScale: 0.5,
        containsMinusIdentity: true));

    /// <summary>The proper orthochronous Lorentz group SO⁺(1,3): the identity component of O(1,3).</summary>
    public static MatrixGroup ProperLorentz => Cached("matrix:SO13+", () =>
        new MatrixGroup("SO13+", 4, LorentzAlgebra(), Array.Empty<Matrix<double>>(), sampleScale: 0.5));

    /// <summary>Sp(n): the real symplectic n×n matrices (n even), gᵀJg = J with J = [[0, I], [−I, 0]]; algebra
    /// [[A, B], [C, −Aᵀ]] with B, C symmetric. Non-compact.</summary>
    public static MatrixGroup Sp(int n)
    {
        if (n < 2 || n % 2 != 0 || n > MaxLieSize) throw new ArgumentOutOfRangeException(nameof(n), n, $"Sp(n) needs an even matrix size n from 2 to {MaxLieSize}.");
        return Cached($"matrix:Sp{n}", () =>
        {
            int m = n / 2;
            var algebra = new List<Matrix<double>>();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    algebra.Add(Unit(n, i, j) - Unit(n, m + j, m + i));
            for (int i = 0; i < m; i++)
                for (int j = i; j < m; j++)
                {
                    algebra.Add(i == j ? Unit(n, i, m + i) : Unit(n, i, m + j) + Unit(n, j, m + i));
                    algebra.Add(i == j ? Unit(n, m + i, i) : Unit(n, m + i, j) + Unit(n, m + j, i));
                }
            return new MatrixGroup($"Sp{n}", n, algebra, Array.Empty<Matrix<double>>(), sampleScale: 0.3, containsMinusIdentity: true);
        });
    }

    /// <summary>S(n) as n×n permutation matrices; generators: the transposition (0 1) and the cycle (0 1 … n−1).</summary>
    public static new MatrixGroup Symmetric(int n) => Cached($"matrix:S{CheckSize(n, 1)}", () =>
    {
        var generators = n == 1 ? Array.Empty<Matrix<double>>() : new[] { PermutationMatrix(Transposition(n)), PermutationMatrix(Shift(n)) };
        int? order = n <= 12 ? Enumerable.Range(1, n).Aggregate(1, (a, b) => a * b) : null;
        return new MatrixGroup($"S{n}", n, Array.Empty<Matrix<double>>(), generators, order,
            random => PermutationMatrix(Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray())) { IsSymmetricGroup = true };
    });

    /// <summary>Z(n), the cyclic shifts of n coordinates as permutation matrices.</summary>
    public static new MatrixGroup Cyclic(int n) => Cached($"matrix:Z{CheckSize(n, 1)}", () =>
    {
        var shift = PermutationMatrix(Shift(n));
        return new MatrixGroup($"Z{n}", n, Array.Empty<Matrix<double>>(), new[] { shift }, n,
            random => shift.Power(random.Next(n)),
            () => Enumerable.Range(0, n).Select(k => shift.Power(k)).ToArray());
    });

    /// <summary>D(k), the 2k symmetries of a regular k-gon as 2×2 matrices (rotation by 2π/k, reflection y ↦ −y).</summary>
    public static new MatrixGroup Dihedral(int k) => Cached($"matrix:D{CheckSize(k, 1)}", () =>
    {
        var rotation = LinearAlgebra.Rotation2(2 * Math.PI / k);
        var flip = LinearAlgebra.FlipX2();
        var all = Enumerable.Range(0, k).SelectMany(i => new[] { rotation.Power(i), rotation.Power(i) * flip }).ToArray();
        return new MatrixGroup($"D{k}", 2, Array.Empty<Matrix<double>>(), new[] { rotation, flip }, 2 * k,
            random => all[random.Next(all.Length)], () => all);
    });

    /// <summary>The trivial group {I} acting on ℝⁿ.</summary>
    public static MatrixGroup TrivialOn(int n) => Cached($"matrix:trivial{CheckSize(n, 1)}", () =>
        new MatrixGroup(n == 1 ? "trivial" : $"trivial{n}", n, Array.Empty<Matrix<double>>(), Array.Empty<Matrix<double>>(), 1,
            _ => M.DenseIdentity(n), () => new[] { M.DenseIdentity(n) }));

    /// <summary>A user-defined group from its generators (not cached: each call gives a new group).</summary>
    /// <param name="name">a name for reports.</param>
    /// <param name="lieAlgebra">n×n matrices spanning the Lie algebra (may be empty).</param>
    /// <param name="discreteGenerators">invertible n×n matrices (may be empty).</param>
    /// <exception cref="ArgumentException">no generators, or matrices of different or non-square sizes.</exception>
    public static MatrixGroup FromGenerators(string name, IReadOnlyList<Matrix<double>> lieAlgebra, IReadOnlyList<Matrix<double>> discreteGenerators)
    {
        ArgumentNullException.ThrowIfNull(lieAlgebra);
        ArgumentNullException.ThrowIfNull(discreteGenerators);
        var first = lieAlgebra.Concat(discreteGenerators).FirstOrDefault()
            ?? throw new ArgumentException("A matrix group needs at least one generator (Lie algebra or discrete).", nameof(lieAlgebra));
        if (first.RowCount != first.ColumnCount)
            throw new ArgumentException($"Generators must be square; the first is {first.RowCount}x{first.ColumnCount}.", nameof(lieAlgebra));
        return new MatrixGroup(name, first.RowCount, lieAlgebra, discreteGenerators);
    }

    /// <summary>A group of <see cref="Group"/> acting on ℝᵈ (its <see cref="Group.Standard"/> representation) as a
    /// matrix group: the discrete generators are the matrices of its generators, samples are its Haar samples.</summary>
    /// <exception cref="ArgumentException">the group has no standard representation.</exception>
    public static MatrixGroup FromGroup(Group group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group is MatrixGroup matrixGroup) return matrixGroup;
        Representation standard;
        try { standard = group.Standard; }
        catch (InvalidOperationException)
        {
            throw new ArgumentException($"{group.Name} has no standard (matrix) representation to act by.", nameof(group));
        }
        return Cached($"matrix:wrap:{group.Name}", () => new MatrixGroup(group.Name, standard.Dim, Array.Empty<Matrix<double>>(),
            group.Generators.Select(standard.Matrix).ToArray(), group.Order,
            random => standard.Matrix(group.Sample(random)),
            group.IsFinite ? () => group.Elements.Select(standard.Matrix).ToArray() : null));
    }

    /// <summary>The names <see cref="Parse"/> accepts, as patterns.</summary>
    public static new IReadOnlyList<string> KnownNames { get; } = new[]
    {
        "SO<n>", "O<n>", "SL<n>", "Sp<n> (n even)", "lorentz (O13)", "SO13+", "S<n>", "Z<n>", "D<k>", "trivial",
        "and every finite group of `noether groups` with a standard representation (C<N>, octahedral, icosahedral, ...)",
    };

    /// <summary>Parses a matrix-group name (any case): <c>SO5</c>, <c>O3</c>, <c>SL3</c>, <c>Sp4</c>, <c>lorentz</c> (or <c>O13</c>),
    /// <c>SO13+</c>, <c>S5</c>, <c>Z5</c>, <c>D4</c>, <c>trivial</c>, or a name <see cref="Group.Parse"/> knows whose group
    /// acts on ℝᵈ (wrapped by <see cref="FromGroup"/>).</summary>
    /// <exception cref="FormatException">an unknown name or a bad size, quoting the input.</exception>
    public static new MatrixGroup Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var s = name.Trim();
        if (s.Length > MaxNameLength)
            throw new FormatException($"A group name is at most {MaxNameLength} characters long; got {s.Length:N0}.");
        switch (s.ToUpperInvariant())
        {
            case "LORENTZ" or "O13" or "O(1,3)": return Lorentz;
            case "SO13+" or "SO+(1,3)": return ProperLorentz;
            case "TRIVIAL": return TrivialOn(1);
        }
        foreach (var (prefix, make, min) in Families)
        {
            if (!s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || s.Length == prefix.Length || !char.IsAsciiDigit(s[prefix.Length])) continue;
            if (!int.TryParse(s.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                // "S4 x C2" is no family member but may be a group `noether groups` knows.
                if (Group.TryParse(s, out _)) break;
                throw new FormatException($"Group '{name}': the size after '{prefix}' must be an integer.");
            }
            if (n < min) throw new FormatException($"Group '{name}': the size must be at least {min} (got {n}).");
            try { return make(n); }
            catch (ArgumentException e) { throw new FormatException($"Group '{name}': {Plain(e)}", e); }
        }
        if (Group.TryParse(s, out var group))
        {
            try { return FromGroup(group!); }
            catch (ArgumentException e) { throw new FormatException($"Group '{name}': {Plain(e)}", e); }
        }
        throw new FormatException($"Unknown matrix group '{name}'. Known: {string.Join(", ", KnownNames)}.");
    }

    private static readonly (string Prefix, Func<int, MatrixGroup> Make, int Min)[] Families =
    {
        ("SO", SO, 1), ("SL", SL, 2), ("Sp", Sp, 2), ("O", O, 1), ("S", Symmetric, 1), ("Z", Cyclic, 1), ("D", Dihedral, 1),
    };

    /// <summary>exp(A) by scaling and squaring with a Taylor series (relative accuracy about 1e-15).</summary>
    internal static Matrix<double> Exponential(Matrix<double> a)
    {
        double norm = a.InfinityNorm();
        int squarings = norm > 0.25 ? (int)Math.Ceiling(Math.Log2(norm / 0.25)) : 0;
        var scaled = a / Math.Pow(2, squarings);
        var result = M.DenseIdentity(a.RowCount);
        var term = M.DenseIdentity(a.RowCount);
        for (int k = 1; k <= 18; k++)
        {
            term = term * scaled / k;
            result += term;
        }
        for (int i = 0; i < squarings; i++) result *= result;
        return result;
    }

    private List<Matrix<double>> Closure()
    {
        var found = new List<Matrix<double>> { M.DenseIdentity(Size) };
        for (int next = 0; next < found.Count; next++)
            foreach (var h in _discrete)
            {
                var candidate = h * found[next];
                if (!found.Any(f => (f - candidate).InfinityNorm() < 1e-9)) found.Add(candidate);
                if (found.Count > MaxEnumeratedOrder) throw new InvalidOperationException($"{Name} has more than {MaxEnumeratedOrder} elements.");
            }
        return found;
    }

    private static void Validate(IReadOnlyList<Matrix<double>> matrices, int size, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(matrices, paramName);
        for (int i = 0; i < matrices.Count; i++)
        {
            var m = matrices[i] ?? throw new ArgumentException($"{what} {i} is null.", paramName);
            if (m.RowCount != size || m.ColumnCount != size)
                throw new ArgumentException($"Generators of inconsistent size: {what} {i} is {m.RowCount}x{m.ColumnCount}, expected {size}x{size}.", paramName);
        }
    }

    /// <summary>The largest matrix size n of the finite families (S_n, Z_n, D_n as permutation or rotation matrices): the
    /// equivariant bases of even V ⊗ V over n = 64 have 16 million unknowns.</summary>
    public const int MaxSize = 64;

    /// <summary>The largest matrix size n of the Lie groups SO(n), O(n), SL(n) and Sp(n): their algebras have up to n²−1
    /// dense n×n generators (SL(32): 1,023 of them, 8 MiB; SL(64) would take over 100 MiB before any work).</summary>
    public const int MaxLieSize = 32;

    private static int CheckSize(int n, int min) =>
        n >= min && n <= MaxSize ? n : throw new ArgumentOutOfRangeException(nameof(n), n, $"The size must be between {min} and {MaxSize}.");

    /// <summary>An argument exception's own sentence, without .NET's "(Parameter 'n')" and "Actual value was …" lines.</summary>
    private static string Plain(ArgumentException e)
    {
        var text = e.Message;
        int cut = text.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut >= 0 ? text[..cut] : text.Split('\n')[0];
    }

    private static int CheckLieSize(int n, int min) =>
        n >= min && n <= MaxLieSize ? n : throw new ArgumentOutOfRangeException(nameof(n), n, $"The size must be between {min} and {MaxLieSize} for a Lie group.");

    private static Matrix<double> Unit(int n, int i, int j)
    {
        var e = M.Dense(n, n);
        e[i, j] = 1;
        return e;
    }

    private static Matrix<double>[] Antisymmetric(int n)
    {
        var list = new List<Matrix<double>>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                list.Add(Unit(n, i, j) - Unit(n, j, i));
        return list.ToArray();
    }

    private static Matrix<double>[] LorentzAlgebra()
    {
        var list = new List<Matrix<double>>();
        for (int i = 1; i < 4; i++)
            for (int j = i + 1; j < 4; j++)
                list.Add(Unit(4, i, j) - Unit(4, j, i));
        for (int i = 1; i < 4; i++) list.Add(Unit(4, 0, i) + Unit(4, i, 0));
        return list.ToArray();
    }

    private static int[] Transposition(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        (p[0], p[1]) = (p[1], p[0]);
        return p;
    }

    private static int[] Shift(int n) => Enumerable.Range(0, n).Select(i => (i + 1) % n).ToArray();

    /// <summary>The matrix P with P e_i = e_{p(i)}.</summary>
    private static Matrix<double> PermutationMatrix(int[] p)
    {
        var m = M.Dense(p.Length, p.Length);
        for (int i = 0; i < p.Length; i++) m[p[i], i] = 1;
        return m;
    }
}
