using Noether.Equivariance;
using Noether.Representations;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>Norm activation: each irreducible copy is scaled by a nonlinear function of its own norm.</summary>
/// <remarks>
/// <para>Math: out_u = x_u · σ(‖x_u‖ + b_u), σ the logistic sigmoid, b_u a learned bias (zero at start) per copy.
/// ‖x_u‖ is invariant under O(3), so the output transforms like x (pseudoscalars stay odd).</para>
/// <para>Equivariance: O(3) (exact). Shapes: (..., Irreps.Dim) → (..., Irreps.Dim). Reference: e3nn <c>nn.NormActivation</c>.</para>
/// </remarks>
/// <example><code>var act = new NormActivation(Irreps.Parse("8x0e+4x1o"));</code></example>
public sealed class NormActivation : Module<Tensor, Tensor>, IEquivariant
{
    private readonly Parameter _bias;

    /// <summary>The irreps of input and output.</summary>
    public Irreps Irreps { get; }

    /// <summary>Creates the activation.</summary>
    public NormActivation(Irreps irreps) : base(nameof(NormActivation))
    {
        Irreps = irreps ?? throw new ArgumentNullException(nameof(irreps));
        _bias = new Parameter(torch.zeros(Math.Max(irreps.Count, 1)).DetachFromDisposeScope());
        RegisterComponents();
    }

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.InputTypes => new ITensorType[] { new IrrepsAction(Irreps) };

    /// <inheritdoc />
    IReadOnlyList<ITensorType> IEquivariant.OutputTypes => new ITensorType[] { new IrrepsAction(Irreps) };

    /// <summary>Applies the activation.</summary>
    /// <param name="x">Shape (..., Irreps.Dim).</param>
    public override Tensor forward(Tensor x)
    {
        PointsValidation.CheckFeatures(x, Irreps, nameof(x));
        using var scope = torch.NewDisposeScope();
        var lead = x.shape[..^1];
        var xf = x.reshape(-1, Irreps.Dim);
        var n = xf.shape[0];
        var parts = new List<Tensor>();
        var copy = 0;
        for (var i = 0; i < Irreps.Terms.Count; i++)
        {
            var t = Irreps.Terms[i];
            if (t.Multiplicity == 0) continue;
            var block = xf.narrow(1, Irreps.Slices[i].Start, Irreps.Slices[i].Dim).view(n, t.Multiplicity, t.Irrep.Dim);
            // The small constant keeps the gradient of the norm finite at 0.
            var norm = (block.square().sum(-1, keepdim: true) + 1e-12).sqrt();
            var b = _bias.narrow(0, copy, t.Multiplicity).view(1, -1, 1);
            parts.Add((block * (norm + b).sigmoid()).reshape(n, -1));
            copy += t.Multiplicity;
        }
        var result = parts.Count == 1 ? parts[0] : torch.cat(parts.ToArray(), 1);
        return result.reshape(lead.Append((long)Irreps.Dim).ToArray()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override string ToString() => $"NormActivation({Irreps})";
}
