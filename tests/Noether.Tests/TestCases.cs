using Noether.Groups;

namespace Noether.Tests;

/// <summary>The shared lists of groups every group and representation test runs over (by name, so
/// each case shows which group it checks).</summary>
public static class TestCases
{
    /// <summary>Finite groups.</summary>
    public static readonly string[] FiniteGroupNames =
    {
        "trivial", "C1", "C2", "C5", "C8", "D1", "D2", "D4", "D5", "D6", "C2 x C3", "C4 x D2",
        "S3", "S4", "S5", "octahedral", "full-octahedral", "icosahedral", "full-icosahedral",
    };

    /// <summary>Continuous groups.</summary>
    public static readonly string[] ContinuousGroupNames = { "SO2", "O2", "SO3", "O3" };

    /// <summary>Every group.</summary>
    public static IEnumerable<object[]> AllGroups => FiniteGroupNames.Concat(ContinuousGroupNames).Select(n => new object[] { n });

    /// <summary>Finite groups only.</summary>
    public static IEnumerable<object[]> FiniteGroups => FiniteGroupNames.Select(n => new object[] { n });

    /// <summary>Continuous groups only.</summary>
    public static IEnumerable<object[]> ContinuousGroups => ContinuousGroupNames.Select(n => new object[] { n });

    /// <summary>Test elements: every element of a finite group (up to 200), else seeded Haar samples.</summary>
    public static IReadOnlyList<GroupElement> Elements(Group group, int samples = 12, int seed = 1) =>
        group.IsFinite && group.Order <= 200 ? group.Elements : group.Sample(samples, seed);

    /// <summary>Seeded random pairs of elements.</summary>
    public static IEnumerable<(GroupElement A, GroupElement B)> Pairs(Group group, int count = 12, int seed = 2)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++) yield return (group.Sample(random), group.Sample(random));
    }

    /// <summary>Random elements of a matrix group, plus for the Lorentz groups a pure boost of rapidity 0.8 and an
    /// element near the identity (the non-compact cases a random sample rarely probes).</summary>
    public static IReadOnlyList<GroupElement> MatrixGroupElements(MatrixGroup g, int seed, int samples = 4)
    {
        var list = g.Sample(samples, seed: seed).ToList();
        if (g.Name is "lorentz" or "SO13+")
        {
            list.Add(g.Exp(g.LieAlgebra[3] * 0.8));
            list.Add(g.Exp(g.LieAlgebra[1] * 1e-3 + g.LieAlgebra[5] * 1e-3));
        }
        return list;
    }
}
