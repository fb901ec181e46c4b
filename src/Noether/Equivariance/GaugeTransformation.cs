using Noether.Runtime;
using Noether.Groups;
using static TorchSharp.torch;

namespace Noether.Equivariance;

/// <summary>Local gauge transformations: one group element Ω(x) per site, acting on links as
/// U_μ(x) → Ω(x) U_μ(x) Ω(x+μ̂)† and on adjoint site fields as W(x) → Ω(x) W(x) Ω(x)†.</summary>
/// <remarks>Ω has shape (batch, L_1..L_d, N, N). Every closed loop based at x transforms in the adjoint,
/// so traced loops are invariant (Gattringer &amp; Lang 2010, §3.2).</remarks>
public static class GaugeTransformation
{
    /// <summary>A Haar-random Ω(x), independent at every site, for each configuration of <paramref name="links"/>.</summary>
    /// <param name="links">(batch, d, L_1..L_d, N, N): sets the group, batch, lattice and dtype.</param>
    /// <param name="generator">the seeded source.</param>
    public static Tensor Random(Tensor links, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(links);
        int d = GaugeLinks.Dimensions(links);
        var shape = new[] { links.shape[0] }.Concat(links.shape.Skip(2).Take(d)).ToArray();
        return GaugeLinks.RandomElements(GaugeLinks.Group(links), shape, generator, links.dtype);
    }

    /// <summary>Ω · U: U_μ(x) → Ω(x) U_μ(x) Ω(x+μ̂)†.</summary>
    /// <param name="omega">(batch, L_1..L_d, N, N).</param>
    /// <param name="links">(batch, d, L_1..L_d, N, N).</param>
    public static Tensor ApplyToLinks(Tensor omega, Tensor links)
    {
        CheckShapes(omega, links);
        int d = GaugeLinks.Dimensions(links);
        using var scope = NewDisposeScope();
        var transformed = new Tensor[d];
        for (int mu = 0; mu < d; mu++)
            transformed[mu] = omega.MatMulChecked(links.select(1, mu)).MatMulChecked(GaugeLinks.Dagger(GaugeLinks.Shift(omega, mu, 1, 1)));
        return stack(transformed, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Ω · W for an adjoint field: W(x) → Ω(x) W(x) Ω(x)†.</summary>
    /// <param name="omega">(batch, L_1..L_d, N, N).</param>
    /// <param name="field">(batch, L_1..L_d, N, N) or, with channels, (batch, channels, L_1..L_d, N, N).</param>
    public static Tensor ApplyToAdjoint(Tensor omega, Tensor field)
    {
        ArgumentNullException.ThrowIfNull(omega);
        ArgumentNullException.ThrowIfNull(field);
        using var scope = NewDisposeScope();
        var o = field.dim() == omega.dim() + 1 ? omega.unsqueeze(1) : omega;
        if (o.dim() != field.dim())
            throw new ArgumentException($"Ω [{string.Join(", ", omega.shape)}] does not fit the field [{string.Join(", ", field.shape)}].", nameof(field));
        return o.MatMulChecked(field).MatMulChecked(GaugeLinks.Dagger(o)).MoveToOuterDisposeScope();
    }

    private static void CheckShapes(Tensor omega, Tensor links)
    {
        ArgumentNullException.ThrowIfNull(omega);
        ArgumentNullException.ThrowIfNull(links);
        var expected = new[] { links.shape[0] }.Concat(links.shape.Skip(2)).ToArray();
        if (!omega.shape.SequenceEqual(expected))
            throw new ArgumentException($"Ω must have shape [{string.Join(", ", expected)}] for links [{string.Join(", ", links.shape)}]; got [{string.Join(", ", omega.shape)}].", nameof(omega));
    }
}
