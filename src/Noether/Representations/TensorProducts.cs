using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>Decomposition of ρ ⊗ σ assembled from the decompositions of ρ, σ and of each product of
/// irreps ψᵢ ⊗ φⱼ (which the group supplies and caches, with Clebsch–Gordan coefficients for SO(3)).</summary>
/// <remarks>ρ⊗σ = (Q_ρ⊗Q_σ) · P · (⊕ᵢⱼ Qᵢⱼ (⊕ irreps) Qᵢⱼᵀ) · Pᵀ · (Q_ρ⊗Q_σ)ᵀ, where P reorders the Kronecker
/// basis of (⊕ψᵢ)⊗(⊕φⱼ) into the blocks ψᵢ⊗φⱼ.</remarks>
internal static class TensorProducts
{
    public static RepresentationDecomposition Decompose(Representation rho, Representation sigma)
    {
        var left = rho.Decomposition;
        var right = sigma.Decomposition;
        int n = rho.Dim * sigma.Dim, dimSigma = sigma.Dim;
        var irreps = new List<Irrep>();
        var inner = new List<Matrix<double>>();
        var permutation = Matrix<double>.Build.Dense(n, n);
        int newIndex = 0, leftOffset = 0;
        foreach (var psi in left.Irreps)
        {
            int rightOffset = 0;
            foreach (var phi in right.Irreps)
            {
                var pair = rho.Group.DecomposeIrrepProduct(psi, phi);
                irreps.AddRange(pair.Irreps);
                inner.Add(pair.ChangeOfBasis);
                for (int p = 0; p < psi.Dim; p++)
                    for (int q = 0; q < phi.Dim; q++)
                        permutation[(leftOffset + p) * dimSigma + rightOffset + q, newIndex++] = 1.0;
                rightOffset += phi.Dim;
            }
            leftOffset += psi.Dim;
        }
        var change = left.ChangeOfBasis.KroneckerProduct(right.ChangeOfBasis) * permutation * LinearAlgebra.BlockDiagonal(inner);
        return new RepresentationDecomposition(irreps, change);
    }
}
