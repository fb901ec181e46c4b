using MathNet.Numerics.Integration;
using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;
using TorchSharp;
using static Noether.Tests.Representations.So3TestData;
using static TorchSharp.torch;

namespace Noether.Tests.Representations;

public class SphericalHarmonicsTests
{
    private const double Exact = 1e-12;
    private const double Tight = 1e-10;

    [Fact]
    public void Evaluate_Degree0_IsConstant()
    {
        // Y_00 = 1/(2√π) = 1/√(4π): Wikipedia, "Table of spherical harmonics", real spherical harmonics, l = 0.
        Assert.Equal(1.0 / Math.Sqrt(4 * Math.PI), SphericalHarmonics.Evaluate(0, 0.3, -2.0, 0.7)[0], Exact);
        Assert.Equal(1.0, SphericalHarmonics.Evaluate(0, 0.3, -2.0, 0.7, SphericalHarmonicsNormalization.Component)[0], Exact);
        Assert.Equal(1.0, SphericalHarmonics.Evaluate(0, 0.3, -2.0, 0.7, SphericalHarmonicsNormalization.Norm)[0], Exact);
    }

    [Fact]
    public void Evaluate_Degree1_IsScaledYZX()
    {
        // Y_{1,-1}, Y_{1,0}, Y_{1,1} = √(3/4π) (y, z, x)/r: Wikipedia, "Table of spherical harmonics", real, l = 1
        // (the real table has no Condon–Shortley phase, which is the convention here).
        var (x, y, z) = (0.3, -2.0, 0.7);
        var r = Math.Sqrt(x * x + y * y + z * z);
        var c = Math.Sqrt(3 / (4 * Math.PI));
        var expected = new[] { c * y / r, c * z / r, c * x / r };
        Assert.True(MaxAbsDifference(expected, SphericalHarmonics.Evaluate(1, x, y, z)) < Exact);
    }

    [Fact]
    public void Evaluate_Degree2_MatchesAnalyticValues()
    {
        // Wikipedia, "Table of spherical harmonics", real spherical harmonics, l = 2, on the unit sphere:
        // Y_{2,-2} = ½√(15/π) xy, Y_{2,-1} = ½√(15/π) yz, Y_{2,0} = ¼√(5/π)(3z² − 1), Y_{2,1} = ½√(15/π) xz,
        // Y_{2,2} = ¼√(15/π)(x² − y²).
        var (x, y, z) = (2.0 / 7, 3.0 / 7, 6.0 / 7);
        var a = 0.5 * Math.Sqrt(15 / Math.PI);
        var expected = new[]
        {
            a * x * y, a * y * z, 0.25 * Math.Sqrt(5 / Math.PI) * (3 * z * z - 1), a * x * z, 0.5 * a * (x * x - y * y),
        };
        Assert.True(MaxAbsDifference(expected, SphericalHarmonics.Evaluate(2, 2, 3, 6)) < Exact);
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void Evaluate_IsOrthonormalOverSphere(int l)
    {
        // Gauss–Legendre in cos θ (l + 2 nodes, exact for polynomials of degree 2l + 3) times a uniform φ grid of
        // 2l + 2 points (exact for trigonometric polynomials of degree ≤ 2l + 1): the quadrature is exact for Y_a Y_b.
        var rule = new GaussLegendreRule(-1, 1, l + 2);
        var phiCount = 2 * l + 2;
        var n = 2 * l + 1;
        var gram = Matrix<double>.Build.Dense(n, n);
        for (var i = 0; i < rule.Abscissas.Length; i++)
        {
            var t = rule.Abscissas[i];
            var s = Math.Sqrt(1 - t * t);
            for (var j = 0; j < phiCount; j++)
            {
                var phi = 2 * Math.PI * (j + 0.3) / phiCount;
                var y = SphericalHarmonics.Evaluate(l, s * Math.Cos(phi), s * Math.Sin(phi), t);
                var w = rule.Weights[i] * 2 * Math.PI / phiCount;
                for (var a = 0; a < n; a++)
                    for (var b = 0; b < n; b++)
                        gram[a, b] += w * y[a] * y[b];
            }
        }
        Assert.True(MaxAbsDifference(gram, Matrix<double>.Build.DenseIdentity(n)) < Tight);
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void Evaluate_Normalizations_HaveStatedSquareSums(int l)
    {
        // Addition theorem: Σ_m Y_lm² = (2l + 1)/(4π) with integral normalisation.
        var random = new Random(100 + l);
        var (x, y, z) = RandomVector(random);
        double SumOfSquares(SphericalHarmonicsNormalization n) => SphericalHarmonics.Evaluate(l, x, y, z, n).Sum(v => v * v);
        Assert.Equal((2 * l + 1) / (4 * Math.PI), SumOfSquares(SphericalHarmonicsNormalization.Integral), Exact);
        Assert.Equal(2 * l + 1, SumOfSquares(SphericalHarmonicsNormalization.Component), Tight);
        Assert.Equal(1.0, SumOfSquares(SphericalHarmonicsNormalization.Norm), Exact);
    }

    [Theory, MemberData(nameof(So3TestData.Degrees), MemberType = typeof(So3TestData))]
    public void SphericalHarmonics_RotateWithWignerD(int l)
    {
        var random = new Random(200 + l);
        foreach (var rotation in RandomRotations(3, 300 + l))
        {
            var v = RandomVector(random);
            var rotated = Rotate(rotation, v);
            var left = Vector<double>.Build.DenseOfArray(SphericalHarmonics.Evaluate(l, rotated.X, rotated.Y, rotated.Z));
            var right = WignerD.Real(l, rotation) * Vector<double>.Build.DenseOfArray(SphericalHarmonics.Evaluate(l, v.X, v.Y, v.Z));
            Assert.True((left - right).AbsoluteMaximum() < Tight, $"l = {l}: {(left - right).AbsoluteMaximum():G3}");
        }
    }

    [Fact]
    public void SphericalHarmonics_StayAccurateAtDegree20()
    {
        // Stability of the recurrence: the addition theorem and rotation by D^20 still hold to 1e-10.
        const int l = 20;
        var random = new Random(20);
        var rotation = RandomRotations(1, 21)[0];
        var v = RandomVector(random);
        var y = SphericalHarmonics.Evaluate(l, v.X, v.Y, v.Z);
        Assert.Equal((2 * l + 1) / (4 * Math.PI), y.Sum(t => t * t), Exact);
        var rotated = Rotate(rotation, v);
        var left = Vector<double>.Build.DenseOfArray(SphericalHarmonics.Evaluate(l, rotated.X, rotated.Y, rotated.Z));
        var right = WignerD.Real(l, rotation) * Vector<double>.Build.DenseOfArray(y);
        Assert.True((left - right).AbsoluteMaximum() < Tight, $"{(left - right).AbsoluteMaximum():G3}");
    }

    [Fact]
    public void Evaluate_DependsOnlyOnDirection()
    {
        var a = SphericalHarmonics.EvaluateUpTo(6, 0.2, -0.5, 0.9);
        var b = SphericalHarmonics.EvaluateUpTo(6, 20, -50, 90);
        Assert.True(MaxAbsDifference(a, b) < Exact);
    }

    [Fact]
    public void EvaluateUpTo_ConcatenatesDegrees()
    {
        var all = SphericalHarmonics.EvaluateUpTo(4, 0.2, -0.5, 0.9, SphericalHarmonicsNormalization.Component);
        Assert.Equal(25, all.Length);
        for (var l = 0; l <= 4; l++)
            Assert.Equal(SphericalHarmonics.Evaluate(l, 0.2, -0.5, 0.9, SphericalHarmonicsNormalization.Component), all[(l * l)..((l + 1) * (l + 1))]);
    }

    [Fact]
    public void Evaluate_RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Evaluate(2, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Evaluate(2, double.NaN, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SphericalHarmonics.Evaluate(-1, 1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SphericalHarmonics.EvaluateUpTo(-1, 1, 0, 0));
    }

    public static TheoryData<int[]> DegreeLists => new() { new[] { 0 }, new[] { 3 }, new[] { 0, 1, 2 }, new[] { 2, 0, 2 }, new[] { 4, 1, 3, 0 }, Enumerable.Range(0, 11).ToArray() };

    [Theory, MemberData(nameof(DegreeLists))]
    public void EvaluateTensor_MatchesScalarVersion(int[] degrees)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(7);
        var vectors = torch.randn(new long[] { 4, 5, 3 }, dtype: ScalarType.Float64, generator: generator);
        var result = SphericalHarmonics.Evaluate(degrees, vectors, SphericalHarmonicsNormalization.Norm);
        var width = degrees.Sum(l => 2 * l + 1);
        Assert.Equal(new long[] { 4, 5, width }, result.shape);
        Assert.Equal(ScalarType.Float64, result.dtype);
        var flatVectors = vectors.reshape(-1, 3).data<double>().ToArray();
        var flatResult = result.reshape(-1, width).data<double>().ToArray();
        for (var p = 0; p < 20; p++)
        {
            var expected = degrees.SelectMany(l => SphericalHarmonics.Evaluate(l, flatVectors[3 * p], flatVectors[3 * p + 1], flatVectors[3 * p + 2], SphericalHarmonicsNormalization.Norm)).ToArray();
            Assert.True(MaxAbsDifference(expected, flatResult[(p * width)..((p + 1) * width)]) < Exact);
        }
    }

    [Fact]
    public void EvaluateTensor_MonomialAndRecurrencePaths_AgreeInValueAndGradient()
    {
        // Degrees ≤ 4 are evaluated as monomial expansions; asking for degree 5 as well switches to the recurrence.
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(11);
        var vectors = torch.randn(new long[] { 64, 3 }, dtype: ScalarType.Float64, generator: generator);
        vectors[0] = torch.zeros(3, dtype: ScalarType.Float64);
        foreach (var normalize in new[] { true, false })
        {
            var fast = vectors.detach().requires_grad_(true);
            var slow = vectors.detach().requires_grad_(true);
            var low = SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3, 4 }, fast, SphericalHarmonicsNormalization.Component, normalize);
            var both = SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3, 4, 5 }, slow, SphericalHarmonicsNormalization.Component, normalize)
                .narrow(1, 0, 25);
            Assert.True((low - both).abs().max().ToDouble() < 1e-12, $"values differ (normalize = {normalize})");
            var weights = torch.randn(low.shape, dtype: ScalarType.Float64, generator: generator);
            (low * weights).sum().backward();
            (both * weights).sum().backward();
            // At the zero vector the direction has no derivative; it must stay finite, and elsewhere both paths agree.
            Assert.True(fast.grad!.isfinite().all().ToBoolean(), $"non-finite gradient (normalize = {normalize})");
            Assert.True((fast.grad!.narrow(0, 1, 63) - slow.grad!.narrow(0, 1, 63)).abs().max().ToDouble() < 1e-10,
                $"gradients differ (normalize = {normalize})");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64, 1e-11)]
    [InlineData(ScalarType.Float32, 2e-5)]
    public void EvaluateTensor_OnePassKernel_MatchesTheRecurrenceOnLargeStridedBatches(ScalarType dtype, double tolerance)
    {
        // Degrees ≤ 4 of float32/float64 CPU tensors run as one pass over memory, split over threads and SIMD lanes.
        // A batch that is no multiple of the lanes or of the thread split, taken as a strided view, with a zero vector
        // and an upstream gradient that is itself a strided view, must match the recurrence in value and gradient.
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(13);
        var storage = torch.randn(new long[] { 3, 10_007 }, dtype: ScalarType.Float64, generator: generator);
        storage[.., 5] = torch.zeros(3, dtype: ScalarType.Float64);
        var vectors = storage.t();                                                        // (10007, 3), not contiguous
        var degrees = new[] { 0, 1, 2, 3, 4 };
        foreach (var normalize in new[] { true, false })
        {
            var fast = vectors.to(dtype).detach().requires_grad_(true);
            var slow = vectors.detach().requires_grad_(true);
            var low = SphericalHarmonics.Evaluate(degrees, fast, SphericalHarmonicsNormalization.Integral, normalize);
            var both = SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3, 4, 5 }, slow, SphericalHarmonicsNormalization.Integral, normalize).narrow(1, 0, 25);
            Assert.Equal(dtype, low.dtype);
            var size = Math.Max(1, both.abs().max().ToDouble());                           // r^l Y grows with |v| unnormalised
            Assert.True((low.to(ScalarType.Float64) - both).abs().max().ToDouble() < tolerance * size, $"values differ (normalize = {normalize})");
            using (torch.no_grad())
            {
                var plain = SphericalHarmonics.Evaluate(degrees, vectors.to(dtype), SphericalHarmonicsNormalization.Integral, normalize);
                Assert.True((plain.to(ScalarType.Float64) - both).abs().max().ToDouble() < tolerance * size, $"no-grad values differ (normalize = {normalize})");
            }
            var weights = torch.randn(new long[] { 25, 10_007 }, dtype: ScalarType.Float64, generator: generator).t();
            low.backward(new[] { weights.to(dtype) });
            (both * weights).sum().backward();
            var scale = slow.grad!.abs().max().ToDouble();
            Assert.True(fast.grad!.isfinite().all().ToBoolean(), $"non-finite gradient (normalize = {normalize})");
            Assert.True((fast.grad!.to(ScalarType.Float64) - slow.grad!).abs().max().ToDouble() < tolerance * Math.Max(1, scale),
                $"gradients differ (normalize = {normalize})");
        }
    }

    [Fact]
    public void EvaluateTensor_AnalyticBackward_HasTheRecurrencesSecondDerivative()
    {
        // Degrees ≤ 4 use an analytic backward; it is itself differentiable (forces trained through autograd need
        // second derivatives). Compare ∂/∂v of (w₂ · ∂(w · Y)/∂v) with the recurrence path, which autograd traces.
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(12);
        var vectors = torch.randn(new long[] { 40, 3 }, dtype: ScalarType.Float64, generator: generator);
        foreach (var normalize in new[] { true, false })
        {
            var fast = vectors.detach().requires_grad_(true);
            var slow = vectors.detach().requires_grad_(true);
            var low = SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3 }, fast, SphericalHarmonicsNormalization.Component, normalize);
            var both = SphericalHarmonics.Evaluate(new[] { 0, 1, 2, 3, 5 }, slow, SphericalHarmonicsNormalization.Component, normalize).narrow(1, 0, 16);
            var weights = torch.randn(low.shape, dtype: ScalarType.Float64, generator: generator);
            var gradFast = torch.autograd.grad(new[] { (low * weights).sum() }, new[] { fast }, retain_graph: true, create_graph: true)[0];
            var gradSlow = torch.autograd.grad(new[] { (both * weights).sum() }, new[] { slow }, retain_graph: true, create_graph: true)[0];
            Assert.True((gradFast - gradSlow).abs().max().ToDouble() < 1e-10, $"first derivatives differ (normalize = {normalize})");
            var second = torch.randn(gradFast.shape, dtype: ScalarType.Float64, generator: generator);
            var hessianFast = torch.autograd.grad(new[] { (gradFast * second).sum() }, new[] { fast })[0];
            var hessianSlow = torch.autograd.grad(new[] { (gradSlow * second).sum() }, new[] { slow })[0];
            Assert.True(hessianFast.abs().max().ToDouble() > 1e-3, "second derivative vanished");
            Assert.True((hessianFast - hessianSlow).abs().max().ToDouble() < 1e-9, $"second derivatives differ (normalize = {normalize})");
        }
    }

    [Fact]
    public void EvaluateTensor_Float32_KeepsDtypeAndMatches()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(8);
        var vectors = torch.randn(new long[] { 100, 3 }, dtype: ScalarType.Float64, generator: generator);
        var degrees = new[] { 0, 1, 2, 3, 4 };
        var single = SphericalHarmonics.Evaluate(degrees, vectors.to(ScalarType.Float32), SphericalHarmonicsNormalization.Component);
        var reference = SphericalHarmonics.Evaluate(degrees, vectors, SphericalHarmonicsNormalization.Component);
        Assert.Equal(ScalarType.Float32, single.dtype);
        Assert.Equal(new long[] { 100, 25 }, single.shape);
        Assert.True((single.to(ScalarType.Float64) - reference).abs().max().ToDouble() < 1e-5);
    }

    [Fact]
    public void EvaluateTensor_Unnormalized_IsHomogeneousOfDegreeL()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(9);
        var vectors = torch.randn(new long[] { 50, 3 }, dtype: ScalarType.Float64, generator: generator);
        var degrees = Enumerable.Range(0, 8).ToArray();
        var raw = SphericalHarmonics.Evaluate(degrees, vectors, normalize: false);
        var unit = SphericalHarmonics.Evaluate(degrees, vectors);
        var r = vectors.norm(-1, keepdim: true);
        // Scale each degree-l block by r^l.
        var powers = torch.cat(degrees.Select(l => r.pow(l).expand(-1, 2 * l + 1)).ToArray(), dim: -1);
        Assert.True((raw - unit * powers).abs().max().ToDouble() < 1e-10);
    }

    [Fact]
    public void EvaluateTensor_ZeroVector_GivesOnlyTheConstant()
    {
        using var scope = torch.NewDisposeScope();
        var result = SphericalHarmonics.Evaluate(new[] { 0, 1, 2 }, torch.zeros(1, 3, dtype: ScalarType.Float64));
        var values = result.data<double>().ToArray();
        Assert.Equal(1 / Math.Sqrt(4 * Math.PI), values[0], Exact);
        Assert.All(values[1..], v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void EvaluateTensor_RejectsBadInput()
    {
        using var scope = torch.NewDisposeScope();
        var good = torch.ones(2, 3, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Evaluate(new[] { 1 }, torch.ones(2, 4)));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Evaluate(new[] { 1 }, torch.ones(new long[] { 2, 3 }, dtype: ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => SphericalHarmonics.Evaluate(Array.Empty<int>(), good));
        Assert.Throws<ArgumentOutOfRangeException>(() => SphericalHarmonics.Evaluate(new[] { 1, -2 }, good));
    }
}
