using Noether.Equivariance;
using Noether.Representations;
using static TorchSharp.torch;

namespace Noether.Nn.Images;

/// <summary>Channel bookkeeping and representation checks shared by the image layers.</summary>
internal static class FieldLayout
{
    /// <summary>Tolerance for reading a float64 representation matrix as exactly 0 or 1.</summary>
    private const double MatrixTolerance = 1e-9;

    /// <summary>The first channel of each field.</summary>
    public static int[] Offsets(FieldType type)
    {
        var offsets = new int[type.Representations.Count];
        for (int f = 1; f < offsets.Length; f++) offsets[f] = offsets[f - 1] + type.Representations[f - 1].Dim;
        return offsets;
    }

    /// <summary>For each channel, the index of the field it belongs to.</summary>
    public static long[] FieldOfChannel(FieldType type)
    {
        var map = new long[type.Size];
        int c = 0;
        for (int f = 0; f < type.Representations.Count; f++)
            for (int i = 0; i < type.Representations[f].Dim; i++) map[c++] = f;
        return map;
    }

    /// <summary>Maximal runs of consecutive fields of equal dimension: (first channel, fields, dimension).</summary>
    public static IReadOnlyList<(int Start, int Fields, int Dim)> Runs(FieldType type)
    {
        var runs = new List<(int Start, int Fields, int Dim)>();
        int offset = 0;
        foreach (var rep in type.Representations)
        {
            if (runs.Count > 0 && runs[^1].Dim == rep.Dim) runs[^1] = (runs[^1].Start, runs[^1].Fields + 1, rep.Dim);
            else runs.Add((offset, 1, rep.Dim));
            offset += rep.Dim;
        }
        return runs;
    }

    /// <summary>True when ρ(g) is a permutation matrix for every generator g, hence for every element:
    /// trivial, regular and quotient representations (in the basis they are built in).</summary>
    public static bool IsPermutation(Representation rep) => FirstNonPermutation(rep) is null;

    private static Groups.GroupElement? FirstNonPermutation(Representation rep)
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
                    if (Math.Abs(v - 1) < MatrixTolerance) ones++;
                    else if (Math.Abs(v) > MatrixTolerance) return g;
                }
                if (ones != 1) return g;
            }
            // Rows with one 1 each and orthogonality (all our representations are orthogonal) give one 1 per column;
            // check the columns anyway, since a user-built representation need not be orthogonal.
            for (int j = 0; j < m.ColumnCount; j++)
                if (Enumerable.Range(0, m.RowCount).Count(i => Math.Abs(m[i, j] - 1) < MatrixTolerance) != 1) return g;
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field whose representation is not a permutation representation.</summary>
    public static void RequirePermutationFields(FieldType type, string module, string paramName)
    {
        for (int f = 0; f < type.Representations.Count; f++)
        {
            var rep = type.Representations[f];
            if (FirstNonPermutation(rep) is { } g)
                throw new ArgumentException(
                    $"{module} needs permutation fields (trivial, regular, quotient), but field {f} '{rep.Name}' of [{type.Description}] is not one: " +
                    $"ρ({g}) is not a permutation matrix.", paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field whose representation is not
    /// orthogonal on the generators (then its norm would not be invariant).</summary>
    public static void RequireOrthogonalFields(FieldType type, string module, string paramName)
    {
        for (int f = 0; f < type.Representations.Count; f++)
        {
            var rep = type.Representations[f];
            foreach (var g in rep.Group.Generators)
            {
                var m = rep.Matrix(g);
                var error = (m.TransposeThisAndMultiply(m) - MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(rep.Dim))
                    .Enumerate().Max(Math.Abs);
                if (error > 1e-8)
                    throw new ArgumentException(
                        $"{module} needs orthogonal fields (so that the norm is invariant), but field {f} '{rep.Name}' of [{type.Description}] " +
                        $"has ‖ρ({g})ᵀρ({g}) − I‖ = {error:E2}.", paramName);
            }
        }
    }

    /// <summary>Throws unless <paramref name="type"/> is a field type of a 2D gspace.</summary>
    public static GSpace2D RequirePlane(FieldType type, string module, string paramName)
    {
        ArgumentNullException.ThrowIfNull(type, paramName);
        return type.Space as GSpace2D
            ?? throw new ArgumentException($"{module} needs a field type of a 2D gspace; got {type.Space.Name}.", paramName);
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="input"/> is (batch, type.Size, height, width).</summary>
    public static void CheckInput(Tensor input, FieldType type, string module)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != type.Size)
            throw new ArgumentException(
                $"{module} expects (batch, {type.Size}, height, width) for field type [{type.Description}]; got [{string.Join(", ", input.shape)}].",
                nameof(input));
    }

    /// <summary>Validates pooling window arguments the way torch would reject them, but up front.</summary>
    public static void CheckWindow(int kernelSize, int stride, int padding, string module)
    {
        if (kernelSize < 1)
            throw new ArgumentException($"{module}: kernel size must be ≥ 1; got {kernelSize}.", nameof(kernelSize));
        if (stride < 1)
            throw new ArgumentException($"{module}: stride must be ≥ 1; got {stride}.", nameof(stride));
        if (padding < 0 || padding > kernelSize / 2)
            throw new ArgumentException($"{module}: padding must be between 0 and kernel size / 2 = {kernelSize / 2}; got {padding}.", nameof(padding));
    }
}
