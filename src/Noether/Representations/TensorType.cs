namespace Noether.Representations;

/// <summary>The type of one tensor block of a matrix-group representation: a sequence of modes, each the base
/// representation V or its dual V*, so that the block is V^{⊗…} ⊗ V*^{⊗…} in that mode order.</summary>
/// <remarks>Rank 0 is the scalar (trivial) representation. The block's coordinates are the Kronecker (row-major)
/// ordering of its modes. Immutable, compared by its mode sequence.</remarks>
public sealed class TensorType : IEquatable<TensorType>
{
    private readonly bool[] _duals;

    /// <summary>Creates the type with <paramref name="duals"/>[i] true where mode i is V*.</summary>
    public TensorType(IEnumerable<bool> duals)
    {
        ArgumentNullException.ThrowIfNull(duals);
        _duals = duals.ToArray();
    }

    /// <summary>The scalar type (rank 0).</summary>
    public static TensorType Scalar { get; } = new(Array.Empty<bool>());

    /// <summary>T(p, q) = V^{⊗p} ⊗ V*^{⊗q}.</summary>
    public static TensorType Of(int p, int q)
    {
        if (p < 0 || q < 0) throw new ArgumentOutOfRangeException(p < 0 ? nameof(p) : nameof(q), "Tensor ranks must be non-negative.");
        return new TensorType(Enumerable.Repeat(false, p).Concat(Enumerable.Repeat(true, q)));
    }

    /// <summary>The number of modes.</summary>
    public int Rank => _duals.Length;

    /// <summary>Whether each mode is dual (V*), in order.</summary>
    public IReadOnlyList<bool> Duals => _duals;

    /// <summary>The dimension n^rank for a group acting on ℝⁿ.</summary>
    public int Dim(int n)
    {
        long d = Coordinates(n);
        return d <= int.MaxValue ? (int)d : throw new OverflowException($"{this} of a group on ℝ^{n} has more than 2^31 coordinates.");
    }

    /// <summary>n^rank, or int.MaxValue + 1 once it is larger than int.MaxValue (no wrap-around for any rank).</summary>
    internal long Coordinates(int n)
    {
        long d = 1;
        for (int i = 0; i < Rank && d <= int.MaxValue; i++) d *= n;
        return Math.Min(d, int.MaxValue + 1L);
    }

    /// <summary>The dual type (every mode flipped).</summary>
    public TensorType Dual() => new(_duals.Select(d => !d));

    /// <summary>The type of a tensor product: this type's modes followed by <paramref name="other"/>'s.</summary>
    public TensorType Then(TensorType other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TensorType(_duals.Concat(other._duals));
    }

    /// <summary>The type with all modes undualised (for orthogonal groups, V* ≅ V by the identity).</summary>
    public TensorType Undualised() => Of(Rank, 0);

    /// <inheritdoc />
    public bool Equals(TensorType? other) => other is not null && _duals.AsSpan().SequenceEqual(other._duals);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TensorType t && Equals(t);
    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Rank);
        foreach (var d in _duals) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary><c>S</c>, <c>V</c>, <c>V*</c>, <c>T(p,q)</c> when the V modes come first, else modes joined by ⊗.</summary>
    public override string ToString()
    {
        if (Rank == 0) return "S";
        if (Rank == 1) return _duals[0] ? "V*" : "V";
        int p = _duals.TakeWhile(d => !d).Count();
        if (_duals.Skip(p).All(d => d)) return $"T({p},{Rank - p})";
        return string.Join("⊗", _duals.Select(d => d ? "V*" : "V"));
    }
}
