namespace Noether.Groups;

/// <summary>A conjugacy class {x g x⁻¹ : x ∈ G} of a finite group.</summary>
public sealed class ConjugacyClass
{
    private readonly Lazy<IReadOnlyList<GroupElement>> _members;

    /// <summary>Creates a class from a representative and its size; <paramref name="members"/> may be
    /// given, else they are found by conjugating the representative.</summary>
    public ConjugacyClass(FiniteGroup group, GroupElement representative, int size, IReadOnlyList<GroupElement>? members = null)
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        group.CheckMember(representative, nameof(representative));
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "A class has at least one element.");
        Representative = representative;
        Size = size;
        _members = new Lazy<IReadOnlyList<GroupElement>>(() => members ??
            group.Elements.Select(x => x * representative * x.Inverse()).Distinct().ToArray());
    }

    /// <summary>The group.</summary>
    public FiniteGroup Group { get; }

    /// <summary>A representative element.</summary>
    public GroupElement Representative { get; }

    /// <summary>The number of elements in the class.</summary>
    public int Size { get; }

    /// <summary>All members (enumerates the group if they were not given).</summary>
    public IReadOnlyList<GroupElement> Members => _members.Value;

    /// <summary>The order of its elements (smallest k ≥ 1 with gᵏ = e).</summary>
    public int ElementOrder
    {
        get
        {
            int k = 1;
            var x = Representative;
            while (!x.Equals(Group.Identity))
            {
                x = x * Representative;
                k++;
            }
            return k;
        }
    }

    /// <summary>A label such as <c>"4a"</c>: element order, then a letter per class of that order.</summary>
    public string Label
    {
        get
        {
            int order = ElementOrder;
            int rank = Group.ConjugacyClasses.TakeWhile(c => c != this).Count(c => c.ElementOrder == order);
            return $"{order}{(char)('a' + rank)}";
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Label} ({Size} elements, e.g. {Representative})";
}
