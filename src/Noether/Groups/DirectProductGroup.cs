using Noether.Representations;

namespace Noether.Groups;

/// <summary>The direct product A × B of two finite groups, with componentwise product.</summary>
/// <remarks>
/// Irreps are found numerically from the regular representation and named after the product of
/// factor irreps that contains them: <c>ψ×φ</c> (irreducible when either factor is of real type), or
/// <c>ψ×φ#1</c>, <c>ψ×φ#2</c> when a product of two complex-type irreps splits. Subgroups: A × {e} and
/// {e} × B. Name: <c>"A x B"</c>, which <see cref="Group.Parse"/> accepts.
/// </remarks>
public sealed class DirectProductGroup : FiniteGroup
{
    private readonly Lazy<Irrep[]> _irreps;
    private readonly ProductElement _identity;

    internal DirectProductGroup(FiniteGroup left, FiniteGroup right)
    {
        Left = left;
        Right = right;
        _identity = new ProductElement(this, left.Identity, right.Identity);
        _irreps = new Lazy<Irrep[]>(BuildIrreps);
    }

    /// <summary>The first factor.</summary>
    public FiniteGroup Left { get; }

    /// <summary>The second factor.</summary>
    public FiniteGroup Right { get; }

    /// <inheritdoc />
    public override string Name => $"{Left.Name} x {Right.Name}";
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators =>
        Left.Generators.Select(g => (GroupElement)Pair(g, Right.Identity))
            .Concat(Right.Generators.Select(h => Pair(Left.Identity, h))).ToArray();

    /// <summary>The element (a, b).</summary>
    public ProductElement Pair(GroupElement a, GroupElement b)
    {
        Left.CheckMember(a, nameof(a));
        Right.CheckMember(b, nameof(b));
        return new ProductElement(this, a, b);
    }

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups => new[]
    {
        new SubgroupEmbedding($"{Left.Name} ⊂ {Name}", Left, this, a => Pair(a, Right.Identity)),
        new SubgroupEmbedding($"{Right.Name} ⊂ {Name}", Right, this, b => Pair(Left.Identity, b)),
    };

    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() =>
        Left.Elements.SelectMany(a => Right.Elements.Select(b => (GroupElement)new ProductElement(this, a, b)));
    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps.Value;

    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b)
    {
        var x = (ProductElement)a;
        var y = (ProductElement)b;
        return new ProductElement(this, Left.Compose(x.Left, y.Left), Right.Compose(x.Right, y.Right));
    }

    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g)
    {
        var x = (ProductElement)g;
        return new ProductElement(this, Left.Inverse(x.Left), Right.Inverse(x.Right));
    }

    private Irrep[] BuildIrreps()
    {
        var found = FindIrrepsNumerically();
        var elements = Elements.Cast<ProductElement>().ToArray();
        var names = new List<string>();
        foreach (var (matrices, _) in found)
        {
            var chi = matrices.Select(m => m.Trace()).ToArray();
            string? label = null;
            foreach (var psi in Left.Irreps)
            {
                foreach (var phi in Right.Irreps)
                {
                    double overlap = 0;
                    for (int g = 0; g < elements.Length; g++)
                        overlap += chi[g] * psi.Character(elements[g].Left) * phi.Character(elements[g].Right);
                    if (overlap / elements.Length > 0.5) { label = $"{psi.Name}×{phi.Name}"; break; }
                }
                if (label is not null) break;
            }
            label ??= $"irrep{names.Count}";
            int copies = names.Count(n => n == label || n.StartsWith(label + "#", StringComparison.Ordinal));
            names.Add(copies == 0 ? label : $"{label}#{copies + 1}");
        }
        // A split product gets "#1" on its first part too.
        for (int i = 0; i < names.Count; i++)
            if (!names[i].Contains('#') && names.Any(n => n.StartsWith(names[i] + "#", StringComparison.Ordinal))) names[i] += "#1";
        var index = Enumerable.Range(0, elements.Length).ToDictionary(i => (GroupElement)elements[i], i => i);
        return found.Select((f, i) => new Irrep(this, i, names[i], f.Matrices[0].RowCount, f.Type, 0,
            g => f.Matrices[index[g]].Clone())).ToArray();
    }
}
