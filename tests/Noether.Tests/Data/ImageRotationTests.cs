using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Data;

public class ImageRotationTests
{
    private static Tensor RandomImages(long n, long c, long h, long w, ScalarType dtype = ScalarType.Float32, ulong seed = 1)
    {
        using var generator = new Generator(seed);
        return rand(new[] { n, c, h, w }, dtype: dtype, generator: generator);
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(20, 33)]
    public void Rotate_ByZero_IsIdentity(int height, int width)
    {
        using var scope = NewDisposeScope();
        var images = RandomImages(4, 2, height, width);
        var rotated = ImageRotation.Rotate(images, zeros(4));
        Assert.True((rotated - images).abs().max().ToDouble() < 1e-5);
    }

    [Theory]
    [InlineData(28, ScalarType.Float32, 1e-5)]
    [InlineData(27, ScalarType.Float32, 1e-5)]
    [InlineData(28, ScalarType.Float64, 1e-12)]
    public void Rotate_ByQuarterTurns_EqualsRot90(int size, ScalarType dtype, double tolerance)
    {
        // A quarter turn counter-clockwise is rot90 with k = 1 from the row axis to the column axis.
        using var scope = NewDisposeScope();
        var images = RandomImages(5, 3, size, size, dtype);
        foreach (int k in new[] { 1, 2, 3, -1 })
        {
            var rotated = ImageRotation.Rotate(images, full(5, k * Math.PI / 2, ScalarType.Float64));
            double error = (rotated - images.rot90(k, (2, 3))).abs().max().ToDouble();
            Assert.True(error <= tolerance, $"k = {k}: max |Rotate − rot90| = {error}");
        }
    }

    [Fact]
    public void Rotate_FourQuarterTurns_RoundTrip()
    {
        using var scope = NewDisposeScope();
        var images = RandomImages(3, 1, 28, 28);
        var angles = full(3, (float)(Math.PI / 2)); // float32 angles: the least exact input a user may give
        var x = images;
        for (int i = 0; i < 4; i++) x = ImageRotation.Rotate(x, angles);
        Assert.True((x - images).abs().max().ToDouble() <= 1e-5);
    }

    [Fact]
    public void Rotate_PositiveAngle_IsCounterClockwiseAsDisplayed()
    {
        // One bright pixel at the top middle of a 5×5 image (row 0 is the top) must go to the left middle.
        using var scope = NewDisposeScope();
        var image = zeros(1, 1, 5, 5);
        image[0, 0, 0, 2] = tensor(1f);
        var rotated = ImageRotation.Rotate(image, tensor(new[] { Math.PI / 2 }));
        Assert.Equal(1f, rotated[0, 0, 2, 0].ToSingle(), 5);
        Assert.Equal(1f, rotated.sum().ToSingle(), 5);
    }

    [Fact]
    public void Rotate_EachImageUsesItsOwnAngle()
    {
        using var scope = NewDisposeScope();
        var images = RandomImages(3, 2, 16, 16);
        var angles = tensor(new[] { 0.3, 1.1, -2.0 });
        var together = ImageRotation.Rotate(images, angles, circularMask: true);
        for (int i = 0; i < 3; i++)
        {
            var alone = ImageRotation.Rotate(images.narrow(0, i, 1), angles.narrow(0, i, 1), circularMask: true);
            Assert.True((together.narrow(0, i, 1) - alone).abs().max().ToDouble() < 1e-6);
        }
    }

    [Fact]
    public void Rotate_SmoothImage_KeepsItsIntensity_AndUndoesItself()
    {
        // A Gaussian blob (σ = 2.5 px) well inside the disc: bilinear resampling is nearly exact for it.
        // Measured: total intensity changes by 0.04 %, and rotating by θ then −θ returns the image within
        // 0.058 of a peak of 1 (two bilinear passes blur the peak). Bounds: 0.1 % and 0.1.
        using var scope = NewDisposeScope();
        var r = arange(28, dtype: ScalarType.Float64);
        var blob = (-((r - 9.0).pow(2).unsqueeze(1) + (r - 16.0).pow(2).unsqueeze(0)) / (2 * 2.5 * 2.5)).exp()
            .to_type(ScalarType.Float32).reshape(1, 1, 28, 28);
        var angle = tensor(new[] { 0.7 });
        var rotated = ImageRotation.Rotate(blob, angle, circularMask: true);
        var back = ImageRotation.Rotate(rotated, -angle, circularMask: true);
        double change = Math.Abs(rotated.sum().ToDouble() / blob.sum().ToDouble() - 1);
        Assert.True(change < 1e-3, $"relative intensity change {change}");
        double roundTrip = (back - blob).abs().max().ToDouble();
        Assert.True(roundTrip < 0.1, $"max |R(−θ)R(θ)x − x| = {roundTrip}");
    }

    [Fact]
    public void Rotate_WithMask_IsZeroOutsideTheDisc_ForEveryAngle()
    {
        using var scope = NewDisposeScope();
        var images = RandomImages(6, 1, 28, 28);
        var rotated = ImageRotation.Rotate(images, linspace(0, 6, 6), circularMask: true);
        var outside = 1 - ImageRotation.CircularMask(28, 28);
        Assert.Equal(0.0, (rotated * outside).abs().max().ToDouble());
    }

    [Theory]
    [InlineData(28, 28)]
    [InlineData(27, 27)]
    [InlineData(10, 16)]
    public void CircularMask_IsTheInscribedDisc(int height, int width)
    {
        using var scope = NewDisposeScope();
        var mask = ImageRotation.CircularMask(height, width);
        Assert.Equal(new long[] { height, width }, mask.shape);
        Assert.Equal(0f, mask[0, 0].ToSingle());                         // corner outside
        Assert.Equal(1f, mask[height / 2, width / 2].ToSingle());        // centre inside
        Assert.Equal(1f, mask[0, width / 2].ToSingle());                 // touches the middle of the shorter side
        Assert.True(mask.flip(0).eq(mask).all().item<bool>());             // mirror symmetric
        Assert.True(mask.flip(1).eq(mask).all().item<bool>());
        if (height == width) Assert.True(mask.rot90(1, (0, 1)).eq(mask).all().item<bool>());
        double area = Math.PI * Math.Min(height, width) * Math.Min(height, width) / 4;
        Assert.InRange(mask.sum().ToDouble(), 0.9 * area, 1.1 * area);
    }

    [Fact]
    public void BadArguments_AreRejectedWithShapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ImageRotation.Rotate(zeros(2, 28, 28), zeros(2)));
        Assert.Contains("[2, 28, 28]", e.Message);
        e = Assert.Throws<ArgumentException>(() => ImageRotation.Rotate(zeros(2, 1, 28, 28), zeros(3)));
        Assert.Contains("(2,)", e.Message);
        Assert.Contains("[3]", e.Message);
        Assert.Throws<ArgumentException>(() => ImageRotation.Rotate(zeros(new long[] { 2, 1, 28, 28 }, ScalarType.Int64), zeros(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageRotation.CircularMask(0, 5));
    }
}
