using Noether.Equivariance;
using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Symmetrize;

/// <summary>Symmetrizes any model over a group acting through arbitrary actions (images, point clouds,
/// sets): f̄(x) = (1/|S|) Σ_{g∈S} g⁻¹ · f(g · x). Over all the elements of a finite group f̄ is exactly
/// equivariant (invariant when no output action is given); over a continuous group, S is a fresh set of
/// Haar samples at every call (Monte Carlo symmetrization), drawn from a seeded generator.</summary>
/// <remarks>
/// <para>All |S| transformed copies of the batch go through the model in one call (concatenated along the
/// batch axis), so the cost is one forward of |S|·batch inputs.</para>
/// <para>Shapes: as the wrapped model; the actions must accept the model's input and output tensors.</para>
/// <para>Reference: group averaging / Reynolds operator (Yarotsky 2018; Puny et al. 2022, frame averaging
/// with the whole group as frame).</para>
/// </remarks>
/// <example><code>
/// var space = GSpace2D.Rotations(4);
/// var invariant = new ActionAveraging(cnn, new FieldAction(space.Trivial(1)), space.Group.Elements);
/// </code></example>
public sealed class ActionAveraging : Module<Tensor, Tensor>, IEquivariant
{
    private readonly Module<Tensor, Tensor> _inner;
    private readonly IGroupAction _input;
    private readonly IGroupAction? _output;
    private readonly IReadOnlyList<GroupElement>? _elements;
    private readonly int _samples;
    private readonly System.Random _random;

    /// <summary>Averages over a fixed list of elements (all elements of a finite group: exact).</summary>
    /// <param name="inner">the model f.</param>
    /// <param name="input">how g acts on the model's input.</param>
    /// <param name="elements">the elements averaged over; for exactness, a whole finite group.</param>
    /// <param name="output">how g acts on the output, or null for an invariant output.</param>
    public ActionAveraging(Module<Tensor, Tensor> inner, IGroupAction input, IReadOnlyList<GroupElement> elements, IGroupAction? output = null)
        : base(nameof(ActionAveraging))
    {
        ArgumentNullException.ThrowIfNull(elements);
        if (elements.Count == 0) throw new ArgumentException("At least one group element is needed.", nameof(elements));
        (_inner, _input, _output) = Validate(inner, input, output);
        foreach (var g in elements) input.Group.CheckMember(g, nameof(elements));
        _elements = elements.ToArray();
        _samples = elements.Count;
        _random = new System.Random(0);
        RegisterComponents();
    }

    /// <summary>Averages over <paramref name="samples"/> Haar-random elements drawn afresh at every call
    /// (Monte Carlo symmetrization, for continuous groups), from a generator seeded with <paramref name="seed"/>.</summary>
    public ActionAveraging(Module<Tensor, Tensor> inner, IGroupAction input, int samples, int seed, IGroupAction? output = null)
        : base(nameof(ActionAveraging))
    {
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one sample is needed.");
        (_inner, _input, _output) = Validate(inner, input, output);
        _samples = samples;
        _random = new System.Random(seed);
        RegisterComponents();
    }

    /// <summary>The group averaged over.</summary>
    public Group Group => _input.Group;

    /// <summary>Elements per forward pass.</summary>
    public int Samples => _samples;

    /// <summary>True when the average runs over a fixed list (exact for a whole finite group).</summary>
    public bool IsExact => _elements is not null && Group.Order is int order && _elements.Count == order;

    /// <summary>The wrapped model.</summary>
    public Module<Tensor, Tensor> Inner => _inner;

    /// <summary>The declared types: the input action, and the output action (the trivial one for an invariant output).
    /// Exact over a whole finite group; over Monte Carlo samples of a continuous group the check measures how far the
    /// average is from equivariance.</summary>
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { _input };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { _output ?? new TrivialAction(Group) };

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var elements = _elements ?? Enumerable.Range(0, _samples).Select(_ => Group.Sample(_random)).ToArray();
        long batch = x.shape[0];
        var stacked = cat(elements.Select(g => _input.Apply(g, x)).ToArray(), 0);
        var y = _inner.forward(stacked);
        var sum = zeros_like(y.narrow(0, 0, batch));
        for (int i = 0; i < elements.Count; i++)
        {
            var yi = y.narrow(0, i * batch, batch);
            sum = sum + (_output is null ? yi : _output.Apply(Group.Inverse(elements[i]), yi));
        }
        return (sum / elements.Count).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"ActionAveraging({Group.Name}, {_samples} elements, {_inner})";

    private static (Module<Tensor, Tensor>, IGroupAction, IGroupAction?) Validate(Module<Tensor, Tensor> inner, IGroupAction input, IGroupAction? output)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(input);
        if (output is not null && !output.Group.Equals(input.Group))
            throw new ArgumentException($"Input action is of {input.Group.Name}, output action of {output.Group.Name}.", nameof(output));
        return (inner, input, output);
    }
}
