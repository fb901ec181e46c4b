using Noether.Groups;
using Noether.Representations;
using Noether.Training.Tasks;

namespace Noether.Tests.Representations;

/// <summary>Every size a user can type into a parser is bounded, with the documented exception naming the limit.</summary>
public class ParserLimitsTests
{
    private static readonly MatrixGroup SO3 = MatrixGroup.SO(3);

    [Fact]
    public void TensorRepresentation_RefusesDeepNesting_LongText_AndHugeDimensions_WithFormatException()
    {
        var deep = new string('(', TensorRepresentation.MaxNesting + 1) + "V" + new string(')', TensorRepresentation.MaxNesting + 1);
        Assert.Contains("nest deeper", Assert.Throws<FormatException>(() => TensorRepresentation.Parse(deep, SO3)).Message);
        var shallow = new string('(', TensorRepresentation.MaxNesting) + "V" + new string(')', TensorRepresentation.MaxNesting);
        Assert.Equal(3, TensorRepresentation.Parse(shallow, SO3).Dim);
        Assert.Throws<FormatException>(() => TensorRepresentation.Parse(new string('V', TensorRepresentation.MaxTextLength + 1), SO3));
        Assert.Contains("coordinates", Assert.Throws<FormatException>(() => TensorRepresentation.Parse("T(20,0)", SO3)).Message);
        Assert.Contains("coordinates", Assert.Throws<FormatException>(() => TensorRepresentation.Parse("1000*T(7,0)", SO3)).Message);
        Assert.Equal(3 * 3 * 3 * 3, TensorRepresentation.Parse("T(4,0)", SO3).Dim);
    }

    [Fact]
    public void Irreps_RefuseDimensionsThatWouldWrapAround()
    {
        Assert.Throws<FormatException>(() => Irreps.Parse("1x1073741824e"));
        Assert.Throws<FormatException>(() => Irreps.Parse("2147483647x1o"));
        Assert.Throws<ArgumentException>(() => new Irreps(new[] { new MulIrrep(int.MaxValue, new O3Irrep(1, -1)) }));
        Assert.Equal(16 + 8 * 3, Irreps.Parse("16x0e+8x1o").Dim);
    }

    [Fact]
    public void Groups_BoundTheirOrder_AndTheirBandLimits()
    {
        Assert.Contains("above 1,024", Assert.Throws<FormatException>(() => Group.Parse("C1025")).Message);
        Assert.Throws<FormatException>(() => Group.Parse("D513"));
        Assert.Throws<FormatException>(() => Group.Parse("C32 x C64"));
        Assert.Equal(1024, Group.Parse("C1024").Order);
        Assert.Throws<ArgumentOutOfRangeException>(() => Group.O3.Irrep("1001e"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Group.SO3.IrrepsUpTo(Group.MaxBandLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Group.SO2.Irrep(Group.MaxBandLimit + 1));
        Assert.Equal(2 * 10 + 1, Group.O3.Irrep("10o").Dim);
    }

    [Fact]
    public void MatrixGroups_BoundTheirSize_AndNameWhatTheyAreNot()
    {
        Assert.Contains("between 1 and 32", Assert.Throws<FormatException>(() => MatrixGroup.Parse("SO200")).Message);
        Assert.Throws<FormatException>(() => MatrixGroup.Parse("Sp66"));
        Assert.Equal(32, MatrixGroup.Parse("O32").Size);
        Assert.Equal(64, MatrixGroup.Parse("S64").Size);
        var tooLarge = Assert.Throws<FormatException>(() => MatrixGroup.Parse("O64")).Message;
        Assert.Contains("between 1 and 32 for a Lie group", tooLarge);
        Assert.DoesNotContain("Parameter", tooLarge);
        // A finite group `groups` knows, without a standard representation: said so, not "the size after 'S' must be an integer".
        var error = Assert.Throws<FormatException>(() => MatrixGroup.Parse("S4 x C2")).Message;
        Assert.Contains("no standard (matrix) representation", error);
    }

    [Fact]
    public void TrainSizes_AreBounded_BeforeAnyData()
    {
        var info = TaskCatalog.Get("ring-patterns").Info;
        var error = Assert.Throws<ArgumentException>(() => info.Require(new TaskRunOptions("mlp", TrainSize: TaskInfo.MaxTrainSize + 1)));
        Assert.Contains("--train-size must be between 1 and 1,000,000", error.Message);
        info.Require(new TaskRunOptions("mlp", TrainSize: TaskInfo.MaxTrainSize));
    }
}
