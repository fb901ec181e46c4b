using MathNet.Numerics.LinearAlgebra;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Images;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;
using static Noether.Tests.Nn.Images.ImageLayerCases;

namespace Noether.Tests.Nn.Images;

public class NormNonlinearityTests
{
    public static IEnumerable<object[]> OrthogonalFields => new[]
    {
        new object[] { "C4", "irreps", NormFunction.ReLU },
        new object[] { "C8", "irreps+regular", NormFunction.Sigmoid },
        new object[] { "D4", "irreps", NormFunction.Softplus },
        new object[] { "D8", "regular+E3", NormFunction.ReLU },
        new object[] { "SO2", "irreps", NormFunction.ReLU },
        new object[] { "O2", "irreps", NormFunction.Sigmoid },
    };

    [Theory, MemberData(nameof(OrthogonalFields))]
    public void Forward_IsExactlyEquivariant_UnderLatticeSymmetries_Float32(string group, string fields, NormFunction function)
    {
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Field(Space(group), fields, 2), function);
        // A negative bias makes the ReLU dead zone bite, so the check also sees fields set to zero.
        using (no_grad()) layer.get_parameter("bias")!.copy_(-0.5 * rand(layer.In.Representations.Count, generator: new Generator(5)));
        var report = Check(layer, Input(layer.In, 9, seed: 1));
        Assert.True(report.MaxRelativeError < Tolerance.Float32, report.ToString());
    }

    [Fact]
    public void Forward_IsExactlyEquivariant_InFloat64_OnO2Irreps()
    {
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Field(Space("O2"), "irreps", 1), NormFunction.ReLU);
        layer.to(ScalarType.Float64);
        using (no_grad()) layer.get_parameter("bias")!.fill_(-0.7);
        var report = Check(layer, Input(layer.In, 7, seed: 2, dtype: ScalarType.Float64));
        Assert.True(report.MaxRelativeError < Tolerance.Float64, report.ToString());
    }

    [Fact]
    public void ReLU_KeepsTheDirection_AndShrinksTheNorm()
    {
        // One E1 field of SO(2), b = −1: (3, 4) has norm 5 → (3, 4)·relu(5 − 1)/5 = (2.4, 3.2); (0.3, 0.4) has
        // norm 0.5 < 1 → 0. Reference values by hand.
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Space("SO2").Irrep("E1", 1), NormFunction.ReLU);
        layer.to(ScalarType.Float64);
        using (no_grad()) layer.get_parameter("bias")!.fill_(-1.0);
        var x = tensor(new double[] { 3, 0.3, 4, 0.4 }).reshape(1, 2, 1, 2);
        var y = layer.forward(x).data<double>().ToArray();
        Assert.Equal(new[] { 2.4, 0, 3.2, 0 }, y.Select(v => Math.Round(v, 9)));
    }

    [Fact]
    public void ReLU_WithPositiveBias_StaysContinuousAtZero()
    {
        // b = 0.5 is clamped to 0: tiny fields pass unchanged instead of being blown up to norm 0.5.
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Space("SO2").Irrep("E1", 1), NormFunction.ReLU);
        layer.to(ScalarType.Float64);
        using (no_grad()) layer.get_parameter("bias")!.fill_(0.5);
        var x = tensor(new double[] { 3e-7, 4e-7 }).reshape(1, 2, 1, 1);
        Assert.True(layer.forward(x).norm().ToDouble() < 1e-6);
    }

    [Fact]
    public void Sigmoid_SetsTheNormToSigmoidOfTheBiasedNorm()
    {
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Space("C8").Irrep("E2", 1), NormFunction.Sigmoid);
        layer.to(ScalarType.Float64);
        using (no_grad()) layer.get_parameter("bias")!.fill_(0.5);
        var x = tensor(new double[] { 1, 2 }).reshape(1, 2, 1, 1);
        var norm = layer.forward(x).norm().ToDouble();
        Assert.Equal(1 / (1 + Math.Exp(-(Math.Sqrt(5) + 0.5))), norm, 9);
    }

    [Fact]
    public void Gradient_IsFiniteAtZero()
    {
        // ε under the square root: the plain norm's gradient x/‖x‖ would be 0/0 = NaN here.
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Space("C4").Irrep("E1", 2) + Space("C4").Regular(1), NormFunction.Sigmoid);
        var x = zeros(new long[] { 1, layer.In.Size, 3, 3 }, requires_grad: true);
        layer.forward(x).sum().backward();
        Assert.True(x.grad!.isfinite().all().ToBoolean());
        Assert.True(layer.get_parameter("bias")!.grad!.isfinite().all().ToBoolean());
    }

    [Fact]
    public void NonOrthogonalField_IsRejected_NamingTheField()
    {
        // ρ(r) = [[1, 1], [0, −1]] squares to I, so it is a representation of C2, but it does not preserve norms.
        var c2 = GSpace2D.Rotations(2);
        var skew = Representation.FromMatrices(c2.Group, "skew", 2, g =>
            ((DihedralElement)g).Rotation == 0 ? Matrix<double>.Build.DenseIdentity(2) : Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 1 }, { 0, -1 } }));
        var type = c2.Trivial(1) + new FieldType(c2, new[] { skew });
        var e = Assert.Throws<ArgumentException>(() => new NormNonlinearity(type));
        Assert.Contains("field 1 'skew'", e.Message);
    }

    [Fact]
    public void Forward_WrongChannelCount_NamesExpectedAndActual()
    {
        using var scope = NewDisposeScope();
        var layer = new NormNonlinearity(Space("SO2").Irrep("E1", 3));
        var e = Assert.Throws<ArgumentException>(() => layer.forward(zeros(2, 5, 4, 4)));
        Assert.Contains("(batch, 6, height, width)", e.Message);
        Assert.Contains("[2, 5, 4, 4]", e.Message);
    }
}
