using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Images;

/// <summary>Shared helpers for the image-layer tests: lattice elements, field types by name, seeded inputs
/// and the equivariance check of an <see cref="IFieldEquivariant"/> layer.</summary>
internal static class ImageLayerCases
{
    /// <summary>The elements that map a square pixel grid onto itself: multiples of 90° and the flips,
    /// for finite groups and for SO(2)/O(2) alike.</summary>
    public static IReadOnlyList<GroupElement> Lattice(GSpace2D space)
    {
        var candidates = space.Group switch
        {
            SO2Group so2 => Enumerable.Range(0, 4).Select(k => (GroupElement)so2.Rotation(k * Math.PI / 2)).ToArray(),
            O2Group o2 => Enumerable.Range(0, 8).Select(i => (GroupElement)o2.Element(i / 4, (i % 4) * Math.PI / 2)).ToArray(),
            _ => space.Group.Elements,
        };
        return candidates.Where(g => GridResampling.IsExact(space.Action(g), 9, 9)).ToArray();
    }

    /// <summary>A field type from a readable spec: parts joined by '+', each "regular", "trivial",
    /// "quotient" (by the subgroup D1 of D_N or C2 of C_N), "irreps" (every irrep, or those up to frequency 3
    /// of SO2/O2) or an irrep name; each part repeated <paramref name="count"/> times.</summary>
    public static FieldType Field(GSpace2D space, string spec, int count)
    {
        FieldType? result = null;
        foreach (var part in spec.Split('+'))
        {
            var type = part switch
            {
                "regular" => space.Regular(count),
                "trivial" => space.Trivial(count),
                "quotient" => space.Quotient(space.Group is DihedralGroup ? "D1" : "C2", count),
                "irreps" => new FieldType(space, Enumerable.Repeat(Irreps(space), count).SelectMany(r => r)),
                _ => space.Irrep(part, count),
            };
            result = result is null ? type : result + type;
        }
        return result!;
    }

    private static IEnumerable<Representation> Irreps(GSpace2D space) =>
        (space.Group.IsFinite ? space.Group.Irreps : space.Group.IrrepsUpTo(3)).Cast<Representation>();

    /// <summary>A seeded standard normal input (batch, type.Size, size, size).</summary>
    public static Tensor Input(FieldType type, int size, int seed, int batch = 2, ScalarType dtype = ScalarType.Float32) =>
        randn(new long[] { batch, type.Size, size, size }, dtype: dtype, generator: new Generator((ulong)seed));

    /// <summary>Runs <see cref="EquivarianceCheck"/> on the lattice elements with the layer's declared In and Out.</summary>
    public static EquivarianceReport Check<T>(T layer, Tensor x) where T : nn.Module<Tensor, Tensor>, IFieldEquivariant =>
        EquivarianceCheck.Run(v => layer.forward(v), new FieldAction(layer.In), new FieldAction(layer.Out), x, Lattice((GSpace2D)layer.In.Space));

    /// <summary>The space of a group name such as "C8", "D4", "SO2".</summary>
    public static GSpace2D Space(string group) => GSpace2D.For(Group.Parse(group), maximumFrequency: 3);
}
