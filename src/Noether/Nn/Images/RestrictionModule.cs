using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Restriction to a subgroup: the same channels, seen as fields of a subgroup H ⊂ G (for example a
/// D16 feature map read as a C16 one, to stop enforcing reflection symmetry in the deeper layers).</summary>
/// <remarks>
/// <para>Math: each field's representation ρ becomes its restriction h ↦ ρ(ι(h)) (<see cref="Representation.Restrict(SubgroupEmbedding)"/>),
/// and the gspace becomes <see cref="GSpace2D.For"/>(H). The data is unchanged: forward returns an alias of its input.</para>
/// <para>Equivariance: for h ∈ H, out(h·x) = h·x = ι(h)·x, so out is H-equivariant provided H moves the plane
/// as its image does, A_H(h) = A_G(ι(h)). The constructor checks this for every element of a finite H (and for
/// the generators and a few samples of a continuous one), so D_N → C_N, D_N → D_M, C_N → C_M (M | N),
/// O(2) → SO(2), O(2) → D_N, C_N and SO(2) → C_N are accepted, and an embedding that moves the plane differently
/// is rejected.</para>
/// <para>Shapes: (batch, In.Size, H, W) → the same tensor (an alias).</para>
/// <para>Reference: escnn <c>RestrictionModule</c>.</para>
/// </remarks>
/// <example><code>
/// var d16 = GSpace2D.FlipsRotations(16);
/// var restrict = new RestrictionModule(d16.Regular(8), "C16");   // Out: 8 fields of C16, 32 channels each
/// </code></example>
public sealed class RestrictionModule : Module<Tensor, Tensor>, IFieldEquivariant
{
    /// <summary>The input field type, of G.</summary>
    public FieldType In { get; }
    /// <summary>The output field type: the same channels as fields of the subgroup H.</summary>
    public FieldType Out { get; }
    /// <summary>ι: H → G.</summary>
    public SubgroupEmbedding Embedding { get; }

    /// <summary>Restricts to the subgroup of G named <paramref name="subgroupName"/>.</summary>
    /// <param name="input">field type of a 2D gspace of G.</param>
    /// <param name="subgroupName">a subgroup G knows by name (see <see cref="Group.Subgroup"/>), e.g. <c>"C8"</c> in D8, <c>"D4"</c> in D8, <c>"SO2"</c> in O2.</param>
    public RestrictionModule(FieldType input, string subgroupName) : this(input, Find(input, subgroupName))
    {
    }

    /// <summary>Restricts along an explicit embedding ι: H → G (for example one placing the reflection axis
    /// elsewhere); it must move the plane as <see cref="GSpace2D.For"/>(H) does.</summary>
    /// <param name="input">field type of a 2D gspace of G.</param>
    /// <param name="embedding">ι, with <c>embedding.Parent</c> = G and a subgroup that has a 2D gspace.</param>
    public RestrictionModule(FieldType input, SubgroupEmbedding embedding) : base(nameof(RestrictionModule))
    {
        var space = FieldLayout.RequirePlane(input, nameof(RestrictionModule), nameof(input));
        ArgumentNullException.ThrowIfNull(embedding);
        if (!embedding.Parent.Equals(space.Group))
            throw new ArgumentException($"RestrictionModule: the embedding {embedding.Name} is into {embedding.Parent.Name}, but the fields are of {space.Group.Name}.", nameof(embedding));
        GSpace2D subspace;
        try
        {
            subspace = GSpace2D.For(embedding.Subgroup, space.MaximumFrequency ?? 4);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"RestrictionModule: the subgroup {embedding.Subgroup.Name} of {space.Group.Name} has no 2D gspace: {e.Message}", nameof(embedding), e);
        }
        CheckPlaneAction(space, subspace, embedding);

        // Restrict each distinct representation once, so that equal fields stay one object (R2Conv groups fields by reference).
        var restricted = new Dictionary<Representation, Representation>(ReferenceEqualityComparer.Instance);
        var fields = input.Representations.Select(r =>
        {
            if (!restricted.TryGetValue(r, out var s)) restricted[r] = s = r.Restrict(embedding);
            return s;
        });
        In = input;
        Out = new FieldType(subspace, fields);
        Embedding = embedding;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        FieldLayout.CheckInput(input, In, nameof(RestrictionModule));
        return input.alias();
    }

    /// <inheritdoc />
    public override string ToString() => $"RestrictionModule([{In.Description}] of {In.Space.Group.Name} -> {Out.Space.Group.Name})";

    private static SubgroupEmbedding Find(FieldType input, string subgroupName)
    {
        var space = FieldLayout.RequirePlane(input, nameof(RestrictionModule), nameof(input));
        ArgumentException.ThrowIfNullOrWhiteSpace(subgroupName);
        return space.Group.Subgroup(subgroupName);
    }

    private static void CheckPlaneAction(GSpace2D space, GSpace2D subspace, SubgroupEmbedding embedding)
    {
        var subgroup = embedding.Subgroup;
        var elements = subgroup.IsFinite ? subgroup.Elements : subgroup.Generators.Concat(subgroup.Sample(8, seed: 0)).ToArray();
        foreach (var h in elements)
        {
            var image = embedding.Apply(h);
            var difference = (subspace.Action(h) - space.Action(image)).Enumerate().Max(Math.Abs);
            if (difference > 1e-9)
                throw new ArgumentException(
                    $"RestrictionModule: the embedding {embedding.Name} does not move the plane consistently: {h} acts on R² by " +
                    $"{Format(subspace.Action(h))} in {subgroup.Name} but its image {image} acts by {Format(space.Action(image))} in {space.Group.Name}.",
                    "embedding");
        }
    }

    private static string Format(MathNet.Numerics.LinearAlgebra.Matrix<double> m) =>
        FormattableString.Invariant($"[[{m[0, 0]:F3}, {m[0, 1]:F3}], [{m[1, 0]:F3}, {m[1, 1]:F3}]]");
}
