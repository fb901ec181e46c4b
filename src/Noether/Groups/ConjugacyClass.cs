namespace Noether.Groups;

/// <summary>A conjugacy class {x g x⁻¹} of a finite group.</summary>
public sealed class ConjugacyClass
{
    internal ConjugacyClass(FiniteGroup group, int representative, int[] members)
    {
        Group = group;
        RepresentativeIndex = representative;
        MemberIndices = members;
    }

    /// <summary>The group.</summary>
    public FiniteGroup Group { get; }

    /// <summary>Index (in <see cref="Group"/>.Elements) of the class's first element.</summary>
    public int RepresentativeIndex { get; }

    /// <summary>A representative element.</summary>
    public GroupElement Representative => Group.Elements[RepresentativeIndex];

    /// <summary>Indices of all members, ascending.</summary>
    public IReadOnlyList<int> MemberIndices { get; }

    /// <summary>The number of elements in the class.</summary>
    public int Size => MemberIndices.Count;

    /// <summary>The order of its elements (smallest k ≥ 1 with gᵏ = e).</summary>
    public int ElementOrder
    {
        get
        {
            int k = 1, x = RepresentativeIndex;
            while (x != 0)
            {
                x = Group.MultiplicationTable[RepresentativeIndex, x];
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
