using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Representations;

namespace Noether.Tests.Representations;

public class YoungOrthogonalFormTests
{
    /// <summary>Every partition of n ≤ 6, plus two of n = 7 (dimensions 35 and 14), as canonical strings for readable case names.</summary>
    public static TheoryData<string> Shapes
    {
        get
        {
            var data = new TheoryData<string>();
            for (int n = 1; n <= 6; n++)
                foreach (var p in Partition.AllPartitions(n)) data.Add(p.ToString());
            data.Add("[4,2,1]");
            data.Add("[5,2]");
            return data;
        }
    }

    public static TheoryData<int> Sizes => new() { 1, 2, 3, 4, 5, 6, 7 };

    [Theory, MemberData(nameof(Shapes))]
    public void Matrices_AreOrthogonal(string shape)
    {
        var rho = YoungOrthogonalForm.For(Partition.Parse(shape));
        var random = new Random(11);
        var identity = Matrix<double>.Build.DenseIdentity(rho.Dimension);
        foreach (var p in Samples(random, rho.Degree, 10))
        {
            var m = rho.Matrix(p);
            Assert.True(MaxAbs(m * m.Transpose() - identity) < 1e-12, $"{shape}: ρ({p}) is not orthogonal");
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Matrix_IsHomomorphism(string shape)
    {
        var rho = YoungOrthogonalForm.For(Partition.Parse(shape));
        var random = new Random(21);
        var e = Permutation.Identity(rho.Degree);
        Assert.True(MaxAbs(rho.Matrix(e) - Matrix<double>.Build.DenseIdentity(rho.Dimension)) < Tolerance.Representation);
        for (int trial = 0; trial < 10; trial++)
        {
            var (p, q) = (RandomPermutation(random, rho.Degree), RandomPermutation(random, rho.Degree));
            double error = MaxAbs(rho.Matrix(p * q) - rho.Matrix(p) * rho.Matrix(q));
            Assert.True(error < Tolerance.Representation, $"{shape}: ρ(pq) − ρ(p)ρ(q) = {error} for p = {p}, q = {q}");
            Assert.True(MaxAbs(rho.Matrix(p.Inverse()) - rho.Matrix(p).Transpose()) < Tolerance.Representation);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Generators_SatisfyCoxeterRelations(string shape)
    {
        // s_k² = 1, (s_k s_{k+1})³ = 1, (s_i s_j)² = 1 for |i − j| ≥ 2: the Coxeter presentation of S_n.
        var rho = YoungOrthogonalForm.For(Partition.Parse(shape));
        int n = rho.Degree;
        var identity = Matrix<double>.Build.DenseIdentity(rho.Dimension);
        var s = Enumerable.Range(0, n - 1).Select(rho.AdjacentTranspositionMatrix).ToArray();
        for (int i = 0; i < n - 1; i++)
        {
            Assert.True(MaxAbs(s[i] * s[i] - identity) < 1e-12);
            Assert.True(MaxAbs(s[i] - s[i].Transpose()) == 0.0);
            if (i + 1 < n - 1) Assert.True(MaxAbs((s[i] * s[i + 1]).Power(3) - identity) < 1e-12);
            for (int j = i + 2; j < n - 1; j++)
                Assert.True(MaxAbs((s[i] * s[j]).Power(2) - identity) < 1e-12);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Dimension_EqualsHookLengthFormula(string shape)
    {
        var partition = Partition.Parse(shape);
        Assert.Equal(partition.HookLengthDimension, YoungOrthogonalForm.For(partition).Dimension);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Trace_EqualsMurnaghanNakayamaCharacter(string shape)
    {
        var partition = Partition.Parse(shape);
        var rho = YoungOrthogonalForm.For(partition);
        int n = rho.Degree;
        // One representative per conjugacy class, plus random permutations (which are conjugates of those).
        var permutations = Partition.AllPartitions(n).Select(mu => Representative(mu.Parts.ToArray()))
            .Concat(Samples(new Random(31), n, 10));
        foreach (var p in permutations)
        {
            int character = YoungOrthogonalForm.Character(partition, p.CycleType);
            Assert.Equal(character, rho.Character(p));
            Assert.True(Math.Abs(rho.Matrix(p).Trace() - character) < Tolerance.Representation,
                $"{shape}: trace ρ({p}) = {rho.Matrix(p).Trace()}, Murnaghan–Nakayama gives {character}");
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void SquaredDimensions_SumToGroupOrder(int n)
    {
        long sum = Partition.AllPartitions(n).Sum(p => (long)YoungOrthogonalForm.For(p).Dimension * YoungOrthogonalForm.For(p).Dimension);
        Assert.Equal(Factorial(n), sum);
    }

    [Theory, MemberData(nameof(Sizes))]
    public void Characters_AreOrthonormal_UnderClassWeightedInnerProduct(int n)
    {
        // Σ_μ |C_μ| χ^λ(μ) χ^ν(μ) = n! δ_λν, in exact integers; |C_μ| = n! / z_μ with z_μ = Π_k k^(m_k) m_k!.
        var shapes = Partition.AllPartitions(n);
        var classes = Partition.AllPartitions(n).Select(mu => mu.Parts.ToArray()).ToArray();
        foreach (var lambda in shapes)
            foreach (var nu in shapes)
            {
                long inner = classes.Sum(mu =>
                    ClassSize(mu) * YoungOrthogonalForm.Character(lambda, mu) * YoungOrthogonalForm.Character(nu, mu));
                Assert.Equal(lambda == nu ? Factorial(n) : 0, inner);
            }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void DifferentPartitions_GiveInequivalentIrreducibleReps(int n)
    {
        // (1/n!) Σ_g tr ρ_λ(g) tr ρ_ν(g) is 1 for λ = ν (irreducible) and 0 otherwise (inequivalent),
        // with traces of the actual matrices over the whole group.
        var group = Permutation.AllPermutations(n).ToList();
        var shapes = Partition.AllPartitions(n);
        var traces = shapes.Select(s => group.Select(g => YoungOrthogonalForm.For(s).Matrix(g).Trace()).ToArray()).ToArray();
        for (int a = 0; a < shapes.Count; a++)
            for (int b = 0; b < shapes.Count; b++)
            {
                double inner = traces[a].Zip(traces[b], (x, y) => x * y).Sum() / group.Count;
                Assert.True(Math.Abs(inner - (a == b ? 1.0 : 0.0)) < Tolerance.Representation, $"⟨{shapes[a]}, {shapes[b]}⟩ = {inner}");
            }
    }

    [Fact]
    public void Characters_MatchS4Table()
    {
        // Fulton & Harris, "Representation Theory: A First Course", §2.3: classes 1, (12), (12)(34), (123), (1234).
        //   trivial U = [4]:       1  1  1  1  1
        //   alternating U' = [1^4]: 1 -1  1  1 -1
        //   standard V = [3,1]:    3  1 -1  0 -1
        //   V' = V ⊗ U' = [2,1,1]: 3 -1 -1  0  1
        //   W = [2,2]:             2  0  2 -1  0
        int[][] classes = [[1, 1, 1, 1], [2, 1, 1], [2, 2], [3, 1], [4]];
        var table = new Dictionary<string, int[]>
        {
            ["[4]"] = [1, 1, 1, 1, 1],
            ["[1,1,1,1]"] = [1, -1, 1, 1, -1],
            ["[3,1]"] = [3, 1, -1, 0, -1],
            ["[2,1,1]"] = [3, -1, -1, 0, 1],
            ["[2,2]"] = [2, 0, 2, -1, 0],
        };
        foreach (var (shape, row) in table)
        {
            var partition = Partition.Parse(shape);
            var rho = YoungOrthogonalForm.For(partition);
            for (int c = 0; c < classes.Length; c++)
            {
                Assert.Equal(row[c], YoungOrthogonalForm.Character(partition, classes[c]));
                Assert.Equal(row[c], rho.Matrix(Representative(classes[c])).Trace(), 12);
            }
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void RowAndColumnShapes_AreTrivialAndSign(int n)
    {
        var trivial = YoungOrthogonalForm.For(new Partition(n));
        var sign = YoungOrthogonalForm.For(new Partition(Enumerable.Repeat(1, n).ToArray()));
        foreach (var p in Samples(new Random(41), n, 10))
        {
            Assert.Equal(1.0, trivial.Matrix(p)[0, 0], 12);
            Assert.Equal(p.Sign, sign.Matrix(p)[0, 0], 12);
        }
    }

    [Fact]
    public void Basis_IsStandardTableaux_InRowWordOrder()
    {
        var rho = YoungOrthogonalForm.For(Partition.Parse("[3,2]"));
        Assert.Equal(5, rho.Dimension);
        // Row words 00011, 00101, 00110, 01001, 01010: row-reading tableau first.
        int[][][] expected =
        [
            [[0, 1, 2], [3, 4]],
            [[0, 1, 3], [2, 4]],
            [[0, 1, 4], [2, 3]],
            [[0, 2, 3], [1, 4]],
            [[0, 2, 4], [1, 3]],
        ];
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], rho.Tableau(t));
    }

    [Fact]
    public void AdjacentTranspositionMatrix_FollowsAxialDistanceRule()
    {
        // [2,1]: tableaux T0 = 01/2 and T1 = 02/1. s_0 = (0 1): same row in T0 (+1), same column in T1 (−1).
        // s_1 = (1 2): in T0, r = c(2) − c(1) = −1 − 1 = −2, so the block is [[−1/2, √3/2], [√3/2, 1/2]].
        var rho = YoungOrthogonalForm.For(Partition.Parse("[2,1]"));
        var s0 = rho.AdjacentTranspositionMatrix(0);
        var s1 = rho.AdjacentTranspositionMatrix(1);
        Assert.Equal(new[,] { { 1.0, 0.0 }, { 0.0, -1.0 } }, s0.ToArray());
        var expected = new[,] { { -0.5, Math.Sqrt(3) / 2 }, { Math.Sqrt(3) / 2, 0.5 } };
        Assert.True(MaxAbs(s1 - Matrix<double>.Build.DenseOfArray(expected)) < 1e-15);
    }

    [Fact]
    public void InvalidArguments_AreRejected()
    {
        var rho = YoungOrthogonalForm.For(Partition.Parse("[2,1]"));
        Assert.Same(rho, YoungOrthogonalForm.For(new Partition(2, 1)));
        Assert.Throws<ArgumentException>(() => rho.Matrix(Permutation.Identity(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => rho.AdjacentTranspositionMatrix(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => rho.Tableau(2));
        var e = Assert.Throws<ArgumentException>(() => YoungOrthogonalForm.Character(new Partition(2, 1), [2, 2]));
        Assert.Contains("[2,2]", e.Message);
        Assert.Throws<ArgumentException>(() => YoungOrthogonalForm.Character(new Partition(2, 1), [3, 0]));
    }

    private static Permutation RandomPermutation(Random random, int n)
    {
        var image = Enumerable.Range(0, n).ToArray();
        random.Shuffle(image);
        return new Permutation(image);
    }

    private static IEnumerable<Permutation> Samples(Random random, int n, int count) =>
        Enumerable.Range(0, count).Select(_ => RandomPermutation(random, n));

    /// <summary>The permutation with consecutive cycles of the given lengths: (0 1 ... μ₀−1)(μ₀ ...)....</summary>
    private static Permutation Representative(int[] cycleType)
    {
        var image = new int[cycleType.Sum()];
        int start = 0;
        foreach (int length in cycleType)
        {
            for (int i = 0; i < length; i++) image[start + i] = start + (i + 1) % length;
            start += length;
        }
        return new Permutation(image);
    }

    private static long ClassSize(int[] cycleType)
    {
        long z = 1;
        foreach (var group in cycleType.GroupBy(k => k))
            z *= (long)Math.Pow(group.Key, group.Count()) * Factorial(group.Count());
        return Factorial(cycleType.Sum()) / z;
    }

    private static long Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);

    private static double MaxAbs(Matrix<double> m) => m.Enumerate().Max(Math.Abs);
}
