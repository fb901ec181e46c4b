namespace Noether.Equivariance;

/// <summary>One transformation the checker applies to every input and output of a model: a group element, a
/// permutation of an axis, or a field of gauge transformations.</summary>
/// <remarks>A transformation is drawn by a <see cref="Symmetry"/> and realised on each tensor by that tensor's
/// <see cref="ITensorType.Transform"/>; the same draw acts on all inputs and outputs of one check. Immutable.</remarks>
public abstract class Transformation
{
    /// <summary>A short label for reports, e.g. <c>"r2"</c>, <c>"π#3"</c> or <c>"Ω#1"</c>.</summary>
    public abstract string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
