using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>Decomposition of a restricted representation Res^G_H ρ from the decomposition of ρ and the
/// (cached) decomposition of each restricted irrep of G into irreps of H.</summary>
internal static class Restrictions
{
    private static readonly ConcurrentDictionary<(string Embedding, string Parent, int Irrep), RepresentationDecomposition> Cache = new();

    public static RepresentationDecomposition Decompose(Representation rho, SubgroupEmbedding embedding)
    {
        var d = rho.Decomposition;
        var parts = d.Irreps.Select(psi => RestrictIrrep(psi, embedding)).ToArray();
        var change = d.ChangeOfBasis * LinearAlgebra.BlockDiagonal(parts.Select(p => p.ChangeOfBasis));
        return new RepresentationDecomposition(parts.SelectMany(p => p.Irreps).ToArray(), change);
    }

    /// <summary>Res ψ = Q (⊕ irreps of H) Qᵀ for one irrep ψ of the parent group.</summary>
    public static RepresentationDecomposition RestrictIrrep(Irrep psi, SubgroupEmbedding embedding) =>
        Cache.GetOrAdd((embedding.Name, embedding.Parent.Name, psi.Index), _ =>
        {
            var restricted = Representation.FromMatrices(embedding.Subgroup, $"Res({psi.Name})", psi.Dim,
                h => psi.Matrix(embedding.Map(h)), psi.BandLevel);
            return Decomposer.Decompose(restricted);
        });
}
