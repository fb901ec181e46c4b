using Noether.Representations;

namespace Noether.Equivariance;

/// <summary>Whether a representation acts by permutation matrices (so pointwise nonlinearities commute with it).</summary>
internal static class PermutationRepresentations
{
    /// <summary>True when ρ(g) is a 0/1 matrix with one 1 per row and column for every generator g.</summary>
    public static bool Is(Representation rep)
    {
        foreach (var g in rep.Group.Generators)
        {
            var m = rep.Matrix(g);
            for (int i = 0; i < m.RowCount; i++)
            {
                int ones = 0;
                for (int j = 0; j < m.ColumnCount; j++)
                {
                    double v = m[i, j];
                    if (Math.Abs(v - 1) < 1e-9) ones++;
                    else if (Math.Abs(v) > 1e-9) return false;
                }
                if (ones != 1) return false;
            }
        }
        return true;
    }
}
