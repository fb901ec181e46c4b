using Noether.Runtime;
using Noether.Data;
using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Graphs;
using Noether.Nn.Sets;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Symmetrize;

/// <summary>Data augmentation as a declared group action on a task's training batches: draws random group elements and
/// applies them to the inputs and, where the target transforms too (an equivariant task), to the targets alike.</summary>
/// <remarks>
/// <para>A task declares one (<see cref="Augmentations"/> has the group actions of the built-in domains); the
/// <c>Trainer</c> applies it to every batch when the run's strategy is <c>augment</c>, and nowhere else, so a task never
/// writes its own augmentation step.</para>
/// <para>Determinism: the action may draw only from the two sources it is given (the step's seeded .NET and TorchSharp
/// generators), so the same seed gives the same augmented batches, and a resumed run the same as one that never stopped.</para>
/// </remarks>
/// <typeparam name="TBatch">the task's batch (e.g. images and labels, or states and target displacements).</typeparam>
public sealed class Augmentation<TBatch>
{
    private readonly Func<TBatch, Random, Generator, TBatch> _apply;

    /// <summary>An augmentation by <paramref name="group"/>.</summary>
    /// <param name="group">the group drawn from, in words (e.g. "O(3), one element per example").</param>
    /// <param name="apply">draws from the two generators and returns the transformed batch.</param>
    public Augmentation(string group, Func<TBatch, Random, Generator, TBatch> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        Group = group;
        _apply = apply ?? throw new ArgumentNullException(nameof(apply));
    }

    /// <summary>The group drawn from, in words.</summary>
    public string Group { get; }

    /// <summary>The batch under fresh random elements drawn from <paramref name="random"/> and <paramref name="generator"/>.</summary>
    public TBatch Apply(TBatch batch, Random random, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(generator);
        return _apply(batch, random, generator);
    }

    /// <summary>This augmentation acting on a part of a larger batch (e.g. the positions and forces of a batch that also
    /// holds masks and energies, which stay as they are).</summary>
    /// <param name="part">the part this augmentation transforms.</param>
    /// <param name="replace">the larger batch with the transformed part put back.</param>
    public Augmentation<TLarger> On<TLarger>(Func<TLarger, TBatch> part, Func<TLarger, TBatch, TLarger> replace)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(replace);
        return new Augmentation<TLarger>(Group, (batch, random, generator) => replace(batch, Apply(part(batch), random, generator)));
    }

    /// <inheritdoc />
    public override string ToString() => $"Augmentation({Group})";
}

/// <summary>The group actions on data of the built-in domains, for <see cref="Augmentation{TBatch}"/> and for averaging
/// a model over random transformations (<see cref="TransformAveraging"/>, <see cref="GraphAveraging"/>).</summary>
public static class Augmentations
{
    /// <summary>Seeded Haar-random elements of SO(3) (or O(3) with <paramref name="reflections"/>: a sign drawn after each
    /// rotation) as (count, 3, 3) float32.</summary>
    public static Tensor RandomOrthogonal(int count, Random random, bool reflections)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(random);
        var data = new float[count * 9];
        for (var i = 0; i < count; i++)
        {
            var r = Rotations3D.Random(random);
            var sign = reflections && random.NextDouble() < 0.5 ? -1 : 1;
            for (var a = 0; a < 3; a++)
                for (var b = 0; b < 3; b++) data[i * 9 + a * 3 + b] = (float)(sign * r[a, b]);
        }
        return tensor(data).reshape(count, 3, 3);
    }

    /// <summary>Applies per-example matrices (B, 3, 3) to vectors (B, N, 3): v ↦ g v.</summary>
    public static Tensor Rotate(Tensor vectors, Tensor matrices)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(matrices);
        return vectors.MatMulChecked(matrices.transpose(1, 2));
    }

    /// <summary>O(3) (or SO(3)) on point clouds, one element per example: the 3-column blocks of the input's last axis
    /// that start at <paramref name="vectorColumns"/> rotate (positions, velocities), the other columns stay (charges,
    /// masses); the target rotates when <paramref name="targetIsVector"/> (displacements, forces), else it stays (labels,
    /// energies). Input (B, N, C), target (B, N, 3) or anything for an invariant target.</summary>
    public static Augmentation<(Tensor Input, Tensor Target)> Orthogonal3D(bool reflections, IReadOnlyList<int> vectorColumns, bool targetIsVector)
    {
        ArgumentNullException.ThrowIfNull(vectorColumns);
        if (vectorColumns.Count == 0) throw new ArgumentException("At least one 3-column vector block is needed.", nameof(vectorColumns));
        var starts = vectorColumns.Order().ToArray();
        for (int i = 0; i < starts.Length; i++)
            if (starts[i] < 0 || (i > 0 && starts[i] < starts[i - 1] + 3))
                throw new ArgumentException($"Vector blocks must start at columns ≥ 0 and not overlap; got {string.Join(", ", vectorColumns)}.", nameof(vectorColumns));
        return new Augmentation<(Tensor Input, Tensor Target)>(reflections ? "O(3), one element per example" : "SO(3), one element per example",
            (batch, random, _) =>
            {
                var (x, y) = batch;
                long columns = x.shape[^1];
                if (starts[^1] + 3 > columns)
                    throw new ArgumentException($"The input has {columns} columns; the vector block at column {starts[^1]} needs 3.", nameof(batch));
                var g = RandomOrthogonal((int)x.shape[0], random, reflections);
                var parts = new List<Tensor>();
                long at = 0;
                foreach (var s in starts)
                {
                    if (s > at) parts.Add(x.narrow(-1, at, s - at));
                    parts.Add(Rotate(x.narrow(-1, s, 3), g));
                    at = s + 3;
                }
                if (at < columns) parts.Add(x.narrow(-1, at, columns - at));
                var rotated = parts.Count == 1 ? parts[0] : cat(parts.ToArray(), -1);
                return (rotated, targetIsVector ? Rotate(y, g) : y);
            });
    }

    /// <summary>Rotates each image of a batch (B, C, H, W) by its own uniform random angle (bilinear, inside the inscribed
    /// circle), drawing the angles from <paramref name="generator"/>.</summary>
    public static Tensor RandomImageRotation(Tensor images, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        var angles = rand(new long[] { images.shape[0] }, generator: generator, dtype: ScalarType.Float64) * (2 * Math.PI);
        return ImageRotation.Rotate(images, angles, circularMask: true).MoveToOuterDisposeScope();
    }

    /// <summary>SO(2) on images with invariant labels: every image under its own uniform random rotation.</summary>
    public static Augmentation<(Tensor Images, Tensor Labels)> ImageRotations { get; } =
        new("SO(2), one rotation per image", (batch, _, generator) => (RandomImageRotation(batch.Images, generator), batch.Labels));

    /// <summary>A finite group of transformations of inputs (B, …) with invariant targets: each example goes through the
    /// identity or one of <paramref name="elements"/> (the group's other elements), uniformly and independently.</summary>
    /// <param name="group">the group, in words.</param>
    /// <param name="elements">the non-identity elements, each mapping a batch of inputs to the same shape.</param>
    public static Augmentation<(Tensor X, Tensor Y)> OneOf(string group, IReadOnlyList<Func<Tensor, Tensor>> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var list = elements.ToArray();
        return new Augmentation<(Tensor X, Tensor Y)>(group, (batch, _, generator) =>
        {
            var x = batch.X;
            var pick = randint(list.Length + 1, new long[] { x.shape[0] }, generator: generator);
            var moved = x.clone();
            for (int e = 0; e < list.Length; e++)
            {
                var rows = (pick == e + 1).nonzero().flatten();
                if (rows.numel() > 0) moved.index_copy_(0, rows, list[e](x.index_select(0, rows)));
            }
            return (moved, batch.Y);
        });
    }

    /// <summary>A finite group through the matrices of a representation, with invariant targets: each example
    /// x_i ↦ ρ(g_i) x_i with g_i uniform and independent (<see cref="RandomGroupAction"/>). Shapes (B, ρ.Dim).</summary>
    public static Augmentation<(Tensor X, Tensor Y)> FiniteGroup(RandomGroupAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new Augmentation<(Tensor X, Tensor Y)>($"{action.Representation.Group.Name}, one element per example",
            (batch, _, generator) => (action.Apply(batch.X, generator), batch.Y));
    }

    /// <summary>The symmetric group on set elements with an invariant target: each set's real elements in a uniformly
    /// random order (padding stays last).</summary>
    public static Augmentation<(SetBatch Sets, Tensor Target)> SetPermutations { get; } =
        new("S_n on each set's elements", (batch, _, generator) => (SetOrder.Shuffle(batch.Sets, generator), batch.Target));

    /// <summary>The batch's nodes renumbered by one uniformly random permutation drawn from <paramref name="random"/>
    /// (Fisher–Yates): edges relabelled, features and graph membership move with their nodes.</summary>
    public static GraphBatch RandomRelabelling(GraphBatch graphs, Random random)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(random);
        var permutation = Enumerable.Range(0, (int)graphs.NodeCount).Select(i => (long)i).ToArray();
        for (int i = permutation.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }
        return graphs.Permute(permutation);
    }

    /// <summary>Node relabellings of graphs with a graph-level invariant target.</summary>
    public static Augmentation<(GraphBatch Graphs, Tensor Target)> GraphRelabellings { get; } =
        new("S_n on the batch's nodes", (batch, random, _) => (RandomRelabelling(batch.Graphs, random), batch.Target));

    /// <summary>A fresh Haar-random gauge transformation of every configuration of links (batch, D, L…, D, N, N) — one
    /// element of the gauge group per site — with the links re-unitarized.</summary>
    public static Tensor RandomGaugeTransformation(Tensor links, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(generator);
        return GaugeLinks.Reunitarize(GaugeTransformation.ApplyToLinks(GaugeTransformation.Random(links, generator), links));
    }

    /// <summary>Local gauge transformations of lattice links with gauge-invariant targets (Wilson loops, charges).</summary>
    public static Augmentation<(Tensor Links, Tensor Target)> GaugeTransformations { get; } =
        new("the local gauge group, one element per site", (batch, _, generator) => (RandomGaugeTransformation(batch.Links, generator), batch.Target));

    /// <summary>A group acting on vectors of <paramref name="input"/> and targets of <paramref name="output"/> through
    /// matrices: one element g drawn from the group's own sampler (Haar for compact groups) for the whole batch,
    /// x ↦ ρ_in(g) x, y ↦ ρ_out(g) y. Shapes (B, ρ_in.Dim) and (B, ρ_out.Dim), float32.</summary>
    public static Augmentation<(Tensor X, Tensor Y)> MatrixGroup(Representation input, Representation output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (!input.Group.Equals(output.Group))
            throw new ArgumentException($"The input representation is of {input.Group.Name}, the output's of {output.Group.Name}.", nameof(output));
        var group = input.Group;
        return new Augmentation<(Tensor X, Tensor Y)>($"{group.Name}, one element per batch", (batch, random, _) =>
        {
            var g = group.Sample(random);
            return (batch.X.MatMulChecked(tensor(input.Matrix(g).ToArray(), dtype: ScalarType.Float32).t()),
                    batch.Y.MatMulChecked(tensor(output.Matrix(g).ToArray(), dtype: ScalarType.Float32).t()));
        });
    }
}
