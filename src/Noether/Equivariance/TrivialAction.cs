using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Every element acts as the identity: the output action of an invariant model.</summary>
/// <remarks>Optionally declares the shape of its tensors (without the batch axis; −1 marks a free axis of any
/// length, such as the points of a cloud), so that <see cref="EquivarianceCheck.Of(TorchSharp.torch.nn.Module, int, int, int, int, bool, TorchSharp.torch.ScalarType?)"/>
/// can sample inputs: <c>new TrivialAction(Group.O3, -1, 4)</c> is four invariant features per point.</remarks>
public sealed class TrivialAction : IGroupAction, IEquatable<TrivialAction>
{
    private readonly long[]? _shape;

    /// <summary>The trivial action of <paramref name="group"/>.</summary>
    public TrivialAction(Groups.Group group) => Group = group ?? throw new ArgumentNullException(nameof(group));

    /// <summary>The trivial action of <paramref name="group"/> on tensors (batch, <paramref name="shape"/>…).</summary>
    /// <param name="group">the group.</param>
    /// <param name="shape">the non-batch axes; −1 for a free axis.</param>
    public TrivialAction(Groups.Group group, params long[] shape) : this(group)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(n => n < 1 && n != -1))
            throw new ArgumentException($"Axis lengths must be ≥ 1 or −1 (free); got [{string.Join(", ", shape)}].", nameof(shape));
        _shape = shape.ToArray();
    }

    /// <summary>The declared non-batch axes (−1 free), or null when undeclared.</summary>
    public IReadOnlyList<long>? Shape => _shape;

    /// <inheritdoc />
    public Groups.Group Group { get; }

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x)
    {
        Group.CheckMember(g, nameof(g));
        ArgumentNullException.ThrowIfNull(x);
        return x.alias();
    }

    /// <summary>A standard normal batch of the declared shape, free axes of length <paramref name="size"/>.</summary>
    public Tensor Sample(int batch, int size, ScalarType dtype, Generator generator)
    {
        if (_shape is null) throw new NotSupportedException("This trivial action declares no shape; construct it with one.");
        return randn(new long[] { batch }.Concat(_shape.Select(n => n == -1 ? size : n)).ToArray(), dtype: dtype, generator: generator);
    }

    /// <summary>Always true: every element acts as the identity.</summary>
    public bool AllowsPointwise => true;

    /// <inheritdoc />
    public bool Equals(TrivialAction? other) => other is not null && other.Group.Equals(Group) &&
        (other._shape is null || _shape is null || other._shape.SequenceEqual(_shape));
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TrivialAction a && Equals(a);
    /// <inheritdoc />
    public override int GetHashCode() => Group.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => _shape is null ? "trivial" : $"trivial [{string.Join(", ", _shape.Select(n => n == -1 ? "n" : n.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
}
