using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;
using Noether.Tests.Representations;

namespace Noether.Tests.Groups;

public class RotationGroupTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(10)]
    public void SO3_HighDegreeIrreps_AreOrthogonalHomomorphisms(int l)
    {
        RepresentationTests.AssertIsOrthogonalRepresentation(Group.SO3.Irrep(l), 6);
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(4, 4)]
    [InlineData(6, 6)]
    public void SO3_TensorProducts_DecomposeByClebschGordan(int l1, int l2)
    {
        var product = Group.SO3.Irrep(l1) * Group.SO3.Irrep(l2);
        Assert.Equal(Enumerable.Range(Math.Abs(l1 - l2), 2 * Math.Min(l1, l2) + 1).Select(l => $"D{l}"), product.Irreps.Select(i => i.Name));
        RepresentationTests.AssertDecompositionReproduces(product, 4);
    }

    [Fact]
    public void O3_Parity_MultipliesInProducts()
    {
        // vector ⊗ vector = scalar (0e) ⊕ pseudovector (1e, the cross product) ⊕ 2e
        var o3 = Group.O3;
        var product = o3.Irrep("1o") * o3.Irrep("1o");
        Assert.Equal(new[] { "0e", "1e", "2e" }, product.Irreps.Select(i => i.Name));
        RepresentationTests.AssertDecompositionReproduces(product, 8);
        Assert.Equal(new[] { "1o", "2o", "3o" }, (o3.Irrep("1e") * o3.Irrep("2o")).Irreps.Select(i => i.Name));
    }

    [Fact]
    public void O3_StandardRepresentation_IsTheVector1o()
    {
        Assert.Equal("1o", Assert.Single(Group.O3.Standard.Irreps).Name);
        Assert.Equal("D1", Assert.Single(Group.SO3.Standard.Irreps).Name);
        RepresentationTests.AssertDecompositionReproduces(Group.O3.Standard, 8);
    }

    [Fact]
    public void O3_Inversion_ActsByParity()
    {
        var o3 = Group.O3;
        foreach (var l in new[] { 0, 1, 2, 3 })
        {
            var even = o3.Irrep(l, 1).Matrix(o3.Inversion);
            var odd = o3.Irrep(l, -1).Matrix(o3.Inversion);
            Assert.True(RepresentationTests.MaxDiff(even, Matrix<double>.Build.DenseIdentity(2 * l + 1)) < 1e-12);
            Assert.True(RepresentationTests.MaxDiff(odd, -Matrix<double>.Build.DenseIdentity(2 * l + 1)) < 1e-12);
        }
    }

    // Branching rules SO(3) ↓ O and ↓ I (Altmann & Herzig, "Point-Group Theory Tables"; also escnn's restrictions).
    [Theory]
    [InlineData("octahedral", 0, new[] { "A1" })]
    [InlineData("octahedral", 1, new[] { "T1" })]
    [InlineData("octahedral", 2, new[] { "E", "T2" })]
    [InlineData("octahedral", 3, new[] { "A2", "T1", "T2" })]
    [InlineData("octahedral", 4, new[] { "A1", "E", "T1", "T2" })]
    [InlineData("icosahedral", 1, new[] { "T1" })]
    [InlineData("icosahedral", 2, new[] { "H" })]
    [InlineData("icosahedral", 3, new[] { "T2", "G" })]
    [InlineData("icosahedral", 4, new[] { "G", "H" })]
    public void SO3_Restriction_ToPointGroups_FollowsBranchingRules(string subgroup, int l, string[] expected)
    {
        var restricted = Group.SO3.Irrep(l).Restrict(subgroup);
        Assert.Equal(expected.OrderBy(s => s), restricted.Irreps.Select(i => i.Name).OrderBy(s => s));
        RepresentationTests.AssertDecompositionReproduces(restricted, 8);
    }

    [Theory]
    [InlineData("SO3", "SO2")]
    [InlineData("O3", "SO3")]
    [InlineData("O3", "full-octahedral")]
    [InlineData("O3", "full-icosahedral")]
    public void Restriction_OfRotationGroupIrreps_Decomposes(string parentName, string subName)
    {
        var parent = Group.Parse(parentName);
        foreach (var irrep in parent.IrrepsUpTo(4))
        {
            var restricted = irrep.Restrict(subName);
            RepresentationTests.AssertIsOrthogonalRepresentation(restricted, 3);
            RepresentationTests.AssertDecompositionReproduces(restricted, 3);
        }
    }

    [Fact]
    public void SO3_RestrictedToSO2_SplitsIntoFrequencies0ToL()
    {
        var restricted = Group.SO3.Irrep(3).Restrict("SO2");
        Assert.Equal(new[] { "A", "E1", "E2", "E3" }, restricted.Irreps.Select(i => i.Name).OrderBy(s => s));
    }

    [Fact]
    public void SO3_Sample_IsHaar_MeanRotationIsZero()
    {
        // For Haar-random R, E[R] = 0 (every entry), std ≈ 1/sqrt(3n).
        var samples = Group.SO3.Sample(20000, seed: 9);
        var mean = samples.Select(g => Group.SO3.ActionMatrix(g)).Aggregate((a, b) => a + b) / samples.Count;
        Assert.True(mean.Enumerate().Max(Math.Abs) < 0.03);
    }

    [Fact]
    public void SO3_Rejects_NonRotations()
    {
        var reflection = Matrix<double>.Build.DenseDiagonal(3, 3, i => i == 0 ? -1.0 : 1.0);
        Assert.Throws<ArgumentException>(() => Group.SO3.Rotation(reflection));
        Assert.Throws<ArgumentException>(() => Group.O3.Element(reflection * 2));
        Assert.Equal(-1, Group.O3.Element(reflection).Determinant);
    }

    [Fact]
    public void SphericalHarmonics_Intertwine_WithO3Irreps()
    {
        // Y_l(g x) = D^{l,(-1)^l}(g) Y_l(x) for g in O(3): spherical harmonics have parity (−1)^l.
        var o3 = Group.O3;
        var random = new Random(3);
        foreach (var g in o3.Sample(6, seed: 4))
        {
            var x = Vector<double>.Build.Dense(3, _ => random.NextDouble() - 0.5);
            var gx = o3.ActionMatrix(g) * x;
            for (int l = 0; l <= 6; l++)
            {
                var d = o3.Irrep(l, l % 2 == 0 ? 1 : -1).Matrix(g);
                var lhs = Vector<double>.Build.DenseOfArray(SphericalHarmonics.Evaluate(l, gx[0], gx[1], gx[2]));
                var rhs = d * Vector<double>.Build.DenseOfArray(SphericalHarmonics.Evaluate(l, x[0], x[1], x[2]));
                Assert.True((lhs - rhs).AbsoluteMaximum() < Tolerance.Representation, $"l={l} at {g}");
            }
        }
    }
}
