using Noether.Groups;

namespace Noether.Tests.Groups;

public class PermutationTests
{
    private static Permutation RandomPermutation(Random random, int n)
    {
        var image = Enumerable.Range(0, n).ToArray();
        random.Shuffle(image);
        return new Permutation(image);
    }

    public static TheoryData<int> Degrees => new() { 1, 2, 3, 5, 8 };

    [Theory, MemberData(nameof(Degrees))]
    public void Compose_SatisfiesGroupAxioms_OnRandomPermutations(int n)
    {
        var random = new Random(1000 + n);
        var e = Permutation.Identity(n);
        for (int trial = 0; trial < 50; trial++)
        {
            var (a, b, c) = (RandomPermutation(random, n), RandomPermutation(random, n), RandomPermutation(random, n));
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal(a, a * e);
            Assert.Equal(a, e * a);
            Assert.Equal(e, a * a.Inverse());
            Assert.Equal(e, a.Inverse() * a);
        }
    }

    [Fact]
    public void Compose_AppliesRightOperandFirst()
    {
        // p swaps 0,1 and q swaps 1,2: (p ∘ q)(0) = p(0) = 1, (p ∘ q)(1) = p(2) = 2, (p ∘ q)(2) = p(1) = 0.
        var p = Permutation.Parse("(1 2)", 3);
        var q = Permutation.Parse("(2 3)", 3);
        var pq = p * q;
        for (int i = 0; i < 3; i++) Assert.Equal(p[q[i]], pq[i]);
        Assert.Equal(Permutation.Parse("(1 2 3)", 3), pq);
    }

    [Theory, MemberData(nameof(Degrees))]
    public void Sign_IsHomomorphism(int n)
    {
        var random = new Random(2000 + n);
        for (int trial = 0; trial < 50; trial++)
        {
            var (a, b) = (RandomPermutation(random, n), RandomPermutation(random, n));
            Assert.Equal(a.Sign * b.Sign, (a * b).Sign);
        }
    }

    [Fact]
    public void Sign_OfTranspositionsAndCycles_IsClassical()
    {
        Assert.Equal(1, Permutation.Identity(4).Sign);
        Assert.Equal(-1, Permutation.Transposition(4, 0, 3).Sign);
        Assert.Equal(1, Permutation.Parse("(1 2 3)", 4).Sign);
        Assert.Equal(-1, Permutation.Parse("(1 2 3 4)", 4).Sign);
        Assert.Equal(1, Permutation.Parse("(1 2)(3 4)", 4).Sign);
    }

    [Theory, MemberData(nameof(Degrees))]
    public void ToMatrix_IsHomomorphism(int n)
    {
        var random = new Random(3000 + n);
        for (int trial = 0; trial < 20; trial++)
        {
            var (a, b) = (RandomPermutation(random, n), RandomPermutation(random, n));
            Assert.True((a.ToMatrix() * b.ToMatrix()).Equals((a * b).ToMatrix()));
            Assert.Equal(a.Sign, a.ToMatrix().Determinant(), 12);
        }
    }

    [Fact]
    public void ToMatrix_MapsBasisVectorJ_ToBasisVectorPOfJ()
    {
        var p = Permutation.Parse("[2,0,1]");
        var m = p.ToMatrix();
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++)
                Assert.Equal(i == p[j] ? 1.0 : 0.0, m[i, j]);
    }

    [Theory, MemberData(nameof(Degrees))]
    public void AdjacentTranspositions_MultiplyBackToPermutation_InInversionCountSteps(int n)
    {
        var random = new Random(4000 + n);
        for (int trial = 0; trial < 30; trial++)
        {
            var p = RandomPermutation(random, n);
            var word = p.AdjacentTranspositions();
            var product = Permutation.Identity(n);
            foreach (int k in word) product *= Permutation.Transposition(n, k, k + 1);
            Assert.Equal(p, product);
            int inversions = 0;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    if (p[i] > p[j]) inversions++;
            Assert.Equal(inversions, word.Length);
        }
    }

    [Theory, MemberData(nameof(Degrees))]
    public void Parse_RoundTripsCanonicalString(int n)
    {
        var random = new Random(5000 + n);
        for (int trial = 0; trial < 30; trial++)
        {
            var p = RandomPermutation(random, n);
            Assert.Equal(p, Permutation.Parse(p.ToString(), n));
            Assert.Equal(p, Permutation.Parse(p.ToOneLineString()));
            Assert.Equal(p, Permutation.Parse(p.ToOneLineString(), n));
        }
    }

    [Fact]
    public void Parse_ReadsCycleNotation_OneBased()
    {
        var p = Permutation.Parse("(1 2 3)(4 5)", 6);
        Assert.Equal(new[] { 1, 2, 0, 4, 3, 5 }, p.ToArray());
        Assert.Equal("(1 2 3)(4 5)", p.ToString());
        Assert.Equal(new[] { 3, 2, 1 }, p.CycleType);
        Assert.Equal(6, p.Order);
        Assert.Equal(2, p.Cycles.Count);
        Assert.Equal(new[] { 0, 1, 2 }, p.Cycles[0]);
        Assert.Equal(Permutation.Identity(4), Permutation.Parse("()", 4));
        Assert.Equal("()", Permutation.Identity(4).ToString());
        Assert.Equal(Permutation.Parse("(1,3)", 3), Permutation.Parse(" ( 3 1 ) ", 3));
    }

    [Theory]
    [InlineData("(1 2 3", 3)]      // unclosed cycle
    [InlineData("(1 4)", 3)]       // point out of range
    [InlineData("(0 1)", 3)]       // cycle points are 1-based
    [InlineData("(1 2)(2 3)", 3)]  // not disjoint
    [InlineData("(1 1)", 3)]       // repeated point
    [InlineData("(a b)", 3)]       // not numbers
    [InlineData("1 2", 3)]         // missing parentheses
    [InlineData("", 3)]            // empty
    [InlineData("[0,0,1]", 3)]     // not a bijection
    [InlineData("[0,1]", 3)]       // wrong degree
    [InlineData("[1,2,3]", 3)]     // out of range
    public void Parse_RejectsBadInput_QuotingIt(string text, int degree)
    {
        var e = Assert.Throws<FormatException>(() => Permutation.Parse(text, degree));
        Assert.Contains($"'{text}'", e.Message);
        Assert.False(Permutation.TryParse(text, degree, out _));
    }

    [Fact]
    public void Constructors_RejectBadInput()
    {
        var e = Assert.Throws<ArgumentException>(() => new Permutation(new[] { 0, 2, 2 }));
        Assert.Contains("[0,2,2]", e.Message);
        Assert.Throws<ArgumentException>(() => new Permutation(Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new Permutation(new[] { -1, 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Permutation.Identity(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Permutation.Identity(-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Permutation.Transposition(3, 0, 3));
        Assert.Throws<ArgumentException>(() => Permutation.Transposition(3, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Permutation.AllPermutations(0));
        Assert.Throws<ArgumentException>(() => Permutation.Identity(3) * Permutation.Identity(4));
        Assert.Throws<FormatException>(() => Permutation.Parse("(1 2)"));   // cycle notation needs a degree
        Assert.Throws<ArgumentOutOfRangeException>(() => Permutation.Parse("(1 2)", 0));
    }

    [Fact]
    public void AllPermutations_AreDistinct_InLexicographicOrder()
    {
        var all = Permutation.AllPermutations(4).ToList();
        Assert.Equal(24, all.Count);
        Assert.Equal(24, all.Distinct().Count());
        Assert.Equal(Permutation.Identity(4), all[0]);
        Assert.Equal(new[] { 3, 2, 1, 0 }, all[^1].ToArray());
        for (int i = 1; i < all.Count; i++)
            Assert.True(CompareLex(all[i - 1].ToArray(), all[i].ToArray()) < 0);
        Assert.Single(Permutation.AllPermutations(1));

        static int CompareLex(int[] a, int[] b)
        {
            for (int i = 0; i < a.Length; i++)
                if (a[i] != b[i]) return a[i].CompareTo(b[i]);
            return 0;
        }
    }

    [Fact]
    public void CycleType_IsPartitionOfDegree_AndClassInvariant()
    {
        var random = new Random(6000);
        for (int trial = 0; trial < 30; trial++)
        {
            var p = RandomPermutation(random, 7);
            var g = RandomPermutation(random, 7);
            var type = p.CycleType;
            Assert.Equal(7, type.Sum());
            Assert.Equal(type.OrderByDescending(x => x), type);
            Assert.Equal(type, (g * p * g.Inverse()).CycleType);
        }
    }
}
