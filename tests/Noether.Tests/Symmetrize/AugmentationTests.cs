using Noether.Data;
using Noether.Groups;
using Noether.Nn.Graphs;
using Noether.Nn.Sets;
using Noether.Representations;
using Noether.Symmetrize;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Symmetrize;

/// <summary>The declared group actions on data: each moves inputs and targets by the same random elements, leaves what
/// the group does not act on alone, preserves the group's invariants, and draws only from the generators it is given.</summary>
public class AugmentationTests
{
    private static double MaxAbs(Tensor a, Tensor b) => (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().ToDouble();

    [Fact]
    public void Orthogonal3D_RotatesTheVectorBlocksAndTheTarget_Alike_AndLeavesScalarsAlone()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        // States (B, N, 7): positions, velocities, charge; target displacements (B, N, 3).
        var x = randn(new long[] { 6, 5, 7 }, generator: generator);
        var y = randn(new long[] { 6, 5, 3 }, generator: generator);
        var augmentation = Augmentations.Orthogonal3D(reflections: true, vectorColumns: [0, 3], targetIsVector: true);
        var (mx, my) = augmentation.Apply((x, y), new Random(7), generator);
        Assert.Equal(x.shape, mx.shape);
        Assert.Equal(0, MaxAbs(mx.narrow(2, 6, 1), x.narrow(2, 6, 1)));                       // charges stay
        // Each example moved by one orthogonal g: inner products within the example are kept (positions·velocities,
        // positions·target), and the same g is recovered from the positions and applied to the target.
        Assert.True(MaxAbs((mx.narrow(2, 0, 3) * mx.narrow(2, 3, 3)).sum(2), (x.narrow(2, 0, 3) * x.narrow(2, 3, 3)).sum(2)) < 1e-5);
        Assert.True(MaxAbs((mx.narrow(2, 0, 3) * my).sum(2), (x.narrow(2, 0, 3) * y).sum(2)) < 1e-5);
        Assert.True(MaxAbs(mx.narrow(2, 0, 3).square().sum(2), x.narrow(2, 0, 3).square().sum(2)) < 1e-5);
        Assert.True(MaxAbs(mx.narrow(2, 0, 3), x.narrow(2, 0, 3)) > 0.1);                    // and it did move them
        // The same seeds give the same batch; the draws come only from the generators given.
        var (again, _) = augmentation.Apply((x, y), new Random(7), generator);
        Assert.Equal(0, MaxAbs(again, mx));
        // Without reflections every element is a rotation: the triple product of three vectors keeps its sign.
        var rotations = Augmentations.RandomOrthogonal(50, new Random(3), reflections: false);
        Assert.True(linalg.det(rotations.to_type(ScalarType.Float64)).sub(1).abs().max().ToDouble() < 1e-5);
        var withReflections = Augmentations.RandomOrthogonal(50, new Random(3), reflections: true);
        Assert.Contains(linalg.det(withReflections.to_type(ScalarType.Float64)).data<double>().ToArray(), d => d < -0.99);
    }

    [Fact]
    public void Orthogonal3D_RefusesBlocksOutsideTheInput()
    {
        Assert.Throws<ArgumentException>(() => Augmentations.Orthogonal3D(true, [0, 2], true));   // overlapping blocks
        Assert.Throws<ArgumentException>(() => Augmentations.Orthogonal3D(true, [], true));
        var augmentation = Augmentations.Orthogonal3D(true, [3], false);
        using var x = zeros(2, 4, 5);
        using var y = zeros(2);
        Assert.Throws<ArgumentException>(() => augmentation.Apply((x, y), new Random(0), new Generator(0)));
    }

    [Fact]
    public void On_TransformsOnlyThePartOfALargerBatch()
    {
        using var scope = NewDisposeScope();
        var set = new LennardJonesSet(randn(3, 4, 3), ones(3, 4), randn(3), randn(3, 4, 3));
        var augmentation = Augmentations.Orthogonal3D(true, [0], true)
            .On<LennardJonesSet>(s => (s.Positions, s.Forces), (s, moved) => s with { Positions = moved.Input, Forces = moved.Target });
        var moved = augmentation.Apply(set, new Random(2), new Generator(2));
        Assert.Same(set.Mask, moved.Mask);
        Assert.Same(set.Energies, moved.Energies);
        Assert.True(MaxAbs((moved.Positions * moved.Forces).sum(2), (set.Positions * set.Forces).sum(2)) < 1e-5);
        Assert.True(MaxAbs(moved.Forces, set.Forces) > 0.1);
        Assert.Equal(augmentation.Group, Augmentations.Orthogonal3D(true, [0], true).Group);
    }

    [Fact]
    public void MatrixGroup_MovesInputAndTargetByOneElement_SoAnEquivariantMapStaysExact()
    {
        using var scope = NewDisposeScope();
        // O(3) on V → V⊗V: the map x ↦ x xᵀ is equivariant, so augmented pairs (ρ_in(g)x, ρ_out(g)y) still satisfy y = x xᵀ.
        var group = MatrixGroup.O(3);
        var rin = TensorRepresentation.Parse("V", group);
        var rout = TensorRepresentation.Parse("V⊗V", group);
        var x = randn(8, 3);
        var y = einsum("bi,bj->bij", x, x).reshape(8, 9);
        var (mx, my) = Augmentations.MatrixGroup(rin, rout).Apply((x, y), new Random(4), new Generator(4));
        Assert.True(MaxAbs(einsum("bi,bj->bij", mx, mx).reshape(8, 9), my) < 1e-5);
        Assert.True(MaxAbs(mx, x) > 0.1);
        Assert.Throws<ArgumentException>(() => Augmentations.MatrixGroup(rin, TensorRepresentation.Parse("V", MatrixGroup.SO(3))));
    }

    [Fact]
    public void SetsAndGraphs_ArePermuted_WithTheirInvariantsKept()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 6, 2);
        var mask = arange(6).unsqueeze(0) < tensor(new long[] { 6, 3, 5, 1 }).unsqueeze(1);
        x = x * mask.unsqueeze(2);
        var target = randn(4);
        var (sets, t) = Augmentations.SetPermutations.Apply((new SetBatch(x, mask), target), new Random(0), new Generator(9));
        Assert.Same(target, t);
        Assert.Equal(0, MaxAbs(sets.Features.sum(1), x.sum(1)), 5);                 // each set's sum is kept
        Assert.Equal(mask.sum(1).data<long>().ToArray(), sets.Mask.sum(1).data<long>().ToArray());

        var triangle = new Graph(ones(3, 1), tensor(new long[] { 0, 1, 1, 2, 2, 0, 1, 0, 2, 1, 0, 2 }).reshape(2, 6));
        var path = new Graph(ones(4, 1), tensor(new long[] { 0, 1, 1, 2, 2, 3, 1, 0, 2, 1, 3, 2 }).reshape(2, 6));
        var batch = GraphBatch.FromGraphs([triangle, path]);
        var (relabelled, _) = Augmentations.GraphRelabellings.Apply((batch, target), new Random(5), new Generator(5));
        // Degrees per graph, as multisets, survive a relabelling; membership moves with the nodes.
        long[] Degrees(GraphBatch g, int graph) => Enumerable.Range(0, (int)g.NodeCount)
            .Where(n => g.Membership[n].ToInt64() == graph)
            .Select(n => (g.EdgeIndex[0] == n).sum().ToInt64()).Order().ToArray();
        Assert.Equal(Degrees(batch, 0), Degrees(relabelled, 0));
        Assert.Equal(Degrees(batch, 1), Degrees(relabelled, 1));
        Assert.Equal(batch.EdgeCount, relabelled.EdgeCount);
    }

    [Fact]
    public void OneOf_SendsEachExampleThroughTheIdentityOrOneElement()
    {
        using var scope = NewDisposeScope();
        var x = arange(40, dtype: ScalarType.Float32).reshape(10, 4);
        var labels = arange(10);
        var augmentation = Augmentations.OneOf("C2 (negation)", [v => -v]);
        var (moved, same) = augmentation.Apply((x, labels), new Random(0), new Generator(3));
        Assert.Same(labels, same);
        var rows = Enumerable.Range(0, 10).Select(i => MaxAbs(moved[i], x[i]) == 0 ? "identity" : MaxAbs(moved[i], -x[i]) == 0 ? "negated" : "other").ToArray();
        Assert.DoesNotContain("other", rows);
        Assert.Contains("identity", rows.Skip(1));   // row 0 is zero either way
        Assert.Contains("negated", rows);
    }
}
