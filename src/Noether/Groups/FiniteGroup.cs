using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>A group with finitely many elements: enumeration, multiplication table, conjugacy classes,
/// character table, regular and quotient representations.</summary>
/// <remarks>
/// Subclasses list their elements (identity first) and give each element a value equality, so that
/// <see cref="IndexOf"/> is exact. Irreps may be written in closed form by the subclass or found
/// numerically by <see cref="FindIrrepsNumerically"/> (decomposition of the regular representation).
/// </remarks>
public abstract class FiniteGroup : Group
{
    private readonly Lazy<IReadOnlyList<GroupElement>> _elements;
    private readonly Lazy<Dictionary<GroupElement, int>> _index;
    private readonly Lazy<int[,]> _table;
    private readonly Lazy<IReadOnlyList<ConjugacyClass>> _classes;
    private readonly Lazy<Representation> _regular;

    /// <summary>Sets up the lazy tables.</summary>
    protected FiniteGroup()
    {
        _elements = new Lazy<IReadOnlyList<GroupElement>>(() =>
        {
            var list = EnumerateElements().ToArray();
            if (list.Length == 0 || !list[0].Equals(Identity))
                throw new InvalidOperationException($"{GetType().Name} must list its identity first.");
            return list;
        });
        _index = new Lazy<Dictionary<GroupElement, int>>(() =>
        {
            var map = new Dictionary<GroupElement, int>();
            for (int i = 0; i < Elements.Count; i++)
                if (!map.TryAdd(Elements[i], i))
                    throw new InvalidOperationException($"{Name} lists element {Elements[i]} twice.");
            return map;
        });
        _table = new Lazy<int[,]>(BuildTable);
        _classes = new Lazy<IReadOnlyList<ConjugacyClass>>(BuildConjugacyClasses);
        _regular = new Lazy<Representation>(BuildRegular);
    }

    /// <summary>The elements, identity first, in a fixed order.</summary>
    protected abstract IEnumerable<GroupElement> EnumerateElements();

    /// <inheritdoc />
    public override int? Order => Elements.Count;

    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Elements => _elements.Value;

    /// <summary>The position of <paramref name="g"/> in <see cref="Elements"/>.</summary>
    public int IndexOf(GroupElement g)
    {
        CheckMember(g, nameof(g));
        return _index.Value.TryGetValue(g, out var i) ? i : throw new ArgumentException($"{g} is not an element of {Name}.", nameof(g));
    }

    /// <summary>The multiplication table: <c>Table[a, b]</c> is the index of Elements[a]·Elements[b].</summary>
    public int[,] MultiplicationTable => _table.Value;

    /// <summary>The conjugacy classes, the identity's first.</summary>
    public IReadOnlyList<ConjugacyClass> ConjugacyClasses => _classes.Value;

    /// <summary>The character table: one row per irrep, one column per conjugacy class.</summary>
    public CharacterTable CharacterTable => new(this);

    /// <summary>The regular representation L(g) e_h = e_{gh} (dimension |G|).</summary>
    public Representation Regular => _regular.Value;

    private Representation BuildRegular() => Representation.FromMatrices(this, "regular", Order!.Value, g =>
    {
        int n = Order!.Value, gi = IndexOf(g);
        var m = Matrix<double>.Build.Dense(n, n);
        for (int h = 0; h < n; h++) m[MultiplicationTable[gi, h], h] = 1.0;
        return m;
    });

    /// <summary>The quotient (permutation) representation on the cosets G/H of a subgroup H.</summary>
    public Representation Quotient(SubgroupEmbedding subgroup)
    {
        ArgumentNullException.ThrowIfNull(subgroup);
        if (!subgroup.Parent.Equals(this))
            throw new ArgumentException($"{subgroup.Name} is not a subgroup of {Name}.", nameof(subgroup));
        if (!subgroup.Subgroup.IsFinite)
            throw new ArgumentException("The subgroup of a finite group must be finite.", nameof(subgroup));
        var h = subgroup.Subgroup.Elements.Select(e => IndexOf(subgroup.Map(e))).ToArray();
        // coset[x] = index of the coset xH; cosets numbered in order of their smallest element.
        int n = Order!.Value;
        var coset = Enumerable.Repeat(-1, n).ToArray();
        int count = 0;
        for (int x = 0; x < n; x++)
        {
            if (coset[x] >= 0) continue;
            foreach (var k in h) coset[MultiplicationTable[x, k]] = count;
            count++;
        }
        var representatives = Enumerable.Range(0, count).Select(c => Array.IndexOf(coset, c)).ToArray();
        return Representation.FromMatrices(this, $"quotient({Name}/{subgroup.Subgroup.Name})", count, g =>
        {
            int gi = IndexOf(g);
            var m = Matrix<double>.Build.Dense(count, count);
            for (int c = 0; c < count; c++) m[coset[MultiplicationTable[gi, representatives[c]]], c] = 1.0;
            return m;
        });
    }

    /// <inheritdoc />
    protected override bool AreCloseCore(GroupElement a, GroupElement b, double tolerance) => a.Equals(b);

    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random) => Elements[random.Next(Elements.Count)];

    /// <inheritdoc />
    public override IReadOnlyList<Irrep> IrrepsUpTo(int bandLimit) => AllIrreps;

    /// <inheritdoc />
    public override Irrep Irrep(int index)
    {
        var all = AllIrreps;
        if (index < 0 || index >= all.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"{Name} has {all.Count} irreps (indices 0..{all.Count - 1}).");
        return all[index];
    }

    /// <summary>All irreps, trivial first.</summary>
    protected abstract IReadOnlyList<Irrep> AllIrreps { get; }

    /// <summary>The element with the given index.</summary>
    public GroupElement this[int index] => Elements[index];

    private int[,] BuildTable()
    {
        int n = Elements.Count;
        var table = new int[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                table[a, b] = IndexOf(ComposeCore(Elements[a], Elements[b]));
        return table;
    }

    /// <summary>Computes the conjugacy classes (identity's first); the default uses the multiplication table.</summary>
    protected virtual IReadOnlyList<ConjugacyClass> BuildConjugacyClasses()
    {
        int n = Elements.Count;
        var inverse = Enumerable.Range(0, n).Select(i => IndexOf(InverseCore(Elements[i]))).ToArray();
        var classOf = Enumerable.Repeat(-1, n).ToArray();
        var classes = new List<ConjugacyClass>();
        for (int x = 0; x < n; x++)
        {
            if (classOf[x] >= 0) continue;
            var members = new SortedSet<int>();
            for (int g = 0; g < n; g++) members.Add(MultiplicationTable[MultiplicationTable[g, x], inverse[g]]);
            foreach (var m in members) classOf[m] = classes.Count;
            classes.Add(new ConjugacyClass(this, Elements[x], members.Count, members.Select(i => Elements[i]).ToArray()));
        }
        return classes;
    }

    /// <summary>χ_irrep on a class; the default is the trace of the irrep at the representative.</summary>
    protected internal virtual double CharacterValue(Irrep irrep, ConjugacyClass conjugacyClass) =>
        irrep.Character(conjugacyClass.Representative);

    /// <summary>Finds every real irrep of this group numerically, as blocks of the regular representation:
    /// the eigenspaces of a generic symmetric matrix commuting with the regular representation are its
    /// irreducible subspaces (one copy each, of any real type); equal characters mean equal irreps.</summary>
    /// <returns>for each irrep (trivial first, then by dimension): its matrices indexed like
    /// <see cref="Elements"/>, and its type.</returns>
    protected IReadOnlyList<(Matrix<double>[] Matrices, IrrepType Type)> FindIrrepsNumerically(int seed = 7)
    {
        int n = Elements.Count;
        var table = MultiplicationTable;
        var inverse = Enumerable.Range(0, n).Select(i => IndexOf(InverseCore(Elements[i]))).ToArray();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var random = new Random(seed + attempt);
            var m = LinearAlgebra.Gaussian(n, n, random);
            m = m + m.Transpose();
            // H = |G|⁻¹ Σ_g L(g) M L(g)ᵀ, and (L(g) M L(g)ᵀ)[a,b] = M[g⁻¹a, g⁻¹b].
            var h = Matrix<double>.Build.Dense(n, n);
            for (int g = 0; g < n; g++)
            {
                int gi = inverse[g];
                for (int a = 0; a < n; a++)
                {
                    int ga = table[gi, a];
                    for (int b = 0; b < n; b++) h[a, b] += m[ga, table[gi, b]];
                }
            }
            h /= n;
            var evd = h.Evd(Symmetricity.Symmetric);
            var values = Enumerable.Range(0, n).Select(i => evd.EigenValues[i].Real).ToArray();
            double scale = values.Max(Math.Abs);
            var clusters = new List<List<int>>();
            foreach (var i in Enumerable.Range(0, n).OrderBy(i => values[i]))
            {
                if (clusters.Count > 0 && Math.Abs(values[clusters[^1][^1]] - values[i]) < 1e-8 * scale) clusters[^1].Add(i);
                else clusters.Add(new List<int> { i });
            }
            var found = new List<(double[] Character, Matrix<double>[] Matrices)>();
            bool ok = true;
            foreach (var cluster in clusters)
            {
                var basis = Matrix<double>.Build.Dense(n, cluster.Count);
                for (int c = 0; c < cluster.Count; c++) basis.SetColumn(c, evd.EigenVectors.Column(cluster[c]));
                var matrices = new Matrix<double>[n];
                for (int g = 0; g < n; g++)
                {
                    var moved = Matrix<double>.Build.Dense(n, cluster.Count);
                    for (int a = 0; a < n; a++) moved.SetRow(table[g, a], basis.Row(a));
                    matrices[g] = basis.TransposeThisAndMultiply(moved);
                }
                var character = matrices.Select(x => x.Trace()).ToArray();
                if (cluster.Count == 1)
                {
                    // One-dimensional irreps take values ±1 (real type); store them exactly.
                    for (int g = 0; g < n; g++) matrices[g] = LinearAlgebra.Scalar(Math.Round(matrices[g][0, 0]));
                    character = matrices.Select(x => x[0, 0]).ToArray();
                }
                double norm = character.Sum(x => x * x) / n;
                if (Math.Abs(norm - Math.Round(norm)) > 1e-6 || Math.Round(norm) is not (1 or 2 or 4)) { ok = false; break; }
                if (!found.Any(f => f.Character.Zip(character, (p, q) => Math.Abs(p - q)).Max() < 1e-6))
                    found.Add((character, matrices));
            }
            if (!ok) continue;
            // Completeness: Σ dim² / ⟨χ,χ⟩ = |G| over the real irreps.
            double total = found.Sum(f => f.Matrices[0].RowCount * (double)f.Matrices[0].RowCount / Math.Round(f.Character.Sum(x => x * x) / n));
            if (Math.Abs(total - n) > 1e-6) continue;
            return found
                .OrderBy(f => f.Character.All(c => Math.Abs(c - 1) < 1e-9) ? 0 : 1)
                .ThenBy(f => f.Matrices[0].RowCount)
                .ThenByDescending(f => f.Character.Sum())
                .ThenByDescending(f => string.Join(",", f.Character.Select(c => Math.Round(c, 6).ToString("F6", System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal)
                .Select(f => (f.Matrices, (IrrepType)(int)Math.Round(f.Character.Sum(x => x * x) / n)))
                .ToArray();
        }
        throw new InvalidOperationException($"Could not separate the irreps of {Name} numerically.");
    }
}
