using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Generic;

/// <summary>A deep ensemble: the mean of the predictions of several independently trained models.</summary>
/// <remarks>
/// <para>Why: where the data cannot pin a function down (fewer examples than the target has free coefficients), networks
/// that fit the same training set from different initialisations disagree far from it, and that disagreement is part of
/// their test error. Averaging K of them removes most of it: by convexity the mean's squared error is at most the mean of
/// the members' squared errors, and it is lower by the members' spread (Lakshminarayanan, Pritzel and Blundell 2017).</para>
/// <para>Symmetry: a mean of equivariant maps is equivariant (ρ_out(g) Σ fₖ(x)/K = Σ fₖ(ρ_in(g) x)/K), so an ensemble of
/// EMLPs keeps their exact symmetry. Members are trained separately (each on its own loss); the ensemble only
/// predicts. Shapes: input (batch, ·) → the members' common output shape.</para>
/// </remarks>
/// <example><code>var ensemble = new EnsembleMean(new[] { emlpA, emlpB, emlpC });
/// var prediction = ensemble.forward(x);   // (emlpA(x) + emlpB(x) + emlpC(x)) / 3</code></example>
public sealed class EnsembleMean : Module<Tensor, Tensor>, Noether.Equivariance.IEquivariantComposite
{
    private readonly ModuleList<Module<Tensor, Tensor>> _members;

    /// <summary>The models whose predictions are averaged.</summary>
    public IReadOnlyList<Module<Tensor, Tensor>> Members => _members.ToArray();

    /// <summary>Averages <paramref name="members"/> (at least one; the ensemble owns them from here on).</summary>
    public EnsembleMean(IReadOnlyList<Module<Tensor, Tensor>> members) : base(nameof(EnsembleMean))
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("An ensemble needs at least one member.", nameof(members));
        _members = new ModuleList<Module<Tensor, Tensor>>(members.ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<Module> Noether.Equivariance.IEquivariantComposite.Parts => _members.Cast<Module>().ToArray();

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor? sum = null;
        foreach (var member in _members)
        {
            var output = member.forward(input);
            if (sum is not null && !sum.shape.SequenceEqual(output.shape))
                throw new InvalidOperationException(
                    $"Ensemble members disagree on the output shape: [{string.Join(", ", sum.shape)}] and [{string.Join(", ", output.shape)}].");
            sum = sum is null ? output : sum + output;
        }
        return (sum! / _members.Count).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"EnsembleMean({_members.Count} members)";
}
