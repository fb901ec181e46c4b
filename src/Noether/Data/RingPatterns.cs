using Noether.Groups;
using Noether.Representations;
using static TorchSharp.torch;

namespace Noether.Data;

/// <summary>A generated classification task whose labels are invariant under rotating a ring:
/// each example is one of K prototype signals on N sites, cyclically shifted by a uniform random
/// amount (and mirrored, with reflections on), plus Gaussian noise.</summary>
/// <remarks>
/// The symmetry is exact: C_N (D_N with reflections) acts on the inputs by its regular representation
/// (rotations shift the sites; the mirror reverses them), and the label does not change.
/// Prototypes are drawn once from <c>taskSeed</c>, so training and test sets drawn with different
/// seeds share them. Every random choice flows from the seeds given.
/// </remarks>
public sealed class RingPatterns
{
    private readonly double[][] _prototypes;

    /// <summary>Creates the task.</summary>
    /// <param name="sites">N, the ring length (≥ 3).</param>
    /// <param name="classes">K, the number of prototypes (≥ 2).</param>
    /// <param name="noise">standard deviation of the per-site noise (≥ 0).</param>
    /// <param name="reflections">whether examples are also mirrored at random (symmetry D_N instead of C_N).</param>
    /// <param name="taskSeed">seed of the prototypes.</param>
    public RingPatterns(int sites = 8, int classes = 4, double noise = 0.5, bool reflections = false, int taskSeed = 0)
    {
        if (sites < 3) throw new ArgumentOutOfRangeException(nameof(sites), sites, "A ring needs at least 3 sites.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "At least 2 classes are needed.");
        if (!(noise >= 0) || double.IsInfinity(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "Noise must be finite and ≥ 0.");
        Sites = sites;
        Classes = classes;
        Noise = noise;
        Reflections = reflections;
        var random = new Random(taskSeed);
        _prototypes = Enumerable.Range(0, classes).Select(_ =>
        {
            var p = Enumerable.Range(0, sites).Select(_ => Gaussian(random)).ToArray();
            double norm = Math.Sqrt(p.Sum(v => v * v) / sites);
            return p.Select(v => v / norm).ToArray(); // unit RMS: the noise level means the same for every class
        }).ToArray();
    }

    /// <summary>N, the ring length.</summary>
    public int Sites { get; }
    /// <summary>K, the number of classes.</summary>
    public int Classes { get; }
    /// <summary>The noise standard deviation.</summary>
    public double Noise { get; }
    /// <summary>Whether examples are mirrored too.</summary>
    public bool Reflections { get; }

    /// <summary>The symmetry group of the labels: C_N, or D_N with reflections.</summary>
    public FiniteGroup Group => Reflections ? Groups.Group.Dihedral(Sites) : Groups.Group.Cyclic(Sites);

    /// <summary>How the group acts on an input: site i of g·x is x at g⁻¹(i) — a permutation
    /// representation of the group on the N sites.</summary>
    public Representation InputRepresentation
    {
        get
        {
            var group = Group;
            int n = Sites;
            return Representation.FromMatrices(group, "sites", n, g =>
            {
                var e = (DihedralElement)g;
                var m = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n);
                // Rotation by k sends site j to j + k; the reflection sends site j to −j.
                for (int j = 0; j < n; j++)
                {
                    int target = e.Reflection == 0 ? j : (n - j) % n;
                    target = (target + e.Rotation) % n;
                    m[target, j] = 1.0;
                }
                return m;
            });
        }
    }

    /// <summary>Draws <paramref name="count"/> examples (float32 inputs (count, N), int64 labels).</summary>
    public LabeledSet Sample(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "Count must be positive.");
        var random = new Random(seed);
        var inputs = new float[count * Sites];
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(Classes);
            int shift = random.Next(Sites);
            bool mirror = Reflections && random.Next(2) == 1;
            labels[i] = label;
            for (int j = 0; j < Sites; j++)
            {
                int source = mirror ? (Sites - j) % Sites : j;
                inputs[i * Sites + (source + shift) % Sites] = (float)(_prototypes[label][j] + Noise * Gaussian(random));
            }
        }
        return new LabeledSet(tensor(inputs, new long[] { count, Sites }), tensor(labels));
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
