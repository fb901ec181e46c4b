using MathNet.Numerics.LinearAlgebra;
using Noether.Groups;

namespace Noether.Representations;

/// <summary>Decomposes a representation into irreps: finds the multiplicity of each candidate irrep ψ
/// and an orthonormal set of intertwiners X (ρ(g) X = X ψ(g)) with mutually orthogonal images.</summary>
/// <remarks>
/// Finite groups: multiplicities from characters, m = ⟨χ_ρ, χ_ψ⟩ / ⟨χ_ψ, χ_ψ⟩, and intertwiners by
/// group averaging X = |G|⁻¹ Σ_g ρ(g) A ψ(g)ᵀ of random A (exact: the sum is over every element).
/// Continuous groups: the intertwiners are the null space of Σ_g ‖ρ(g)X − Xψ(g)‖² over the group's
/// generators (which generate a dense subgroup, so the constraints are the exact ones); the multiplicity
/// is the null-space dimension divided by dim End(ψ). In both cases XᵀX is a symmetric element of
/// End(ψ), hence a multiple of I (Schur), which normalises each copy. Random choices use a fixed seed.
/// </remarks>
internal static class Decomposer
{
    private const double NullTolerance = 1e-9;
    private const int Seed = 20240607;

    public static RepresentationDecomposition Decompose(Representation rho)
    {
        if (rho is Irrep irrep) return irrep.SelfDecomposition();
        var group = rho.Group;
        IReadOnlyList<Irrep> candidates;
        if (group.IsFinite) candidates = group.Irreps;
        else
        {
            if (rho.BandLimit is not int band)
                throw new InvalidOperationException(
                    $"Cannot decompose '{rho.Name}' of the continuous group {group.Name}: its band limit is unknown. " +
                    "Build it from irreps, or pass bandLimit to Representation.FromMatrices.");
            candidates = group.IrrepsUpTo(band).Where(i => i.Dim <= rho.Dim).ToArray();
        }
        return Decompose(rho, candidates);
    }

    public static RepresentationDecomposition Decompose(Representation rho, IReadOnlyList<Irrep> candidates)
    {
        var random = new Random(Seed);
        var embeddings = new List<(Irrep Irrep, Matrix<double> X)>();
        Matrix<double>? used = null; // columns span the images found so far
        var finite = rho.Group.IsFinite ? new FiniteData(rho) : null;
        foreach (var psi in candidates)
        {
            var found = finite is not null ? FiniteIntertwiners(finite, psi, ref used, random) : ContinuousIntertwiners(rho, psi, ref used, random);
            foreach (var x in found) embeddings.Add((psi, x));
        }
        int total = embeddings.Sum(e => e.X.ColumnCount);
        if (total != rho.Dim)
            throw new InvalidOperationException(
                $"Decomposing '{rho.Name}' of {rho.Group.Name} accounted for {total} of {rho.Dim} dimensions. " +
                (rho.Group.IsFinite
                    ? "Its matrices do not form an orthogonal representation."
                    : $"Raise its band limit (now {rho.BandLimit}) or check that its matrices form an orthogonal representation."));
        var q = Matrix<double>.Build.Dense(rho.Dim, rho.Dim);
        int col = 0;
        foreach (var (_, x) in embeddings)
        {
            q.SetSubMatrix(0, col, x);
            col += x.ColumnCount;
        }
        return new RepresentationDecomposition(embeddings.Select(e => e.Irrep).ToArray(), q);
    }

    private sealed class FiniteData
    {
        public readonly IReadOnlyList<GroupElement> Elements;
        public readonly Matrix<double>[] Matrices;
        public readonly double[] Character;

        public FiniteData(Representation rho)
        {
            Elements = rho.Group.Elements;
            Matrices = Elements.Select(rho.Matrix).ToArray();
            Character = Matrices.Select(m => m.Trace()).ToArray();
        }
    }

    private static List<Matrix<double>> FiniteIntertwiners(FiniteData data, Irrep psi, ref Matrix<double>? used, Random random)
    {
        var psiMatrices = data.Elements.Select(psi.Matrix).ToArray();
        double overlap = 0, norm = 0;
        for (int g = 0; g < psiMatrices.Length; g++)
        {
            double chi = psiMatrices[g].Trace();
            overlap += data.Character[g] * chi;
            norm += chi * chi;
        }
        double ratio = overlap / norm;
        int multiplicity = (int)Math.Round(ratio);
        if (Math.Abs(ratio - multiplicity) > 1e-6 || multiplicity < 0)
            throw new InvalidOperationException($"Non-integer multiplicity {ratio} of irrep {psi.Name}: the matrices do not form a representation of {psi.Group.Name}.");
        return Extract(multiplicity, psi, ref used, random, a =>
        {
            var sum = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
            for (int g = 0; g < psiMatrices.Length; g++)
                sum += data.Matrices[g] * a * psiMatrices[g].Transpose();
            return sum / psiMatrices.Length;
        }, () => LinearAlgebra.Gaussian(data.Matrices[0].RowCount, psi.Dim, random));
    }

    private static List<Matrix<double>> ContinuousIntertwiners(Representation rho, Irrep psi, ref Matrix<double>? used, Random random)
    {
        int n = rho.Dim, d = psi.Dim;
        var identityN = Matrix<double>.Build.DenseIdentity(n);
        var identityD = Matrix<double>.Build.DenseIdentity(d);
        var gram = Matrix<double>.Build.Dense(n * d, n * d);
        foreach (var g in rho.Group.Generators)
        {
            // vec(A X) = (I_d ⊗ A) vec X and vec(X B) = (Bᵀ ⊗ I_n) vec X, column-major vec.
            var c = identityD.KroneckerProduct(rho.Matrix(g)) - psi.Matrix(g).Transpose().KroneckerProduct(identityN);
            gram += c.TransposeThisAndMultiply(c);
        }
        var nullSpace = LinearAlgebra.NullSpaceOfGram(gram, NullTolerance);
        if (nullSpace.ColumnCount % psi.EndomorphismDim != 0)
            throw new InvalidOperationException(
                $"Intertwiner space of {psi.Name} in '{rho.Name}' has dimension {nullSpace.ColumnCount}, not a multiple of {psi.EndomorphismDim}: numerical trouble or not a representation.");
        int multiplicity = nullSpace.ColumnCount / psi.EndomorphismDim;
        return Extract(multiplicity, psi, ref used, random, a => a, () =>
        {
            var v = nullSpace * LinearAlgebra.Gaussian(nullSpace.ColumnCount, 1, random).Column(0);
            return Matrix<double>.Build.Dense(n, d, v.ToArray()); // column-major, matching vec
        });
    }

    /// <summary>Finds <paramref name="multiplicity"/> isometric intertwiners with images orthogonal to
    /// each other and to <paramref name="used"/>.</summary>
    private static List<Matrix<double>> Extract(int multiplicity, Irrep psi, ref Matrix<double>? used, Random random,
        Func<Matrix<double>, Matrix<double>> project, Func<Matrix<double>> draw)
    {
        var result = new List<Matrix<double>>();
        int attempts = 0;
        while (result.Count < multiplicity)
        {
            if (++attempts > 20 * (multiplicity + 1))
                throw new InvalidOperationException($"Could not separate the {multiplicity} copies of {psi.Name}; numerical trouble.");
            var x = project(draw());
            if (used is not null) x -= used * used.TransposeThisAndMultiply(x);
            var s = x.TransposeThisAndMultiply(x);
            double lambda = s.Trace() / psi.Dim;
            if (lambda < 1e-6) continue;
            var deviation = LinearAlgebra.MaxAbsDifference(s / lambda, Matrix<double>.Build.DenseIdentity(psi.Dim));
            if (deviation > 1e-6) continue; // landed in another isotypic component's rounding; redraw
            x /= Math.Sqrt(lambda);
            // One re-orthonormalisation pass keeps the columns orthonormal to machine precision.
            if (used is not null) x -= used * used.TransposeThisAndMultiply(x);
            x = x * InverseSqrt(x.TransposeThisAndMultiply(x));
            result.Add(x);
            used = used is null ? x : used.Append(x);
        }
        return result;
    }

    private static Matrix<double> InverseSqrt(Matrix<double> s)
    {
        var evd = s.Evd(Symmetricity.Symmetric);
        var d = Matrix<double>.Build.DenseDiagonal(s.RowCount, s.RowCount, i => 1.0 / Math.Sqrt(evd.EigenValues[i].Real));
        return evd.EigenVectors * d * evd.EigenVectors.Transpose();
    }
}
