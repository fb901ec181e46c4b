using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Tests.Representations;

public class RepresentationTests
{
    private static readonly MatrixBuilder<double> M = Matrix<double>.Build;

    internal static double MaxDiff(Matrix<double> a, Matrix<double> b) => (a - b).Enumerate().Max(Math.Abs);

    /// <summary>ρ(e) = I, ρ(ab) = ρ(a)ρ(b), ρ(a⁻¹) = ρ(a)ᵀ = ρ(a)⁻¹, to 1e-10.</summary>
    internal static void AssertIsOrthogonalRepresentation(Representation rho, int pairs = 10)
    {
        var group = rho.Group;
        Assert.True(MaxDiff(rho.Matrix(group.Identity), M.DenseIdentity(rho.Dim)) < Tolerance.Representation, $"{rho}: ρ(e) ≠ I");
        foreach (var (a, b) in TestCases.Pairs(group, pairs))
        {
            var ra = rho.Matrix(a);
            Assert.True(MaxDiff(rho.Matrix(a * b), ra * rho.Matrix(b)) < Tolerance.Representation, $"{rho}: ρ(ab) ≠ ρ(a)ρ(b) at a={a}, b={b}");
            Assert.True(MaxDiff(ra.TransposeThisAndMultiply(ra), M.DenseIdentity(rho.Dim)) < Tolerance.Representation, $"{rho}: ρ({a}) not orthogonal");
            Assert.True(MaxDiff(rho.Matrix(a.Inverse()), ra.Transpose()) < Tolerance.Representation, $"{rho}: ρ(a⁻¹) ≠ ρ(a)ᵀ");
        }
    }

    /// <summary>ρ(g) = Q (⊕ irreps) Qᵀ with Q orthogonal, on test elements, to 1e-10.</summary>
    internal static void AssertDecompositionReproduces(Representation rho, int samples = 10)
    {
        var q = rho.ChangeOfBasis;
        Assert.True(MaxDiff(q.TransposeThisAndMultiply(q), M.DenseIdentity(rho.Dim)) < Tolerance.Representation, $"{rho}: Q not orthogonal");
        Assert.Equal(rho.Dim, rho.Irreps.Sum(i => i.Dim));
        foreach (var g in TestCases.Elements(rho.Group, samples).Take(60))
        {
            var blocks = Matrix<double>.Build.Dense(rho.Dim, rho.Dim);
            int at = 0;
            foreach (var irrep in rho.Irreps)
            {
                blocks.SetSubMatrix(at, at, irrep.Matrix(g));
                at += irrep.Dim;
            }
            Assert.True(MaxDiff(rho.Matrix(g), q * blocks * q.Transpose()) < Tolerance.Representation, $"{rho}: decomposition differs at {g}");
        }
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void Irreps_AreOrthogonalHomomorphisms(string name)
    {
        var group = Group.Parse(name);
        foreach (var irrep in group.Irreps) AssertIsOrthogonalRepresentation(irrep);
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void TrivialIrrep_IsFirst_AndConstant(string name)
    {
        var group = Group.Parse(name);
        Assert.True(group.Irrep(0).IsTrivial);
        foreach (var g in TestCases.Elements(group)) Assert.Equal(1.0, group.Irrep(0).Matrix(g)[0, 0]);
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void Irreps_AreLookedUpByName_AndIndex(string name)
    {
        var group = Group.Parse(name);
        foreach (var irrep in group.Irreps)
        {
            Assert.Same(irrep, group.Irrep(irrep.Name));
            Assert.Same(irrep, group.Irrep(irrep.Index));
        }
        Assert.Throws<ArgumentException>(() => group.Irrep("no-such-irrep"));
        Assert.Throws<ArgumentOutOfRangeException>(() => group.Irrep(-1));
    }

    [Theory, MemberData(nameof(TestCases.FiniteGroups), MemberType = typeof(TestCases))]
    public void IrrepIndex_OutOfRange_Throws(string name)
    {
        var group = Group.Parse(name);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => group.Irrep(group.Irreps.Count));
        Assert.Contains(group.Name, e.Message);
    }

    [Theory, MemberData(nameof(TestCases.FiniteGroups), MemberType = typeof(TestCases))]
    public void Characters_SatisfySchurOrthogonality(string name)
    {
        // Over the reals: ⟨χᵢ, χⱼ⟩ = 0 for i ≠ j and 1, 2 or 4 by irrep type.
        var table = ((FiniteGroup)Group.Parse(name)).CharacterTable;
        for (int i = 0; i < table.Irreps.Count; i++)
            for (int j = 0; j < table.Irreps.Count; j++)
                Assert.Equal(i == j ? (double)table.Irreps[i].EndomorphismDim : 0.0, table.InnerProduct(i, j), 10);
    }

    [Theory, MemberData(nameof(TestCases.FiniteGroups), MemberType = typeof(TestCases))]
    public void RegularRepresentation_DecomposesIntoEveryIrrep_AsTheoryPredicts(string name)
    {
        // Each real irrep appears dim/⟨χ,χ⟩ times: dim times if of real type, dim/2 if complex (e.g. E_k of C_N).
        var group = (FiniteGroup)Group.Parse(name);
        var regular = group.Regular;
        AssertIsOrthogonalRepresentation(regular, 4);
        foreach (var irrep in group.Irreps)
            Assert.Equal(irrep.Dim / irrep.EndomorphismDim, regular.Multiplicity(irrep));
        AssertDecompositionReproduces(regular, 6);
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void TensorProductsOfIrreps_DecomposeExactly(string name)
    {
        var group = Group.Parse(name);
        var irreps = group.IsFinite ? group.Irreps : group.IrrepsUpTo(3);
        foreach (var a in irreps)
            foreach (var b in irreps)
            {
                var product = a * b;
                AssertIsOrthogonalRepresentation(product, 3);
                AssertDecompositionReproduces(product, 4);
            }
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void DirectSumAndTensorProduct_OfReducibleRepresentations_Decompose(string name)
    {
        var group = Group.Parse(name);
        var irreps = group.Irreps;
        var rho = irreps[^1] + irreps[0] + irreps[Math.Min(1, irreps.Count - 1)];
        var sigma = 2 * irreps[^1];
        var product = rho * sigma;
        AssertIsOrthogonalRepresentation(product, 3);
        AssertDecompositionReproduces(product, 4);
        Assert.Equal(rho.Dim * sigma.Dim, product.Dim);
    }

    [Theory, MemberData(nameof(TestCases.AllGroups), MemberType = typeof(TestCases))]
    public void StandardRepresentation_Decomposes(string name)
    {
        var group = Group.Parse(name);
        if (group.ActionDimension is null) return;
        AssertIsOrthogonalRepresentation(group.Standard);
        AssertDecompositionReproduces(group.Standard);
    }

    [Theory]
    [InlineData("C8", "C4")]
    [InlineData("C6", "C3")]
    [InlineData("D4", "C4")]
    [InlineData("D6", "D3")]
    [InlineData("D6", "D2")]
    [InlineData("D4", "D1")]
    [InlineData("SO2", "C8")]
    [InlineData("SO2", "C3")]
    [InlineData("O2", "SO2")]
    [InlineData("O2", "D4")]
    [InlineData("O2", "D5")]
    [InlineData("O2", "C6")]
    [InlineData("C4 x D2", "D2")]
    public void Restriction_DecomposesIntoSubgroupIrreps(string parentName, string subName)
    {
        var parent = Group.Parse(parentName);
        var irreps = parent.IsFinite ? parent.Irreps : parent.IrrepsUpTo(5);
        foreach (var irrep in irreps)
        {
            var restricted = irrep.Restrict(subName);
            Assert.Equal(subName, restricted.Group.Name);
            AssertIsOrthogonalRepresentation(restricted, 4);
            AssertDecompositionReproduces(restricted, 4);
        }
    }

    [Fact]
    public void Restriction_SO2_ToC4_FoldsFrequencies()
    {
        // E_k of SO(2) restricted to C4 rotates by 2πk/4: E5 → E1, E4 → 2×A, E2 → 2×B.
        var so2 = Group.SO2;
        Assert.Equal("E1", Assert.Single(so2.Irrep(5).Restrict("C4").Irreps).Name);
        Assert.Equal(new[] { "A", "A" }, so2.Irrep(4).Restrict("C4").Irreps.Select(i => i.Name));
        Assert.Equal(new[] { "B", "B" }, so2.Irrep(2).Restrict("C4").Irreps.Select(i => i.Name));
    }

    [Fact]
    public void TensorProduct_OfSO2Frequencies_AddsAndSubtracts()
    {
        // E_k ⊗ E_m = E_{k+m} ⊕ E_{|k−m|} (for k ≠ m); E_k ⊗ E_k = 2A ⊕ E_{2k}.
        var so2 = Group.SO2;
        Assert.Equal(new[] { "E1", "E3" }, (so2.Irrep(1) * so2.Irrep(2)).Irreps.Select(i => i.Name).OrderBy(s => s));
        Assert.Equal(new[] { "A", "A", "E4" }, (so2.Irrep(2) * so2.Irrep(2)).Irreps.Select(i => i.Name).OrderBy(s => s));
    }

    [Fact]
    public void QuotientRepresentation_OfD4ByC4_IsTheSignOnReflections()
    {
        var d4 = Group.Dihedral(4);
        var quotient = d4.Quotient(d4.RotationSubgroup);
        Assert.Equal(2, quotient.Dim);
        AssertIsOrthogonalRepresentation(quotient);
        Assert.Equal(new[] { "A1", "A2" }, quotient.Irreps.Select(i => i.Name));
        AssertDecompositionReproduces(quotient);
    }

    [Fact]
    public void QuotientRepresentation_OfD4ByReflections_HasDimension4()
    {
        var d4 = Group.Dihedral(4);
        var quotient = d4.Quotient(d4.Subgroup("D1"));
        Assert.Equal(4, quotient.Dim);
        AssertIsOrthogonalRepresentation(quotient);
        AssertDecompositionReproduces(quotient);
    }

    [Fact]
    public void ContinuousRepresentation_WithoutBandLimit_CannotBeDecomposed()
    {
        var rho = Representation.FromMatrices(Group.SO2, "rot", 2, g => Group.SO2.ActionMatrix(g));
        var e = Assert.Throws<InvalidOperationException>(() => rho.Irreps);
        Assert.Contains("band limit", e.Message);
    }

    [Fact]
    public void DirectSum_RejectsMixedGroups()
    {
        Assert.Throws<ArgumentException>(() => Group.Cyclic(4).Irrep(0) + Group.Cyclic(5).Irrep(0));
    }

    [Theory]
    [InlineData("D4", new[] { 1, 1, 1, 1, 2 })]
    [InlineData("C5", new[] { 1, 2, 2 })]
    [InlineData("C8", new[] { 1, 1, 2, 2, 2 })]
    [InlineData("D5", new[] { 1, 1, 2, 2 })]
    [InlineData("S4", new[] { 1, 1, 2, 3, 3 })]
    [InlineData("octahedral", new[] { 1, 1, 2, 3, 3 })]
    [InlineData("icosahedral", new[] { 1, 3, 3, 4, 5 })]
    [InlineData("full-octahedral", new[] { 1, 1, 2, 3, 3, 1, 1, 2, 3, 3 })]
    public void IrrepDimensions_MatchTheory(string name, int[] dims)
    {
        Assert.Equal(dims, Group.Parse(name).Irreps.Select(i => i.Dim));
    }
}
