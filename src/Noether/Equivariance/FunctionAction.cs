using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>An action given by a function, for domains with their own geometry (pixel grids, node
/// permutations, point clouds). The function must not dispose its input and must return a fresh tensor.</summary>
public sealed class FunctionAction : IGroupAction
{
    private readonly Func<GroupElement, Tensor, Tensor> _apply;

    /// <summary>Wraps <paramref name="apply"/> as the action of <paramref name="group"/>.</summary>
    public FunctionAction(Groups.Group group, Func<GroupElement, Tensor, Tensor> apply, string name = "custom")
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        _apply = apply ?? throw new ArgumentNullException(nameof(apply));
        Name = name;
    }

    /// <inheritdoc />
    public Groups.Group Group { get; }

    /// <summary>A label for reports.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public Tensor Apply(GroupElement g, Tensor x)
    {
        Group.CheckMember(g, nameof(g));
        return _apply(g, x);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
