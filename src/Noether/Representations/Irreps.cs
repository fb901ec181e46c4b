using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Representations;

/// <summary>A direct sum of O(3) irreps with multiplicities, written in e3nn's mini-language
/// <c>"16x0e + 8x1o + 4x2e"</c>: the type of a feature vector of 3D-equivariant layers.</summary>
/// <remarks>
/// <para>Layout: term i = (m, (l, p)) occupies <c>m·(2l + 1)</c> consecutive components, as m blocks of 2l + 1
/// (the multiplicity index outer, m = −l…l inner), so a feature tensor of shape (..., Dim) reshapes per term to
/// (..., m, 2l + 1). Terms keep their order: <c>"1x0e+1x0e"</c> and <c>"2x0e"</c> act alike but are different
/// values until <see cref="Simplify"/>.</para>
/// <para>Action of g ∈ O(3): the block-diagonal matrix ⊕ p^k D^l(R) with g = (−I)^k R (<see cref="Matrix"/>,
/// <see cref="MatrixTensor"/>, batched in <see cref="Matrices"/>).</para>
/// <para>Grammar: terms separated by <c>+</c>, each <c>[&lt;mul&gt;x]&lt;l&gt;&lt;e|o&gt;</c> with optional spaces;
/// the empty string is the empty sum. <see cref="ToString"/> writes <c>"16x0e+8x1o"</c>, which parses back to an
/// equal value. Immutable; equality is term by term. Reference: e3nn <c>o3.Irreps</c>.</para>
/// </remarks>
/// <example><code>var irreps = Irreps.Parse("16x0e + 8x1o"); // Dim 40
/// var (sorted, _) = (irreps + Irreps.Parse("2x0e")).Sort(); // "16x0e+2x0e+8x1o"</code></example>
public sealed class Irreps : IEquatable<Irreps>, IParsable<Irreps>
{
    private readonly MulIrrep[] _terms;
    private readonly (int Start, int Dim)[] _slices;

    /// <summary>The largest total dimension Σ m (2l+1) of an irreps value.</summary>
    public const int MaxDimension = 1 << 24;

    /// <summary>The irreps with the given terms, in order.</summary>
    /// <exception cref="ArgumentException">a multiplicity is negative, a degree/parity invalid, or the dimension is above
    /// <see cref="MaxDimension"/>.</exception>
    public Irreps(IEnumerable<MulIrrep> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        _terms = terms.ToArray();
        foreach (var t in _terms)
        {
            if (t.Multiplicity < 0) throw new ArgumentException($"Multiplicities must be ≥ 0; got {t.Multiplicity} for {t.Irrep}.", nameof(terms));
            if (t.Irrep.Degree < 0 || t.Irrep.Parity is not (1 or -1))
                throw new ArgumentException($"Invalid irrep (l = {t.Irrep.Degree}, p = {t.Irrep.Parity}).", nameof(terms));
        }
        _slices = new (int, int)[_terms.Length];
        long start = 0;
        for (var i = 0; i < _terms.Length; i++)
        {
            // m (2l+1) in 64 bits, so that a large multiplicity or degree is refused instead of wrapping around.
            long dim = (long)_terms[i].Multiplicity * (2L * _terms[i].Irrep.Degree + 1);
            if (start + dim > MaxDimension)
                throw new ArgumentException($"Irreps of dimension above {MaxDimension:N0} are not supported (term {_terms[i].Multiplicity}x{_terms[i].Irrep} reaches {start + dim:N0}).", nameof(terms));
            _slices[i] = ((int)start, (int)dim);
            start += dim;
        }
        Dim = (int)start;
    }

    /// <summary>The empty sum (dimension 0).</summary>
    public static Irreps Empty { get; } = new(Array.Empty<MulIrrep>());

    /// <summary><paramref name="multiplicity"/> copies of one irrep.</summary>
    public static Irreps Of(int multiplicity, int l, int parity) => new(new[] { new MulIrrep(multiplicity, O3Irrep.Create(l, parity)) });

    /// <summary>The irreps of the spherical harmonics of degrees 0…<paramref name="maxDegree"/>: <c>"1x0e+1x1o+1x2e+…"</c>.</summary>
    public static Irreps SphericalHarmonics(int maxDegree)
    {
        if (maxDegree < 0) throw new ArgumentOutOfRangeException(nameof(maxDegree), maxDegree, "Maximum degree must be ≥ 0.");
        return new(Enumerable.Range(0, maxDegree + 1).Select(l => new MulIrrep(1, new O3Irrep(l, l % 2 == 0 ? 1 : -1))));
    }

    /// <summary>The terms, in order.</summary>
    public IReadOnlyList<MulIrrep> Terms => _terms;

    /// <summary>Total dimension Σ m (2l + 1).</summary>
    public int Dim { get; }

    /// <summary>Total multiplicity Σ m (number of irreducible copies).</summary>
    public int Count => _terms.Sum(t => t.Multiplicity);

    /// <summary>Largest degree present (−1 when empty).</summary>
    public int MaxDegree => _terms.Length == 0 ? -1 : _terms.Max(t => t.Irrep.Degree);

    /// <summary>Where each term lives in a feature vector: (start, dimension), one per term.</summary>
    public IReadOnlyList<(int Start, int Dim)> Slices => _slices;

    /// <summary>Whether every term is a scalar or pseudoscalar (l = 0).</summary>
    public bool IsScalar => _terms.All(t => t.Irrep.Degree == 0);

    /// <summary>Concatenation.</summary>
    public static Irreps operator +(Irreps a, Irreps b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a._terms.Concat(b._terms));
    }

    /// <summary>Every multiplicity times <paramref name="factor"/>.</summary>
    public static Irreps operator *(int factor, Irreps irreps)
    {
        ArgumentNullException.ThrowIfNull(irreps);
        if (factor < 0) throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be ≥ 0.");
        return new(irreps._terms.Select(t => t with { Multiplicity = t.Multiplicity * factor }));
    }

    /// <summary>Merges consecutive terms of the same irrep and drops zero multiplicities (e3nn's <c>simplify</c>).</summary>
    public Irreps Simplify()
    {
        var merged = new List<MulIrrep>();
        foreach (var t in _terms)
        {
            if (t.Multiplicity == 0) continue;
            if (merged.Count > 0 && merged[^1].Irrep == t.Irrep)
                merged[^1] = merged[^1] with { Multiplicity = merged[^1].Multiplicity + t.Multiplicity };
            else merged.Add(t);
        }
        return new(merged);
    }

    /// <summary>The terms sorted by irrep (stable; <see cref="O3Irrep.CompareTo"/>), and the permutation:
    /// <c>Permutation[i]</c> is the new position of old term i. <c>Sort().Irreps.Simplify()</c> groups equal irreps.</summary>
    public (Irreps Irreps, int[] Permutation) Sort()
    {
        var order = Enumerable.Range(0, _terms.Length).OrderBy(i => _terms[i].Irrep).ThenBy(i => i).ToArray();
        var permutation = new int[_terms.Length];
        for (var k = 0; k < order.Length; k++) permutation[order[k]] = k;
        return (new Irreps(order.Select(i => _terms[i])), permutation);
    }

    /// <summary>The component indices that take the sorted layout from the original one:
    /// <c>sorted = x.index_select(-1, Sort().ComponentIndex)</c>.</summary>
    public long[] SortedComponentIndex()
    {
        var order = Enumerable.Range(0, _terms.Length).OrderBy(i => _terms[i].Irrep).ThenBy(i => i);
        return order.SelectMany(i => Enumerable.Range(_slices[i].Start, _slices[i].Dim).Select(c => (long)c)).ToArray();
    }

    /// <summary>The action ρ(g) of an element of O(3) (or SO(3)): ⊕ p^k D^l(R), shape Dim × Dim, float64.</summary>
    /// <exception cref="ArgumentException">g is not an <see cref="OrthogonalElement"/> of O(3) or SO(3).</exception>
    public Matrix<double> Matrix(GroupElement g)
    {
        var (rotation, improper) = Split(g);
        var result = Matrix<double>.Build.Dense(Dim, Dim);
        var cache = new Dictionary<int, Matrix<double>>();
        for (var i = 0; i < _terms.Length; i++)
        {
            var (m, irrep) = (_terms[i].Multiplicity, _terms[i].Irrep);
            if (!cache.TryGetValue(irrep.Degree, out var d))
                cache[irrep.Degree] = d = WignerD.Real(irrep.Degree, rotation);
            var block = improper && irrep.Parity < 0 ? -d : d;
            for (var u = 0; u < m; u++)
                result.SetSubMatrix(_slices[i].Start + u * irrep.Dim, _slices[i].Start + u * irrep.Dim, block);
        }
        return result;
    }

    /// <summary><see cref="Matrix"/> as a float64 CPU tensor (Dim, Dim).</summary>
    public Tensor MatrixTensor(GroupElement g) => torch.tensor(Matrix(g).ToArray(), dtype: ScalarType.Float64);

    /// <summary>The action of a batch of orthogonal matrices, with tensor operations only.</summary>
    /// <param name="orthogonal">Shape (..., 3, 3), each orthogonal with det ±1 (not checked); floating dtype.</param>
    /// <returns>Shape (..., Dim, Dim), same dtype and device; differentiable.</returns>
    public Tensor Matrices(Tensor orthogonal)
    {
        ArgumentNullException.ThrowIfNull(orthogonal);
        if (orthogonal.dim() < 2 || orthogonal.shape[^1] != 3 || orthogonal.shape[^2] != 3)
            throw new ArgumentException($"Expected orthogonal matrices of shape (..., 3, 3); got ({string.Join(", ", orthogonal.shape)}).", nameof(orthogonal));
        using var scope = torch.NewDisposeScope();
        var batch = orthogonal.shape[..^2];
        var flat = orthogonal.reshape(-1, 3, 3);
        var n = flat.shape[0];
        // det = ±1: g = det · R with R a rotation, and the parity factor is det for odd irreps.
        var det = torch.linalg.det(flat).sign();
        var rotation = flat * det.view(-1, 1, 1);
        var result = torch.zeros(n, Dim, Dim, dtype: flat.dtype, device: flat.device);
        var byDegree = new Dictionary<int, Tensor>();
        for (var i = 0; i < _terms.Length; i++)
        {
            var (m, irrep) = (_terms[i].Multiplicity, _terms[i].Irrep);
            if (m == 0) continue;
            if (!byDegree.TryGetValue(irrep.Degree, out var d))
                byDegree[irrep.Degree] = d = WignerD.Real(irrep.Degree, rotation);
            var block = irrep.Parity < 0 ? d * det.view(-1, 1, 1) : d;
            for (var u = 0; u < m; u++)
            {
                var s = _slices[i].Start + u * irrep.Dim;
                result[.., s..(s + irrep.Dim), s..(s + irrep.Dim)] = block;
            }
        }
        return result.reshape(batch.Append((long)Dim).Append((long)Dim).ToArray()).MoveToOuterDisposeScope();
    }

    /// <summary>This sum as a <see cref="Representation"/> of O(3) (for <see cref="Equivariance.RepresentationAction"/>).</summary>
    public Representation ToRepresentation()
    {
        if (Dim == 0) throw new InvalidOperationException("The empty irreps have no representation.");
        var parts = _terms.SelectMany(t => Enumerable.Repeat((Representation)Group.O3.Irrep(t.Irrep.Degree, t.Irrep.Parity), t.Multiplicity)).ToArray();
        return parts.Length == 1 ? parts[0] : Representation.DirectSum(parts, ToString());
    }

    /// <summary>Parses the mini-language; see the class remarks.</summary>
    /// <exception cref="FormatException">the text does not parse; the message quotes the input and the bad term.</exception>
    public static Irreps Parse(string s, IFormatProvider? provider = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParseCore(s, out var result, out var error) ? result : throw new FormatException(error);
    }

    /// <summary>Parses the mini-language without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out Irreps result)
    {
        if (s is null) { result = null; return false; }
        return TryParseCore(s, out result, out _);
    }

    /// <summary>Parses the mini-language without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, [MaybeNullWhen(false)] out Irreps result) => TryParse(s, null, out result);

    private static bool TryParseCore(string s, [MaybeNullWhen(false)] out Irreps result, [MaybeNullWhen(true)] out string error)
    {
        result = null;
        error = null;
        if (string.IsNullOrWhiteSpace(s)) { result = Empty; return true; }
        var terms = new List<MulIrrep>();
        var position = 0;
        foreach (var raw in s.Split('+'))
        {
            var token = raw.Trim();
            var at = position + raw.Length - raw.TrimStart().Length;
            position += raw.Length + 1;
            if (!TryParseTerm(token, out var term, out var why))
            {
                error = $"Cannot parse irreps '{s}': {(token.Length == 0 ? "empty term" : $"term '{token}'")} at position {at} {why}. " +
                        "Expected terms like '16x0e' or '1o' joined by '+'.";
                return false;
            }
            terms.Add(term);
        }
        try
        {
            result = new Irreps(terms);
        }
        catch (ArgumentException e)
        {
            error = $"Cannot parse irreps '{(s.Length <= 60 ? s : s[..57] + "…")}': {e.Message.Split(" (Parameter", 2)[0]}";
            return false;
        }
        return true;
    }

    private static bool TryParseTerm(string token, out MulIrrep term, out string why)
    {
        term = default;
        why = "";
        var multiplicity = 1;
        var irrepText = token;
        var x = token.IndexOf('x');
        if (x >= 0)
        {
            if (!int.TryParse(token.AsSpan(0, x), NumberStyles.None, CultureInfo.InvariantCulture, out multiplicity))
            {
                why = "has no non-negative integer multiplicity before 'x'";
                return false;
            }
            irrepText = token[(x + 1)..];
        }
        if (irrepText.Length < 2 || irrepText[^1] is not ('e' or 'o'))
        {
            why = "does not end in an irrep '<l>e' or '<l>o'";
            return false;
        }
        if (!int.TryParse(irrepText.AsSpan(0, irrepText.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var l))
        {
            why = $"has no non-negative integer degree in '{irrepText}'";
            return false;
        }
        term = new MulIrrep(multiplicity, new O3Irrep(l, irrepText[^1] == 'e' ? 1 : -1));
        return true;
    }

    /// <summary>The canonical string, e.g. <c>"16x0e+8x1o"</c> (empty string when empty); parses back to an equal value.</summary>
    public override string ToString() => string.Join("+", _terms.Select(t => t.ToString()));

    /// <inheritdoc />
    public bool Equals(Irreps? other) => other is not null && _terms.SequenceEqual(other._terms);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Irreps other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var t in _terms) hash.Add(t);
        return hash.ToHashCode();
    }

    /// <summary>Term-by-term equality.</summary>
    public static bool operator ==(Irreps? a, Irreps? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Term-by-term inequality.</summary>
    public static bool operator !=(Irreps? a, Irreps? b) => !(a == b);

    /// <summary>The rotation part R and whether g = −R is improper, for an element of O(3) or SO(3).</summary>
    internal static (Matrix<double> Rotation, bool Improper) Split(GroupElement g)
    {
        ArgumentNullException.ThrowIfNull(g);
        if (g is not OrthogonalElement o || o.MatrixView.RowCount != 3)
            throw new ArgumentException($"Irreps act through elements of O(3) or SO(3); got {g} of {g.Group.Name}.", nameof(g));
        var m = o.MatrixView;
        var improper = m.Determinant() < 0;
        return (improper ? -m : m.Clone(), improper);
    }
}
