namespace Noether.Groups;

/// <summary>A subgroup <c>H</c> of a group <c>G</c> together with the injective homomorphism
/// <c>ι: H → G</c> that places it there (for example C8 ⊂ SO(2) as rotations by multiples of 45°).</summary>
/// <param name="Name">a short description such as <c>"C8 ⊂ SO2"</c>.</param>
/// <param name="Subgroup">the subgroup H.</param>
/// <param name="Parent">the group G.</param>
/// <param name="Map">ι, mapping each element of H to the element of G it is.</param>
public sealed record SubgroupEmbedding(string Name, Group Subgroup, Group Parent, Func<GroupElement, GroupElement> Map)
{
    /// <summary>ι(h), checking that <paramref name="h"/> belongs to the subgroup.</summary>
    public GroupElement Apply(GroupElement h)
    {
        Subgroup.CheckMember(h, nameof(h));
        return Map(h);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
