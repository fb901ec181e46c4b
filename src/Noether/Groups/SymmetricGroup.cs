using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>The symmetric group S_n of all permutations of n objects (order n!).</summary>
/// <remarks>
/// Irreps: one per partition λ of n, named like <c>"[3,1]"</c>, in Young's orthogonal form (all of real
/// type), ordered by dimension with ties in reverse-lexicographic partition order: [n] (trivial) first,
/// then [1,…,1] (sign). Conjugacy classes are the cycle types,
/// and characters come from the Murnaghan–Nakayama rule, so the character table is exact and cheap
/// even where the multiplication table would be large. The standard representation permutes the n
/// coordinates of ℝⁿ. Subgroups: S_{n−1} (fixing the last point) and C_n (cyclic shifts).
/// Supported for n ≤ <see cref="MaxDegree"/>.
/// </remarks>
public sealed class SymmetricGroup : FiniteGroup
{
    /// <summary>The largest n for which S_n can be built (its elements are enumerated on demand).</summary>
    public const int MaxDegree = 8;

    private readonly Lazy<Irrep[]> _irreps;
    private readonly PermutationElement _identity;

    internal SymmetricGroup(int n)
    {
        if (n <= 0 || n > MaxDegree)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"S_n is supported for 1 ≤ n ≤ {MaxDegree}.");
        Degree = n;
        _identity = new PermutationElement(this, Permutation.Identity(n));
        // Order: by dimension, ties in partition order ([n] first, so the trivial irrep is index 0).
        _irreps = new Lazy<Irrep[]>(() => Partition.AllPartitions(n)
            .Select((shape, order) => (Shape: shape, Order: order, Young: YoungOrthogonalForm.For(shape)))
            .OrderBy(x => x.Young.Dimension).ThenBy(x => x.Order)
            .Select((x, i) => new Irrep(this, i, x.Shape.ToString(), x.Young.Dimension, IrrepType.Real, 0,
                g => x.Young.Matrix(((PermutationElement)g).Permutation)))
            .ToArray());
    }

    /// <summary>n, the number of objects permuted.</summary>
    public int Degree { get; }

    /// <inheritdoc />
    public override string Name => $"S{Degree}";
    /// <inheritdoc />
    public override GroupElement Identity => _identity;

    /// <inheritdoc />
    public override int? Order
    {
        get
        {
            int f = 1;
            for (int i = 2; i <= Degree; i++) f *= i;
            return f;
        }
    }

    /// <summary>Generators: the transposition (1 2) and the n-cycle (1 2 … n).</summary>
    public override IReadOnlyList<GroupElement> Generators => Degree == 1
        ? Array.Empty<GroupElement>()
        : Degree == 2
            ? new GroupElement[] { Element(Permutation.Transposition(2, 0, 1)) }
            : new GroupElement[] { Element(Permutation.Transposition(Degree, 0, 1)), Element(Cycle(Degree)) };

    /// <summary>The element for <paramref name="permutation"/>, which must have degree n.</summary>
    public PermutationElement Element(Permutation permutation)
    {
        if (permutation.Degree != Degree)
            throw new ArgumentException($"{Name} needs a permutation of {Degree} points; got {permutation.Degree}.", nameof(permutation));
        return new PermutationElement(this, permutation);
    }

    /// <summary>The element written in cycle notation with 1-based points, e.g. <c>"(1 2)(3 4)"</c>.</summary>
    public PermutationElement Element(string cycles) => Element(Permutation.Parse(cycles, Degree));

    /// <summary>The permutation matrices on ℝⁿ: e_i ↦ e_{p(i)}.</summary>
    public override Representation Standard =>
        Representation.FromMatrices(this, "standard", Degree, g => ((PermutationElement)g).Permutation.ToMatrix());

    /// <inheritdoc />
    public override IReadOnlyList<SubgroupEmbedding> Subgroups
    {
        get
        {
            var list = new List<SubgroupEmbedding>();
            if (Degree > 1)
            {
                var smaller = Symmetric(Degree - 1);
                list.Add(new SubgroupEmbedding($"{smaller.Name} ⊂ {Name}", smaller, this, h =>
                {
                    var p = ((PermutationElement)h).Permutation;
                    return Element(new Permutation(Enumerable.Range(0, Degree).Select(i => i < Degree - 1 ? p[i] : i).ToArray()));
                }));
                var cyclic = Cyclic(Degree);
                var shift = Cycle(Degree);
                list.Add(new SubgroupEmbedding($"{cyclic.Name} ⊂ {Name}", cyclic, this, h =>
                {
                    var p = Permutation.Identity(Degree);
                    for (int k = 0; k < ((DihedralElement)h).Rotation; k++) p = shift.Compose(p);
                    return Element(p);
                }));
            }
            return list;
        }
    }

    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps.Value;
    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() =>
        Permutation.AllPermutations(Degree).Select(p => (GroupElement)new PermutationElement(this, p));
    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) =>
        new PermutationElement(this, ((PermutationElement)a).Permutation.Compose(((PermutationElement)b).Permutation));
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => new PermutationElement(this, ((PermutationElement)g).Permutation.Inverse());

    /// <inheritdoc />
    protected override GroupElement SampleCore(Random random)
    {
        // Fisher–Yates: uniform over S_n without enumerating it.
        var image = Enumerable.Range(0, Degree).ToArray();
        for (int i = Degree - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (image[i], image[j]) = (image[j], image[i]);
        }
        return new PermutationElement(this, new Permutation(image));
    }

    /// <summary>Classes by cycle type, [1,…,1] (the identity) first.</summary>
    protected override IReadOnlyList<ConjugacyClass> BuildConjugacyClasses()
    {
        var classes = new List<ConjugacyClass>();
        foreach (var shape in Partition.AllPartitions(Degree).Reverse())
        {
            // Representative: consecutive cycles of the given lengths.
            var image = new int[Degree];
            int start = 0;
            foreach (var length in shape.Parts)
            {
                for (int i = 0; i < length; i++) image[start + i] = start + (i + 1) % length;
                start += length;
            }
            var representative = new PermutationElement(this, new Permutation(image));
            classes.Add(new ConjugacyClass(this, representative, ClassSize(shape)));
        }
        return classes;
    }

    /// <summary>Exact characters by the Murnaghan–Nakayama rule.</summary>
    protected internal override double CharacterValue(Irrep irrep, ConjugacyClass conjugacyClass) =>
        YoungOrthogonalForm.Character(Partition.Parse(irrep.Name), ((PermutationElement)conjugacyClass.Representative).Permutation.CycleType);

    private int ClassSize(Partition cycleType)
    {
        // n! / Π_k (k^{m_k} m_k!)
        double size = Order!.Value;
        foreach (var group in cycleType.Parts.GroupBy(p => p))
        {
            size /= Math.Pow(group.Key, group.Count());
            for (int i = 2; i <= group.Count(); i++) size /= i;
        }
        return (int)Math.Round(size);
    }

    private static Permutation Cycle(int n) => new(Enumerable.Range(0, n).Select(i => (i + 1) % n).ToArray());
}
