using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace Noether.Groups;

/// <summary>An immutable permutation of the points {0, ..., n−1}, stored by its images: <c>p[i]</c> is the image of <c>i</c>.</summary>
/// <remarks>
/// Composition follows functions and matrices: <c>p.Compose(q)</c> (also <c>p * q</c>) applies <c>q</c> first,
/// so <c>(p ∘ q)(i) = p[q[i]]</c> and <c>p.ToMatrix() * q.ToMatrix() == (p * q).ToMatrix()</c>.
/// Points are 0-based everywhere in the API, except in cycle notation, which is 1-based as in textbooks:
/// <c>Parse("(1 2 3)", 3)</c> maps 0 → 1 → 2 → 0. The one-line form <c>"[1,2,0]"</c> lists the 0-based images.
/// <c>default(Permutation)</c> is the empty permutation of degree 0; every factory requires a degree ≥ 1.
/// </remarks>
/// <example><code>
/// var p = Permutation.Parse("(1 2 3)(4 5)", 5);   // p[0] == 1, p.Sign == -1, p.CycleType == [3, 2]
/// var word = p.AdjacentTranspositions();          // p == s_word[0] ∘ s_word[1] ∘ ...
/// </code></example>
public readonly struct Permutation : IEquatable<Permutation>
{
    private readonly int[]? _image;

    /// <summary>Creates the permutation with the given images: <c>image[i]</c> is where <c>i</c> goes.</summary>
    /// <param name="image">The 0-based images, of length n ≥ 1; must be a bijection of {0, ..., n−1}. It is copied.</param>
    /// <exception cref="ArgumentException">The images are empty or not a bijection of {0, ..., n−1}.</exception>
    public Permutation(IReadOnlyList<int> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        _image = image.ToArray();
        if (BijectionProblem(_image) is string problem) throw new ArgumentException(problem, nameof(image));
    }

    private Permutation(int[] image, bool trusted)
    {
        _ = trusted;
        _image = image;
    }

    private int[] Image => _image ?? Array.Empty<int>();

    /// <summary>The number n of points the permutation acts on.</summary>
    public int Degree => Image.Length;

    /// <summary>The image of point <paramref name="i"/>.</summary>
    /// <param name="i">A 0-based point in [0, Degree).</param>
    public int this[int i]
    {
        get
        {
            if ((uint)i >= (uint)Degree)
                throw new ArgumentOutOfRangeException(nameof(i), i, $"Point {i} is outside [0, {Degree}).");
            return Image[i];
        }
    }

    /// <summary>The images as a fresh array (the one-line form, 0-based).</summary>
    public int[] ToArray() => (int[])Image.Clone();

    /// <summary>The identity permutation of {0, ..., n−1}.</summary>
    /// <param name="n">The degree, n ≥ 1.</param>
    public static Permutation Identity(int n)
    {
        CheckDegree(n, nameof(n));
        var image = new int[n];
        for (int i = 0; i < n; i++) image[i] = i;
        return new Permutation(image, trusted: true);
    }

    /// <summary>The transposition that swaps the 0-based points <paramref name="i"/> and <paramref name="j"/>.</summary>
    /// <param name="n">The degree, n ≥ 2.</param>
    /// <param name="i">A 0-based point in [0, n).</param>
    /// <param name="j">A 0-based point in [0, n), different from <paramref name="i"/>.</param>
    public static Permutation Transposition(int n, int i, int j)
    {
        CheckDegree(n, nameof(n));
        if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(i), i, $"Point {i} is outside [0, {n}).");
        if ((uint)j >= (uint)n) throw new ArgumentOutOfRangeException(nameof(j), j, $"Point {j} is outside [0, {n}).");
        if (i == j) throw new ArgumentException($"A transposition needs two different points; got {i} twice.", nameof(j));
        var image = Identity(n).Image;
        (image[i], image[j]) = (j, i);
        return new Permutation(image, trusted: true);
    }

    /// <summary>The composition this ∘ <paramref name="other"/>: apply <paramref name="other"/> first, so the result maps i to <c>this[other[i]]</c>.</summary>
    /// <param name="other">A permutation of the same degree.</param>
    public Permutation Compose(Permutation other)
    {
        if (other.Degree != Degree)
            throw new ArgumentException($"Cannot compose a permutation of degree {Degree} with one of degree {other.Degree}.", nameof(other));
        var a = Image;
        var b = other.Image;
        var image = new int[a.Length];
        for (int i = 0; i < image.Length; i++) image[i] = a[b[i]];
        return new Permutation(image, trusted: true);
    }

    /// <summary>The composition <paramref name="left"/> ∘ <paramref name="right"/> (apply <paramref name="right"/> first); see <see cref="Compose"/>.</summary>
    /// <param name="left">The permutation applied second.</param>
    /// <param name="right">The permutation applied first, of the same degree.</param>
    public static Permutation operator *(Permutation left, Permutation right) => left.Compose(right);

    /// <summary>The inverse permutation, which maps <c>this[i]</c> back to <c>i</c>.</summary>
    public Permutation Inverse()
    {
        var a = Image;
        var image = new int[a.Length];
        for (int i = 0; i < a.Length; i++) image[a[i]] = i;
        return new Permutation(image, trusted: true);
    }

    /// <summary>The sign: +1 for even permutations, −1 for odd ones, i.e. (−1)^(n − number of cycles).</summary>
    public int Sign
    {
        get
        {
            int cycles = CycleLengths().Count;
            return ((Degree - cycles) & 1) == 0 ? 1 : -1;
        }
    }

    /// <summary>The lengths of all cycles, fixed points included, sorted descending: a partition of <see cref="Degree"/>.</summary>
    public int[] CycleType
    {
        get
        {
            var lengths = CycleLengths();
            lengths.Sort((x, y) => y.CompareTo(x));
            return lengths.ToArray();
        }
    }

    /// <summary>The order: the least k ≥ 1 with p^k = identity (the lcm of the cycle lengths).</summary>
    public int Order
    {
        get
        {
            long order = 1;
            foreach (int length in CycleLengths())
                order = order / Gcd(order, length) * length;
            return checked((int)order);
        }
    }

    /// <summary>The cycles of length ≥ 2, with 0-based points; each cycle starts at its smallest point,
    /// and the cycles are sorted by that point. Fixed points are left out (the identity has no cycles).</summary>
    /// <remarks>A cycle (a b c) maps a → b → c → a.</remarks>
    public IReadOnlyList<IReadOnlyList<int>> Cycles
    {
        get
        {
            var a = Image;
            var seen = new bool[a.Length];
            var cycles = new List<IReadOnlyList<int>>();
            for (int start = 0; start < a.Length; start++)
            {
                if (seen[start]) continue;
                var cycle = new List<int>();
                for (int i = start; !seen[i]; i = a[i])
                {
                    seen[i] = true;
                    cycle.Add(i);
                }
                if (cycle.Count > 1) cycles.Add(cycle.AsReadOnly());
            }
            return cycles.AsReadOnly();
        }
    }

    /// <summary>A reduced word for this permutation in the adjacent transpositions s_k = (k, k+1) (0-based points k and k+1).</summary>
    /// <returns>Indices [k₁, k₂, ..., k_m] with this = s_k₁ ∘ s_k₂ ∘ ... ∘ s_k_m, so s_k_m acts first.
    /// The length m is the number of inversions (the word is reduced); the identity gives an empty word.
    /// Hence for any representation, ρ(this) = ρ(s_k₁) ρ(s_k₂) ... ρ(s_k_m).</returns>
    /// <remarks>Found by bubble sort: right-multiplying by s_k swaps the entries at positions k, k+1 of the
    /// one-line form, and each swap of a descent removes one inversion.</remarks>
    public int[] AdjacentTranspositions()
    {
        var q = ToArray();
        var swaps = new List<int>();
        bool swapped = true;
        while (swapped)
        {
            swapped = false;
            for (int k = 0; k + 1 < q.Length; k++)
            {
                if (q[k] <= q[k + 1]) continue;
                (q[k], q[k + 1]) = (q[k + 1], q[k]);
                swaps.Add(k);
                swapped = true;
            }
        }
        // q ∘ s_a1 ∘ ... ∘ s_am = e, so q = s_am ∘ ... ∘ s_a1.
        swaps.Reverse();
        return swaps.ToArray();
    }

    /// <summary>The n×n permutation matrix M with M[p[j], j] = 1, so that M e_j = e_p[j] and M(p) M(q) = M(p ∘ q).</summary>
    public Matrix<double> ToMatrix()
    {
        var a = Image;
        var m = Matrix<double>.Build.Dense(a.Length, a.Length);
        for (int j = 0; j < a.Length; j++) m[a[j], j] = 1.0;
        return m;
    }

    /// <summary>Parses the one-line form <c>"[2,0,1]"</c> (0-based images; the degree is the length).</summary>
    /// <param name="text">Text such as <c>"[2,0,1]"</c>.</param>
    /// <exception cref="FormatException">The text is not a one-line form of a bijection; the message quotes it.</exception>
    public static Permutation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (!trimmed.StartsWith('['))
            throw new FormatException($"Cannot parse permutation '{text}': without a degree, only the one-line form like '[2,0,1]' is accepted.");
        return ParseOneLine(text, trimmed, degree: null);
    }

    /// <summary>Parses cycle notation with 1-based points, e.g. <c>"(1 2 3)(4 5)"</c> or <c>"()"</c> for the identity,
    /// or the one-line form <c>"[2,0,1]"</c> (0-based images), as a permutation of the given degree.</summary>
    /// <param name="text">Disjoint cycles whose points are separated by spaces or commas, or a one-line form.</param>
    /// <param name="degree">The number n ≥ 1 of points; cycle points must lie in [1, n].</param>
    /// <exception cref="FormatException">The text is malformed, names a point outside [1, n], repeats a point,
    /// or (one-line form) does not have length n; the message quotes it.</exception>
    public static Permutation Parse(string text, int degree)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckDegree(degree, nameof(degree));
        string trimmed = text.Trim();
        if (trimmed.StartsWith('[')) return ParseOneLine(text, trimmed, degree);

        var image = Identity(degree).Image;
        var used = new bool[degree];
        int pos = 0;
        while (pos < trimmed.Length)
        {
            if (char.IsWhiteSpace(trimmed[pos])) { pos++; continue; }
            if (trimmed[pos] != '(')
                throw new FormatException($"Cannot parse permutation '{text}': expected '(' at position {pos}.");
            int close = trimmed.IndexOf(')', pos);
            if (close < 0)
                throw new FormatException($"Cannot parse permutation '{text}': a cycle is missing its ')'.");
            var tokens = trimmed[(pos + 1)..close].Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var cycle = new int[tokens.Length];
            for (int t = 0; t < tokens.Length; t++)
            {
                if (!int.TryParse(tokens[t], NumberStyles.None, CultureInfo.InvariantCulture, out int point) || point < 1 || point > degree)
                    throw new FormatException($"Cannot parse permutation '{text}': '{tokens[t]}' is not a point in [1, {degree}].");
                if (used[point - 1])
                    throw new FormatException($"Cannot parse permutation '{text}': point {point} appears twice (cycles must be disjoint).");
                used[point - 1] = true;
                cycle[t] = point - 1;
            }
            for (int t = 0; t < cycle.Length; t++) image[cycle[t]] = cycle[(t + 1) % cycle.Length];
            pos = close + 1;
        }
        if (trimmed.Length == 0)
            throw new FormatException($"Cannot parse permutation '{text}': the text is empty (write '()' for the identity).");
        return new Permutation(image, trusted: true);
    }

    /// <summary>Tries to parse like <see cref="Parse(string, int)"/>, returning false instead of throwing.</summary>
    /// <param name="text">Cycle notation (1-based) or one-line form (0-based).</param>
    /// <param name="degree">The number n ≥ 1 of points.</param>
    /// <param name="result">The permutation, or <c>default</c> when parsing fails.</param>
    public static bool TryParse(string? text, int degree, out Permutation result)
    {
        result = default;
        if (text is null || degree < 1) return false;
        try
        {
            result = Parse(text, degree);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>All n! permutations of {0, ..., n−1}, in lexicographic order of their one-line forms (identity first).</summary>
    /// <param name="n">The degree, n ≥ 1.</param>
    public static IEnumerable<Permutation> AllPermutations(int n)
    {
        CheckDegree(n, nameof(n));
        return Enumerate(n);

        static IEnumerable<Permutation> Enumerate(int n)
        {
            var a = Identity(n).Image;
            while (true)
            {
                yield return new Permutation((int[])a.Clone(), trusted: true);
                // Next permutation in lexicographic order (Knuth, TAOCP 7.2.1.2, Algorithm L).
                int i = n - 2;
                while (i >= 0 && a[i] > a[i + 1]) i--;
                if (i < 0) yield break;
                int j = n - 1;
                while (a[j] < a[i]) j--;
                (a[i], a[j]) = (a[j], a[i]);
                Array.Reverse(a, i + 1, n - i - 1);
            }
        }
    }

    /// <summary>Cycle notation with 1-based points, e.g. <c>"(1 2 3)(4 5)"</c>, or <c>"()"</c> for the identity;
    /// <c>Parse(p.ToString(), p.Degree)</c> gives back <c>p</c>.</summary>
    public override string ToString()
    {
        var cycles = Cycles;
        if (cycles.Count == 0) return "()";
        var sb = new StringBuilder();
        foreach (var cycle in cycles)
        {
            sb.Append('(');
            sb.AppendJoin(' ', cycle.Select(i => (i + 1).ToString(CultureInfo.InvariantCulture)));
            sb.Append(')');
        }
        return sb.ToString();
    }

    /// <summary>The one-line form with 0-based images, e.g. <c>"[2,0,1]"</c>; <c>Parse</c> reads it back without a degree.</summary>
    public string ToOneLineString() =>
        "[" + string.Join(",", Image.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Whether both permutations have the same degree and the same images.</summary>
    /// <param name="other">The permutation to compare with.</param>
    public bool Equals(Permutation other) => Image.AsSpan().SequenceEqual(other.Image);

    /// <summary>Whether <paramref name="obj"/> is an equal <see cref="Permutation"/>.</summary>
    /// <param name="obj">The object to compare with.</param>
    public override bool Equals(object? obj) => obj is Permutation other && Equals(other);

    /// <summary>A hash of the images, consistent with <see cref="Equals(Permutation)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int x in Image) hash.Add(x);
        return hash.ToHashCode();
    }

    /// <summary>Whether two permutations are equal.</summary>
    /// <param name="left">The first permutation.</param>
    /// <param name="right">The second permutation.</param>
    public static bool operator ==(Permutation left, Permutation right) => left.Equals(right);

    /// <summary>Whether two permutations differ.</summary>
    /// <param name="left">The first permutation.</param>
    /// <param name="right">The second permutation.</param>
    public static bool operator !=(Permutation left, Permutation right) => !left.Equals(right);

    private List<int> CycleLengths()
    {
        var a = Image;
        var seen = new bool[a.Length];
        var lengths = new List<int>();
        for (int start = 0; start < a.Length; start++)
        {
            if (seen[start]) continue;
            int length = 0;
            for (int i = start; !seen[i]; i = a[i])
            {
                seen[i] = true;
                length++;
            }
            lengths.Add(length);
        }
        return lengths;
    }

    private static Permutation ParseOneLine(string text, string trimmed, int? degree)
    {
        if (!trimmed.EndsWith(']'))
            throw new FormatException($"Cannot parse permutation '{text}': the one-line form must end with ']'.");
        var tokens = trimmed[1..^1].Split(',', StringSplitOptions.TrimEntries);
        var image = new int[tokens.Length];
        for (int t = 0; t < tokens.Length; t++)
        {
            if (!int.TryParse(tokens[t], NumberStyles.None, CultureInfo.InvariantCulture, out image[t]))
                throw new FormatException($"Cannot parse permutation '{text}': '{tokens[t]}' is not a non-negative integer.");
        }
        if (degree is int n && image.Length != n)
            throw new FormatException($"Cannot parse permutation '{text}': it has {image.Length} images but the degree is {n}.");
        if (BijectionProblem(image) is string problem)
            throw new FormatException($"Cannot parse permutation '{text}': {problem}");
        return new Permutation(image, trusted: true);
    }

    private static string? BijectionProblem(int[] image)
    {
        if (image.Length == 0) return "a permutation needs at least one point; got an empty image.";
        var seen = new bool[image.Length];
        foreach (int x in image)
        {
            if ((uint)x >= (uint)image.Length || seen[x])
                return $"[{string.Join(",", image)}] is not a bijection of {{0, ..., {image.Length - 1}}} (image {x} is out of range or repeated).";
            seen[x] = true;
        }
        return null;
    }

    private static void CheckDegree(int n, string paramName)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(paramName, n, $"The degree must be at least 1; got {n}.");
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
