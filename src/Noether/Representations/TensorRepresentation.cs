using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>A representation of a <see cref="MatrixGroup"/> built from its base representation V: V, V*, tensor
/// representations T(p,q) = V^{⊗p} ⊗ V*^{⊗q}, direct sums with multiplicities and tensor products (EMLP's <c>Rep</c>).</summary>
/// <remarks>
/// Every such representation is, up to a permutation of coordinates, a direct sum of tensor blocks
/// (<see cref="Blocks"/>): g acts on a V mode by g and on a V* mode by g⁻ᵀ, and a Lie-algebra element A acts by
/// dρ(A) = Σ_modes I⊗…⊗M⊗…⊗I with M = A on V and −Aᵀ on V*. <see cref="Layout"/> maps the block-ordered
/// coordinates to the representation's own (a tensor product of sums interleaves its blocks).
/// User syntax (<see cref="Parse"/>): <c>V</c>, <c>V*</c>, <c>T(2,0)</c> (or <c>T(2)</c>), <c>3V+T(1,1)</c>, <c>3*V</c>,
/// <c>V⊗V</c> or <c>V(x)V</c>, parentheses, scalars as <c>1</c> or <c>S</c> (<c>4</c> is four scalars).
/// <see cref="Representation.Name"/> is the canonical text, which parses back to an equal representation. These
/// representations need not be orthogonal (the Lorentz group), and their irreducible decomposition is not computed.
/// </remarks>
public sealed class TensorRepresentation : Representation, IEquatable<TensorRepresentation>
{
    private readonly TensorType[] _blocks;
    private readonly int[] _layout;
    private readonly int[] _offsets;
    private readonly int _precedence; // 0 sum, 1 multiple, 2 product, 3 atom: for parenthesising names

    private TensorRepresentation(MatrixGroup group, string name, TensorType[] blocks, int[]? layout, int precedence)
        : base(group, name, blocks.Sum(b => b.Dim(group.Size)), g => Build(((MatrixElement)g).MatrixView, blocks, layout, group.Size, false),
            () => throw new NotSupportedException($"Representations of the matrix group {group.Name} are not decomposed into irreps."), null)
    {
        MatrixGroup = group;
        _blocks = blocks;
        _layout = layout ?? Enumerable.Range(0, Dim).ToArray();
        _offsets = new int[blocks.Length + 1];
        for (int i = 0; i < blocks.Length; i++) _offsets[i + 1] = _offsets[i] + blocks[i].Dim(group.Size);
        _precedence = precedence;
    }

    /// <summary>The matrix group represented.</summary>
    public MatrixGroup MatrixGroup { get; }

    /// <summary>The tensor blocks, in block order.</summary>
    public IReadOnlyList<TensorType> Blocks => _blocks;

    /// <summary>Layout[c] is the coordinate of this representation that holds block-ordered coordinate c.</summary>
    public IReadOnlyList<int> Layout => _layout;

    /// <summary>The block-ordered coordinate where block <paramref name="block"/> starts.</summary>
    public int BlockOffset(int block) => _offsets[block];

    /// <summary>True when the layout is the identity (blocks lie contiguously in order).</summary>
    public bool IsBlockOrdered => _layout.Select((v, i) => v == i).All(x => x);

    /// <summary>The scalar (trivial) representation S.</summary>
    public static TensorRepresentation Scalar(MatrixGroup group) => new(Check(group), "S", new[] { TensorType.Scalar }, null, 3);

    /// <summary>The base representation V = ℝⁿ, g ↦ g.</summary>
    public static TensorRepresentation Vector(MatrixGroup group) => new(Check(group), "V", new[] { TensorType.Of(1, 0) }, null, 3);

    /// <summary>T(p,q) = V^{⊗p} ⊗ V*^{⊗q}; T(0,0) is the scalar.</summary>
    public static TensorRepresentation Tensor(MatrixGroup group, int p, int q = 0)
    {
        var type = TensorType.Of(p, q);
        return new(Check(group), type.Rank == 0 ? "S" : type.ToString(), new[] { type }, null, 3);
    }

    /// <summary>The dual representation ρ*(g) = ρ(g)⁻ᵀ.</summary>
    public TensorRepresentation Dual() =>
        new(MatrixGroup, _precedence == 3 && Name == "V" ? "V*" : $"{Wrap(3)}*", _blocks.Select(b => b.Dual()).ToArray(), _layout, 3);

    /// <summary>The direct sum a ⊕ b.</summary>
    public static TensorRepresentation operator +(TensorRepresentation a, TensorRepresentation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        SameGroup(a, b);
        var layout = a._layout.Concat(b._layout.Select(i => i + a.Dim)).ToArray();
        return new(a.MatrixGroup, $"{a.Name}+{b.Name}", a._blocks.Concat(b._blocks).ToArray(), layout, 0);
    }

    /// <summary>The direct sum of <paramref name="terms"/> in order, built in one pass (a ⊕ b ⊕ c … as repeated
    /// <c>+</c> would copy the layout once per term).</summary>
    internal static TensorRepresentation Sum(IReadOnlyList<TensorRepresentation> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("A sum needs at least one term.", nameof(terms));
        if (terms.Count == 1) return terms[0];
        foreach (var t in terms) SameGroup(terms[0], t);
        var layout = new int[terms.Sum(t => t.Dim)];
        var blocks = new List<TensorType>();
        int offset = 0;
        foreach (var t in terms)
        {
            for (int i = 0; i < t.Dim; i++) layout[offset + i] = t._layout[i] + offset;
            blocks.AddRange(t._blocks);
            offset += t.Dim;
        }
        return new(terms[0].MatrixGroup, string.Join("+", terms.Select(t => t.Name)), blocks.ToArray(), layout, 0);
    }

    /// <summary>k copies a ⊕ … ⊕ a.</summary>
    public static TensorRepresentation operator *(int copies, TensorRepresentation a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "Multiplicity must be ≥ 1.");
        if (copies == 1) return a;
        var blocks = Enumerable.Repeat(a._blocks, copies).SelectMany(b => b).ToArray();
        var layout = Enumerable.Range(0, copies).SelectMany(c => a._layout.Select(i => i + c * a.Dim)).ToArray();
        return new(a.MatrixGroup, $"{copies}{a.Wrap(2)}", blocks, layout, 1);
    }

    /// <summary>The tensor product a ⊗ b (Kronecker order: coordinate i·dim b + j).</summary>
    public static TensorRepresentation operator *(TensorRepresentation a, TensorRepresentation b) => a.Product(b);

    /// <summary>The tensor product this ⊗ <paramref name="other"/>.</summary>
    public TensorRepresentation Product(TensorRepresentation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        SameGroup(this, other);
        var blocks = new List<TensorType>();
        var layout = new List<int>(Dim * other.Dim);
        for (int a = 0; a < _blocks.Length; a++)
            for (int b = 0; b < other._blocks.Length; b++)
            {
                blocks.Add(_blocks[a].Then(other._blocks[b]));
                for (int i = _offsets[a]; i < _offsets[a + 1]; i++)
                    for (int j = other._offsets[b]; j < other._offsets[b + 1]; j++)
                        layout.Add(_layout[i] * other.Dim + other._layout[j]);
            }
        string name = IsScalarAtom ? other.Name : other.IsScalarAtom ? Name : $"{Wrap(2)}⊗{other.Wrap(2)}";
        return new(MatrixGroup, name, blocks.ToArray(), layout.ToArray(), IsScalarAtom ? other._precedence : other.IsScalarAtom ? _precedence : 2);
    }

    /// <summary>ρ(g) for an n×n matrix g of the group (dense, Dim×Dim).</summary>
    public Matrix<double> Rho(Matrix<double> g)
    {
        CheckSquare(g, nameof(g));
        return Build(g, _blocks, _layout, MatrixGroup.Size, false);
    }

    /// <summary>dρ(A) for an element A of the Lie algebra (checked: <see cref="MatrixGroup.CheckLieAlgebraElement"/>).</summary>
    public Matrix<double> LieAlgebraMatrix(Matrix<double> a)
    {
        MatrixGroup.CheckLieAlgebraElement(a, nameof(a));
        return Build(a, _blocks, _layout, MatrixGroup.Size, true);
    }

    internal Matrix<double> LieAlgebraMatrixUnchecked(Matrix<double> a) => Build(a, _blocks, _layout, MatrixGroup.Size, true);

    /// <summary>The longest text <see cref="Parse"/> reads.</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>The deepest nesting of parentheses <see cref="Parse"/> reads.</summary>
    public const int MaxNesting = 32;

    /// <summary>The largest dimension a parsed representation may have (each tensor block and the whole sum).</summary>
    public const int MaxDimension = 1 << 20;

    /// <summary>Parses the user syntax (see the remarks) for <paramref name="group"/>.</summary>
    /// <exception cref="FormatException">the text is not a representation, is longer than <see cref="MaxTextLength"/>, nests
    /// parentheses deeper than <see cref="MaxNesting"/>, or describes more than <see cref="MaxDimension"/> coordinates; the
    /// message quotes it and the position or the limit.</exception>
    public static TensorRepresentation Parse(string text, MatrixGroup group)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxTextLength)
            throw new FormatException($"A representation is at most {MaxTextLength:N0} characters long; got {text.Length:N0}.");
        try
        {
            var parsed = new Parser(text, Check(group)).ParseAll();
            return parsed.Dim <= MaxDimension ? parsed
                : throw new FormatException($"'{Shorten(text)}' has {parsed.Dim:N0} coordinates; at most {MaxDimension:N0} are supported.");
        }
        catch (OverflowException e)
        {
            throw new FormatException($"'{Shorten(text)}' has more than {MaxDimension:N0} coordinates ({e.Message}).", e);
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "…";

    /// <summary>Like <see cref="Parse"/>, without throwing.</summary>
    public static bool TryParse(string? text, MatrixGroup group, out TensorRepresentation? representation)
    {
        representation = null;
        if (text is null) return false;
        try { representation = Parse(text, group); return true; }
        catch (FormatException) { return false; }
    }

    /// <summary>Equal group, blocks and layout (the same action on the same coordinates).</summary>
    public bool Equals(TensorRepresentation? other) => other is not null && other.MatrixGroup.Equals(MatrixGroup)
        && other._blocks.SequenceEqual(_blocks) && other._layout.AsSpan().SequenceEqual(_layout);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TensorRepresentation t && Equals(t);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MatrixGroup, Dim, _blocks.Length, _blocks[0]);

    private bool IsScalarAtom => _blocks.Length == 1 && _blocks[0].Rank == 0;

    private string Wrap(int precedence) => _precedence >= precedence ? Name : $"({Name})";

    /// <summary>The block-diagonal matrix of ρ(g) (or dρ(A) when <paramref name="algebra"/>) in the layout.</summary>
    private static Matrix<double> Build(Matrix<double> g, TensorType[] blocks, int[]? layout, int n, bool algebra)
    {
        var dualAction = algebra ? -g.Transpose() : g.Inverse().Transpose();
        var identity = Matrix<double>.Build.DenseIdentity(n);
        var parts = blocks.Select(type =>
        {
            if (type.Rank == 0) return Matrix<double>.Build.Dense(1, 1, algebra ? 0.0 : 1.0);
            if (!algebra)
                return type.Duals.Select(d => d ? dualAction : g).Aggregate((x, y) => x.KroneckerProduct(y));
            Matrix<double>? sum = null;
            for (int mode = 0; mode < type.Rank; mode++)
            {
                var term = Enumerable.Range(0, type.Rank).Select(k => k == mode ? (type.Duals[k] ? dualAction : g) : identity)
                    .Aggregate((x, y) => x.KroneckerProduct(y));
                sum = sum is null ? term : sum + term;
            }
            return sum!;
        }).ToArray();
        var block = LinearAlgebra.BlockDiagonal(parts);
        if (layout is null) return block;
        int dim = block.RowCount;
        var result = Matrix<double>.Build.Dense(dim, dim);
        for (int i = 0; i < dim; i++)
            for (int j = 0; j < dim; j++)
            {
                double v = block[i, j];
                if (v != 0) result[layout[i], layout[j]] = v;
            }
        return result;
    }

    private void CheckSquare(Matrix<double> m, string paramName)
    {
        ArgumentNullException.ThrowIfNull(m, paramName);
        if (m.RowCount != MatrixGroup.Size || m.ColumnCount != MatrixGroup.Size)
            throw new ArgumentException($"{MatrixGroup.Name} acts by {MatrixGroup.Size}x{MatrixGroup.Size} matrices; got {m.RowCount}x{m.ColumnCount}.", paramName);
    }

    private static MatrixGroup Check(MatrixGroup group) => group ?? throw new ArgumentNullException(nameof(group));

    private static void SameGroup(TensorRepresentation a, TensorRepresentation b)
    {
        if (!a.MatrixGroup.Equals(b.MatrixGroup))
            throw new ArgumentException($"Cannot combine representations of different groups ({a.MatrixGroup.Name} and {b.MatrixGroup.Name}).", nameof(b));
    }

    /// <summary>Recursive descent: sum := term ('+' term)*; term := [INT ['*']] product; product := postfix (('⊗'|'(x)') postfix)*;
    /// postfix := atom ['*']; atom := V | S | 1 | T(p[,q]) | '(' sum ')'.</summary>
    private sealed class Parser(string text, MatrixGroup group)
    {
        private int _pos;
        private int _depth;

        public TensorRepresentation ParseAll()
        {
            if (string.IsNullOrWhiteSpace(text)) throw Error("it is empty");
            var result = ParseSum();
            SkipSpace();
            if (_pos < text.Length) throw Error($"unexpected '{text[_pos]}'");
            return result;
        }

        private TensorRepresentation ParseSum()
        {
            var terms = new List<TensorRepresentation> { ParseTerm() };
            long coordinates = terms[0].Dim;
            while (Accept("+"))
            {
                var next = ParseTerm();
                coordinates += next.Dim;
                Limit(coordinates);
                terms.Add(next);
            }
            return Sum(terms);
        }

        /// <summary>Refuses a representation of more than <see cref="MaxDimension"/> coordinates before it is built (its
        /// layout alone would take 4 bytes a coordinate).</summary>
        private void Limit(long coordinates)
        {
            if (coordinates > MaxDimension)
                throw new FormatException($"'{Shorten(text)}' has more than {MaxDimension:N0} coordinates (a part has {(coordinates > int.MaxValue ? "more than 2^31" : coordinates.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))}).");
        }

        private TensorRepresentation ParseTerm()
        {
            SkipSpace();
            if (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                int copies = ParseInt();
                if (copies < 1) throw Error("a multiplicity must be ≥ 1");
                bool star = Accept("*");
                SkipSpace();
                if (!star && (_pos >= text.Length || text[_pos] is '+' or ')' || Peek("⊗") || Peek("(x)")))
                {
                    // A bare integer k is k scalars ("1" is the scalar).
                    Limit(copies);
                    var scalars = copies * Scalar(group);
                    return ContinueProduct(scalars);
                }
                var product = ParseProduct();
                Limit((long)copies * product.Dim);
                return copies * product;
            }
            return ParseProduct();
        }

        private TensorRepresentation ParseProduct() => ContinueProduct(ParsePostfix());

        private TensorRepresentation ContinueProduct(TensorRepresentation left)
        {
            while (Accept("⊗") || Accept("(x)"))
            {
                var right = ParsePostfix();
                Limit((long)left.Dim * right.Dim);
                left = left.Product(right);
            }
            return left;
        }

        private TensorRepresentation ParsePostfix()
        {
            var atom = ParseAtom();
            while (Accept("*")) atom = atom.Dual();
            return atom;
        }

        private TensorRepresentation ParseAtom()
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error("a representation was expected at the end");
            char c = text[_pos];
            if (c == 'V') { _pos++; return Vector(group); }
            if (c == 'S') { _pos++; return Scalar(group); }
            if (c == '1') { _pos++; return Scalar(group); }
            if (c == 'T')
            {
                _pos++;
                Expect("(");
                int p = ParseInt();
                int q = Accept(",") ? ParseInt() : 0;
                Expect(")");
                Limit(TensorType.Of(p, q).Coordinates(group.Size));
                return Tensor(group, p, q);
            }
            if (c == '(')
            {
                if (++_depth > MaxNesting) throw Error($"parentheses nest deeper than {MaxNesting}");
                _pos++;
                var inner = ParseSum();
                Expect(")");
                _depth--;
                return inner;
            }
            throw Error($"unexpected '{c}' (expected V, V*, S, 1, T(p,q) or '(')");
        }

        private int ParseInt()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            if (start == _pos) throw Error("an integer was expected");
            if (!int.TryParse(text.AsSpan(start, _pos - start), out int value) || value > 1000) throw Error("the integer is too large");
            return value;
        }

        private bool Peek(string token) => string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0;

        private bool Accept(string token)
        {
            SkipSpace();
            if (!Peek(token)) return false;
            _pos += token.Length;
            return true;
        }

        private void Expect(string token)
        {
            if (!Accept(token)) throw Error($"'{token}' was expected");
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Error(string what) => new($"Representation '{Shorten(text)}': {what} at position {_pos}.");
    }
}
