using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;

namespace Noether.Tests.Groups;

public class PointGroupRotationsTests
{
    public static TheoryData<string> GroupNames => new() { "O", "I" };

    private static IReadOnlyList<Matrix<double>> Elements(string name) =>
        name == "O" ? PointGroupRotations.Octahedral : PointGroupRotations.Icosahedral;

    private static IReadOnlyList<Matrix<double>> Generators(string name) =>
        name == "O" ? PointGroupRotations.OctahedralGenerators : PointGroupRotations.IcosahedralGenerators;

    [Theory]
    [InlineData("O", 24)]
    [InlineData("I", 60)]
    public void Elements_AreDistinct_WithExpectedCount_IdentityFirst(string name, int order)
    {
        var elements = Elements(name);
        Assert.Equal(order, elements.Count);
        for (int a = 0; a < elements.Count; a++)
            for (int b = a + 1; b < elements.Count; b++)
                Assert.True(MaxAbs(elements[a] - elements[b]) > 0.1, $"{name}: elements {a} and {b} coincide");
        Assert.Equal(0.0, MaxAbs(elements[0] - Matrix<double>.Build.DenseIdentity(3)));
    }

    [Theory, MemberData(nameof(GroupNames))]
    public void Elements_AreRotations(string name)
    {
        var identity = Matrix<double>.Build.DenseIdentity(3);
        foreach (var r in Elements(name).Concat(Generators(name)))
        {
            Assert.True(MaxAbs(r * r.Transpose() - identity) < 1e-14);
            Assert.Equal(1.0, r.Determinant(), 14);
        }
    }

    [Theory, MemberData(nameof(GroupNames))]
    public void Elements_AreClosedUnderProductsAndInverses(string name)
    {
        var elements = Elements(name);
        Assert.All(Generators(name), g => Assert.Equal(1, Count(elements, g)));
        foreach (var a in elements)
        {
            Assert.Equal(1, Count(elements, a.Transpose()));   // the inverse of a rotation is its transpose
            foreach (var b in elements)
                Assert.Equal(1, Count(elements, a * b));
        }
    }

    [Fact]
    public void Octahedral_IsSignedPermutationMatrices()
    {
        foreach (var r in PointGroupRotations.Octahedral)
        {
            Assert.All(r.Enumerate(), v => Assert.Contains(v, new[] { -1.0, 0.0, 1.0 }));
            for (int i = 0; i < 3; i++)
                Assert.Equal(1, r.Row(i).Count(v => v != 0.0));
        }
    }

    [Fact]
    public void Icosahedral_PreservesIcosahedronVertices()
    {
        // The 12 vertices (0, ±1, ±φ) and their cyclic permutations (the standard coordinates of the regular icosahedron).
        double phi = (1 + Math.Sqrt(5)) / 2;
        var vertices = new List<Vector<double>>();
        foreach (double s in new[] { 1.0, -1.0 })
            foreach (double t in new[] { phi, -phi })
            {
                vertices.Add(Vector<double>.Build.DenseOfArray([0, s, t]));
                vertices.Add(Vector<double>.Build.DenseOfArray([s, t, 0]));
                vertices.Add(Vector<double>.Build.DenseOfArray([t, 0, s]));
            }
        foreach (var r in PointGroupRotations.Icosahedral)
            foreach (var v in vertices)
                Assert.Single(vertices, w => (r * v - w).AbsoluteMaximum() < Tolerance.Float64);
    }

    [Theory]
    [InlineData("O", new[] { 1, 9, 8, 6, 0 })]     // orders 1..5; 9 = 3 half-turns about face axes + 6 about edge axes
    [InlineData("I", new[] { 1, 15, 20, 0, 24 })]
    public void RotationOrders_HaveClassicalDistribution(string name, int[] countsOfOrders1To5)
    {
        // Armstrong, "Groups and Symmetry" (1988), the chapter on finite rotation groups: O has 6 rotations of order 4, 8 of order 3, 3 + 6 of order 2;
        // I has 24 of order 5, 20 of order 3, 15 of order 2.
        var counts = new int[6];
        foreach (var r in Elements(name)) counts[Order(r)]++;
        Assert.Equal(countsOfOrders1To5, counts[1..]);
    }

    [Fact]
    public void Generators_HaveDocumentedOrders()
    {
        Assert.Equal(4, Order(PointGroupRotations.OctahedralGenerators[0]));
        Assert.Equal(3, Order(PointGroupRotations.OctahedralGenerators[1]));
        Assert.Equal(5, Order(PointGroupRotations.IcosahedralGenerators[0]));
        Assert.Equal(3, Order(PointGroupRotations.IcosahedralGenerators[1]));
        // The 5-fold generator fixes its axis (0, 1, φ).
        double phi = (1 + Math.Sqrt(5)) / 2;
        var axis = Vector<double>.Build.DenseOfArray([0, 1, phi]);
        Assert.True((PointGroupRotations.IcosahedralGenerators[0] * axis - axis).AbsoluteMaximum() < 1e-15);
    }

    private static int Order(Matrix<double> r)
    {
        var power = r.Clone();
        for (int k = 1; k <= 6; k++)
        {
            if (MaxAbs(power - Matrix<double>.Build.DenseIdentity(3)) < Tolerance.Float64) return k;
            power = r * power;
        }
        throw new InvalidOperationException("Rotation order above 6.");
    }

    private static int Count(IReadOnlyList<Matrix<double>> elements, Matrix<double> m) =>
        elements.Count(e => MaxAbs(e - m) < Tolerance.Float64);

    private static double MaxAbs(Matrix<double> m) => m.Enumerate().Max(Math.Abs);
}
