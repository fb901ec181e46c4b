using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>Builds rotated image data sets (rotated MNIST, rotated Fashion-MNIST): every image turned by
/// its own seeded uniform angle, and seeded random subsets for train-size sweeps.</summary>
/// <remarks>
/// The rotation follows <see cref="ImageRotation.Rotate"/> (counter-clockwise as displayed, bilinear,
/// zero fill). The angle of image i is the i-th value of <see cref="Angles"/>: uniform in [0, 2π),
/// drawn from <c>new Random(seed)</c>, so the data set is the same on every run and machine.
/// This is the protocol of rotated MNIST (Larochelle et al. 2007: uniform angles in [0, 2π)); the disc
/// mask keeps the corners, which a rotation cannot map onto themselves, from revealing the angle.
/// </remarks>
/// <example><code>using var train = FashionMnist.Load(FashionMnistSplit.Train);
/// using var small = RotatedImageSet.Take(train, 1000, seed: 1);
/// using var rotated = RotatedImageSet.Rotate(small, seed: 2);</code></example>
public static class RotatedImageSet
{
    // Images rotated per chunk: the sampling grid of 60,000 28×28 images alone would take 376 MB.
    private const int ChunkSize = 2048;

    /// <summary>A copy of <paramref name="source"/> with every image rotated by its own random angle.</summary>
    /// <param name="source">inputs (count, channels, height, width), floating point; left as it is.</param>
    /// <param name="seed">the seed of the angles (see <see cref="Angles"/>).</param>
    /// <param name="circularMask">multiply by the inscribed disc before and after rotating (see
    /// <see cref="ImageRotation.CircularMask"/>), so that corners never hold content for some angles and
    /// not for others.</param>
    /// <param name="rotate">false keeps the images upright but still applies the mask: the unrotated
    /// baseline with the same preprocessing.</param>
    /// <returns>a new set the caller owns, same shapes, dtype and labels.</returns>
    public static LabeledSet Rotate(LabeledSet source, int seed, bool circularMask = true, bool rotate = true)
    {
        ArgumentNullException.ThrowIfNull(source);
        var inputs = source.Inputs;
        if (inputs.dim() != 4)
            throw new ArgumentException(
                $"Expected image inputs of shape (count, channels, height, width), got [{string.Join(", ", inputs.shape)}].", nameof(source));
        using var scope = NewDisposeScope();
        var output = empty_like(inputs);
        double[] angles = rotate ? Angles(source.Count, seed) : new double[source.Count];
        for (int start = 0; start < source.Count; start += ChunkSize)
        {
            using var chunkScope = NewDisposeScope();
            int n = Math.Min(ChunkSize, source.Count - start);
            var images = inputs.narrow(0, start, n);
            Tensor rotated;
            if (rotate)
                rotated = ImageRotation.Rotate(images, tensor(angles.AsSpan(start, n).ToArray()), circularMask);
            else
                rotated = circularMask
                    ? images * ImageRotation.CircularMask((int)inputs.shape[2], (int)inputs.shape[3]).to(inputs.dtype, inputs.device)
                    : images;
            output.narrow(0, start, n).copy_(rotated);
        }
        return new LabeledSet(output, source.Labels.clone());
    }

    /// <summary>The angles <see cref="Rotate"/> uses: <paramref name="count"/> values uniform in [0, 2π),
    /// <c>2π · NextDouble()</c> of <c>new Random(seed)</c>, in order.</summary>
    /// <param name="count">how many (≥ 0).</param>
    /// <param name="seed">the seed.</param>
    public static double[] Angles(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var angles = new double[count];
        for (int i = 0; i < count; i++) angles[i] = 2 * Math.PI * random.NextDouble();
        return angles;
    }

    /// <summary>A seeded random subset of <paramref name="count"/> examples, drawn without replacement
    /// (not class-balanced).</summary>
    /// <remarks>The subset is the first <paramref name="count"/> indices of one seeded permutation of the
    /// whole set, in that order, so for one seed a smaller subset is contained in every larger one: a
    /// train-size sweep adds examples rather than redrawing them.</remarks>
    /// <param name="set">the set to draw from; left as it is.</param>
    /// <param name="count">1 ≤ count ≤ set.Count.</param>
    /// <param name="seed">the seed of the permutation.</param>
    /// <returns>a new set the caller owns.</returns>
    public static LabeledSet Take(LabeledSet set, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (count < 1 || count > set.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Expected a count in 1..{set.Count} for a set of {set.Count} examples.");
        return Permutations.Select(set, Permutations.Shuffled(set.Count, seed).AsSpan(0, count));
    }
}
