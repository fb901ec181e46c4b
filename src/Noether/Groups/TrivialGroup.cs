using MathNet.Numerics.LinearAlgebra;
using Noether.Representations;

namespace Noether.Groups;

/// <summary>The trivial group {e}: no symmetry at all (the "plain model" baseline).</summary>
public sealed class TrivialGroup : FiniteGroup
{
    private readonly GroupElement _identity;
    private readonly Irrep[] _irreps;

    internal TrivialGroup()
    {
        _identity = new DihedralElement(this, 0, 0);
        _irreps = new[] { new Irrep(this, 0, "A", 1, IrrepType.Real, 0, _ => LinearAlgebra.Scalar(1)) };
    }

    /// <inheritdoc />
    public override string Name => "trivial";
    /// <inheritdoc />
    public override GroupElement Identity => _identity;
    /// <inheritdoc />
    public override IReadOnlyList<GroupElement> Generators => Array.Empty<GroupElement>();
    /// <inheritdoc />
    protected override IReadOnlyList<Irrep> AllIrreps => _irreps;
    /// <inheritdoc />
    protected override IEnumerable<GroupElement> EnumerateElements() => new[] { _identity };
    /// <inheritdoc />
    protected override GroupElement ComposeCore(GroupElement a, GroupElement b) => _identity;
    /// <inheritdoc />
    protected override GroupElement InverseCore(GroupElement g) => _identity;
}
