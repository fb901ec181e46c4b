using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Every element acts as the identity: the output action of an invariant model.</summary>
public sealed class TrivialAction : IGroupAction
{
    /// <summary>The trivial action of <paramref name="group"/>.</summary>
    public TrivialAction(Groups.Group group) => Group = group ?? throw new ArgumentNullException(nameof(group));

    /// <inheritdoc />
    public Groups.Group Group { get; }

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x)
    {
        Group.CheckMember(g, nameof(g));
        ArgumentNullException.ThrowIfNull(x);
        return x.alias();
    }

    /// <inheritdoc />
    public override string ToString() => "trivial";
}
