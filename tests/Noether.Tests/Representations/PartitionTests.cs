using Noether.Representations;

namespace Noether.Tests.Representations;

public class PartitionTests
{
    [Fact]
    public void AllPartitions_ListsPartitionsOfFive_InReverseLexicographicOrder()
    {
        // The 7 partitions of 5 (OEIS A000041), [n] first and [1,...,1] last.
        var expected = new[] { "[5]", "[4,1]", "[3,2]", "[3,1,1]", "[2,2,1]", "[2,1,1,1]", "[1,1,1,1,1]" };
        Assert.Equal(expected, Partition.AllPartitions(5).Select(p => p.ToString()));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 5)]
    [InlineData(6, 11)]
    [InlineData(7, 15)]
    [InlineData(10, 42)]
    public void AllPartitions_CountMatchesPartitionNumbers(int n, int count)
    {
        // p(n) from OEIS A000041.
        var all = Partition.AllPartitions(n);
        Assert.Equal(count, all.Count);
        Assert.Equal(count, all.Distinct().Count());
        Assert.All(all, p => Assert.Equal(n, p.Size));
    }

    [Fact]
    public void Parse_RoundTripsCanonicalString()
    {
        foreach (var p in Partition.AllPartitions(6))
        {
            Assert.Equal(p, Partition.Parse(p.ToString()));
            Assert.True(Partition.TryParse(p.ToString(), null, out var q));
            Assert.Equal(p, q);
        }
        Assert.Equal(new Partition(3, 1), Partition.Parse(" [ 3 , 1 ] "));
        Assert.Equal(new Partition(3, 1), Partition.Parse("3,1"));
        Assert.Equal("[3,1]", new Partition(3, 1).ToString());
    }

    [Theory]
    [InlineData("[1,3]")]
    [InlineData("[3,0]")]
    [InlineData("[3,-1]")]
    [InlineData("[]")]
    [InlineData("[3,1")]
    [InlineData("[a]")]
    [InlineData("")]
    public void Parse_RejectsBadInput_QuotingIt(string text)
    {
        var e = Assert.Throws<FormatException>(() => Partition.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.False(Partition.TryParse(text, null, out _));
    }

    [Fact]
    public void Constructor_RejectsNonPartitions()
    {
        var e = Assert.Throws<ArgumentException>(() => new Partition(1, 2));
        Assert.Contains("[1,2]", e.Message);
        Assert.Throws<ArgumentException>(() => new Partition());
        Assert.Throws<ArgumentException>(() => new Partition(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Partition.AllPartitions(0));
    }

    [Fact]
    public void Conjugate_TransposesDiagram_AndIsInvolution()
    {
        Assert.Equal(new Partition(2, 1, 1), new Partition(3, 1).Conjugate);
        Assert.Equal(new Partition(3, 2), new Partition(2, 2, 1).Conjugate);
        foreach (var p in Partition.AllPartitions(7))
        {
            Assert.Equal(p, p.Conjugate.Conjugate);
            Assert.Equal(p.Size, p.Conjugate.Size);
        }
    }

    [Fact]
    public void HookLengthDimension_MatchesKnownValues()
    {
        // Degrees of the S_5 irreps (Fulton & Harris §3.1): 1, 4, 5, 6, 5, 4, 1.
        Assert.Equal(new long[] { 1, 4, 5, 6, 5, 4, 1 }, Partition.AllPartitions(5).Select(p => p.HookLengthDimension));
        var shape = new Partition(3, 1);   // hook lengths 4 2 1 / 1, so dim = 4!/8 = 3
        Assert.Equal(new[] { 4, 2, 1, 1 }, new[] { shape.HookLength(0, 0), shape.HookLength(0, 1), shape.HookLength(0, 2), shape.HookLength(1, 0) });
        Assert.Equal(3, shape.HookLengthDimension);
        Assert.Equal(2, new Partition(2, 2).HookLengthDimension);
        Assert.Equal(16, new Partition(3, 2, 1).HookLengthDimension);
    }

    [Fact]
    public void HookLengthDimension_SquaresSumToFactorial()
    {
        long factorial = 1;
        for (int n = 1; n <= 10; n++)
        {
            factorial *= n;
            Assert.Equal(factorial, Partition.AllPartitions(n).Sum(p => p.HookLengthDimension * p.HookLengthDimension));
        }
    }

    [Fact]
    public void Equality_IsByParts()
    {
        var a = Partition.Parse("[2,2]");
        var b = new Partition(2, 2);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new Partition(2, 1, 1));
        Assert.Equal(0, a[5]);
    }
}
