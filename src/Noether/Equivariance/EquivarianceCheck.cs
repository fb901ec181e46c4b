using Noether.Groups;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Measures how equivariant a function is: the one checker used by tests, the CLI and users.</summary>
/// <remarks>
/// For each element g and input x (a batch along axis 0) it computes the relative error
/// ‖f(ρ_in(g)x) − ρ_out(g)f(x)‖ / (‖ρ_out(g)f(x)‖ + ε), the norm taken over every non-batch axis, and
/// reports the mean and max per element and overall (DESIGN.md). Invariance is the case
/// ρ_out = <see cref="TrivialAction"/>. The comparison is done in float64 whatever dtype f computes in
/// (e3nn's <c>assert_equivariant</c> does the same); the transformed input is cast back to the input's
/// dtype before f sees it. Elements: every element of a finite group, or seeded Haar samples of a
/// continuous one. The check returns a report and never prints.
/// </remarks>
public static class EquivarianceCheck
{
    /// <summary>The ε in the denominator.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>Checks <paramref name="f"/> at the given <paramref name="elements"/>.</summary>
    /// <param name="f">the function; must not dispose its input.</param>
    /// <param name="input">how g acts on inputs.</param>
    /// <param name="output">how g acts on outputs.</param>
    /// <param name="inputs">a batch of inputs, shape (batch, ...).</param>
    /// <param name="elements">the group elements to test.</param>
    public static EquivarianceReport Run(Func<Tensor, Tensor> f, IGroupAction input, IGroupAction output, Tensor inputs,
        IReadOnlyList<GroupElement> elements)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(elements);
        if (!input.Group.Equals(output.Group))
            throw new ArgumentException($"Input action is of {input.Group.Name} but output action is of {output.Group.Name}.", nameof(output));
        if (inputs.dim() < 1 || inputs.shape[0] < 1)
            throw new ArgumentException("Inputs need a non-empty batch axis (axis 0).", nameof(inputs));
        var group = input.Group;
        var results = new List<ElementError>(elements.Count);
        using (no_grad())
        {
            using var outer = NewDisposeScope();
            var fx = f(inputs).to_type(ScalarType.Float64);
            foreach (var g in elements)
            {
                group.CheckMember(g, nameof(elements));
                using var scope = NewDisposeScope();
                var gx = input.Apply(g, inputs.to_type(ScalarType.Float64)).to_type(inputs.dtype);
                var fgx = f(gx).to_type(ScalarType.Float64);
                var gfx = output.Apply(g, fx);
                if (!fgx.shape.SequenceEqual(gfx.shape))
                    throw new ArgumentException(
                        $"f(g·x) has shape [{string.Join(", ", fgx.shape)}] but g·f(x) has shape [{string.Join(", ", gfx.shape)}].", nameof(f));
                long batch = fgx.shape[0];
                var difference = (fgx - gfx).reshape(batch, -1).norm(1);
                var reference = gfx.reshape(batch, -1).norm(1);
                var relative = (difference / (reference + Epsilon)).data<double>().ToArray();
                results.Add(new ElementError(g, relative.Average(), relative.Max()));
            }
        }
        return new EquivarianceReport(group, results, (int)inputs.shape[0]);
    }

    /// <summary>Checks <paramref name="f"/> on every element of a finite group (at most
    /// <paramref name="samples"/> when it is larger), or on <paramref name="samples"/> Haar samples.</summary>
    public static EquivarianceReport Run(Func<Tensor, Tensor> f, IGroupAction input, IGroupAction output, Tensor inputs,
        int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "At least one element is needed.");
        return Run(f, input, output, inputs, Elements(input.Group, samples, seed));
    }

    /// <summary>Checks invariance: f(ρ_in(g)x) = f(x).</summary>
    public static EquivarianceReport Invariance(Func<Tensor, Tensor> f, IGroupAction input, Tensor inputs, int samples = 16, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(f, input, new TrivialAction(input.Group), inputs, samples, seed);
    }

    /// <summary>The elements a check uses: all of a finite group of order ≤ <paramref name="samples"/>,
    /// else <paramref name="samples"/> seeded uniform samples (always including the generators of a finite group).</summary>
    public static IReadOnlyList<GroupElement> Elements(Groups.Group group, int samples, int seed)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsFinite && group.Order <= samples) return group.Elements;
        var sampled = group.Sample(samples, seed).ToList();
        if (group.IsFinite)
            foreach (var generator in group.Generators)
                if (!sampled.Contains(generator)) sampled.Add(generator);
        return sampled;
    }
}
