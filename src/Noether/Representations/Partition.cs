using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Noether.Representations;

/// <summary>An integer partition λ = [λ₀, λ₁, ...] of n: non-increasing positive parts summing to n, drawn as a Young diagram
/// with λᵢ boxes in row i. It labels an irreducible representation of the symmetric group S_n.</summary>
/// <remarks>
/// Immutable; <c>ToString()</c> gives the canonical <c>"[3,1]"</c>, which <see cref="Parse(string)"/> reads back.
/// Rows and columns of the diagram are 0-based.
/// </remarks>
/// <example><code>
/// var shape = Partition.Parse("[3,1]");   // shape.Size == 4, shape.Conjugate == [2,1,1], shape.HookLengthDimension == 3
/// </code></example>
public sealed class Partition : IEquatable<Partition>, IParsable<Partition>
{
    private readonly int[] _parts;

    /// <summary>Creates the partition with the given parts.</summary>
    /// <param name="parts">At least one part; all positive and non-increasing, e.g. <c>3, 1</c>. They are copied.</param>
    /// <exception cref="ArgumentException">The parts are empty, not positive, increase somewhere, or sum to more than int.MaxValue.</exception>
    public Partition(params int[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (Problem(parts) is string problem) throw new ArgumentException(problem, nameof(parts));
        _parts = (int[])parts.Clone();
        Size = _parts.Sum();
    }

    /// <summary>The parts λ₀ ≥ λ₁ ≥ ... &gt; 0 (the row lengths of the Young diagram).</summary>
    public IReadOnlyList<int> Parts => _parts;

    /// <summary>The number n = Σ λᵢ of boxes; the partition labels an irrep of S_n.</summary>
    public int Size { get; }

    /// <summary>The number of parts (rows of the Young diagram).</summary>
    public int Length => _parts.Length;

    /// <summary>The part λᵢ, or 0 for i ≥ <see cref="Length"/> (a partition is padded with zeros).</summary>
    /// <param name="i">A 0-based row index, i ≥ 0.</param>
    public int this[int i]
    {
        get
        {
            if (i < 0) throw new ArgumentOutOfRangeException(nameof(i), i, $"Row index must be non-negative; got {i}.");
            return i < _parts.Length ? _parts[i] : 0;
        }
    }

    /// <summary>The conjugate partition λ′ (the transposed Young diagram): λ′ⱼ = #{i : λᵢ &gt; j}.</summary>
    public Partition Conjugate
    {
        get
        {
            var parts = new int[_parts[0]];
            for (int j = 0; j < parts.Length; j++) parts[j] = _parts.Count(x => x > j);
            return new Partition(parts);
        }
    }

    /// <summary>The hook length of box (row, column): the box itself plus the boxes to its right and below it.</summary>
    /// <param name="row">A 0-based row, in [0, Length).</param>
    /// <param name="column">A 0-based column, in [0, λ_row).</param>
    public int HookLength(int row, int column)
    {
        if ((uint)row >= (uint)_parts.Length)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside the diagram {this}.");
        if ((uint)column >= (uint)_parts[row])
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column {column} is outside row {row} of {this}.");
        int below = 0;
        for (int i = row + 1; i < _parts.Length && _parts[i] > column; i++) below++;
        return _parts[row] - column + below;
    }

    /// <summary>The dimension of the irrep, n! / Π hook lengths (the hook length formula; Frame, Robinson and Thrall 1954),
    /// which is also the number of standard Young tableaux of this shape.</summary>
    public long HookLengthDimension
    {
        get
        {
            BigInteger numerator = 1, denominator = 1;
            for (int k = 2; k <= Size; k++) numerator *= k;
            for (int i = 0; i < _parts.Length; i++)
                for (int j = 0; j < _parts[i]; j++) denominator *= HookLength(i, j);
            return checked((long)(numerator / denominator));
        }
    }

    /// <summary>All partitions of n in reverse lexicographic order: [n] first, then [n−1,1], [n−2,2], [n−2,1,1], ..., and [1,...,1] last.</summary>
    /// <param name="n">The size, n ≥ 1.</param>
    public static IReadOnlyList<Partition> AllPartitions(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, $"Partitions are listed for n ≥ 1; got {n}.");
        var result = new List<Partition>();
        var prefix = new List<int>();
        Fill(n, n);
        return result.AsReadOnly();

        // Parts are chosen largest first, so the list comes out in reverse lexicographic order.
        void Fill(int remaining, int maxPart)
        {
            if (remaining == 0)
            {
                result.Add(new Partition(prefix.ToArray()));
                return;
            }
            for (int part = Math.Min(remaining, maxPart); part >= 1; part--)
            {
                prefix.Add(part);
                Fill(remaining - part, part);
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    /// <summary>Parses <c>"[3,1]"</c>; the brackets are optional, and spaces around parts are allowed.</summary>
    /// <param name="text">Comma-separated positive, non-increasing parts.</param>
    /// <exception cref="FormatException">The text is not a partition; the message quotes it.</exception>
    public static Partition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var result, out string problem))
            throw new FormatException($"Cannot parse partition '{text}': {problem}");
        return result;
    }

    /// <summary>Parses <c>"[3,1]"</c> like <see cref="Parse(string)"/>; the format provider is ignored (the format is culture-invariant).</summary>
    /// <param name="s">Comma-separated positive, non-increasing parts.</param>
    /// <param name="provider">Ignored.</param>
    public static Partition Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <summary>Tries to parse <c>"[3,1]"</c>, returning false instead of throwing.</summary>
    /// <param name="s">Comma-separated positive, non-increasing parts.</param>
    /// <param name="provider">Ignored.</param>
    /// <param name="result">The partition, or null when parsing fails.</param>
    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out Partition result)
    {
        result = null;
        return s is not null && TryParse(s, out result, out _);
    }

    /// <summary>The canonical form, e.g. <c>"[3,1]"</c>.</summary>
    public override string ToString() =>
        "[" + string.Join(",", _parts.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Whether both partitions have the same parts.</summary>
    /// <param name="other">The partition to compare with.</param>
    public bool Equals(Partition? other) => other is not null && _parts.AsSpan().SequenceEqual(other._parts);

    /// <summary>Whether <paramref name="obj"/> is an equal <see cref="Partition"/>.</summary>
    /// <param name="obj">The object to compare with.</param>
    public override bool Equals(object? obj) => obj is Partition other && Equals(other);

    /// <summary>A hash of the parts, consistent with <see cref="Equals(Partition)"/>.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int x in _parts) hash.Add(x);
        return hash.ToHashCode();
    }

    /// <summary>Whether two partitions are equal (both null counts as equal).</summary>
    /// <param name="left">The first partition.</param>
    /// <param name="right">The second partition.</param>
    public static bool operator ==(Partition? left, Partition? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two partitions differ.</summary>
    /// <param name="left">The first partition.</param>
    /// <param name="right">The second partition.</param>
    public static bool operator !=(Partition? left, Partition? right) => !(left == right);

    private static bool TryParse(string text, [MaybeNullWhen(false)] out Partition result, out string problem)
    {
        result = null;
        string body = text.Trim();
        if (body.StartsWith('[') != body.EndsWith(']') || (body.StartsWith('[') && body.Length < 2))
        {
            problem = "unbalanced brackets.";
            return false;
        }
        if (body.StartsWith('[')) body = body[1..^1];
        var tokens = body.Split(',', StringSplitOptions.TrimEntries);
        var parts = new int[tokens.Length];
        for (int t = 0; t < tokens.Length; t++)
        {
            if (!int.TryParse(tokens[t], NumberStyles.None, CultureInfo.InvariantCulture, out parts[t]))
            {
                problem = $"'{tokens[t]}' is not a positive integer.";
                return false;
            }
        }
        if (Problem(parts) is string p)
        {
            problem = p;
            return false;
        }
        result = new Partition(parts);
        problem = "";
        return true;
    }

    private static string? Problem(int[] parts)
    {
        if (parts.Length == 0) return "a partition needs at least one part; got none.";
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] <= 0) return $"parts must be positive; got {parts[i]} in [{string.Join(",", parts)}].";
            if (i > 0 && parts[i] > parts[i - 1])
                return $"parts must be non-increasing; got {parts[i - 1]} then {parts[i]} in [{string.Join(",", parts)}].";
        }
        if (parts.Sum(p => (long)p) > int.MaxValue) return $"the parts sum to more than {int.MaxValue:N0}.";
        return null;
    }
}
