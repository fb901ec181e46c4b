using Noether.Runtime;
using Noether.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Training;

/// <summary>The data diagnostic of the generated N-body task (<c>noether check --data --task nbody</c>): which
/// transformations of a system keep the task — its map from the state at frame 30 to the positions at frame 40 — and
/// which keep the distribution of its inputs.</summary>
/// <remarks>
/// <para>The data is generated, so its map can be asked directly: for each candidate g and each of
/// <c>systems</c> test states s, the oracle (<see cref="NBodySimulation.Advance"/>, float64) gives the target of g·s,
/// compared with g applied to the target of s: e(s) = ‖y(g·s) − g·y(s)‖ / ‖g·y(s)‖. The candidates: random rotations
/// (SO(3)), random reflections (O(3) elements with det −1), random translations, random permutations of the particles,
/// and a control that is no symmetry of Coulomb dynamics, scaling positions by 2. N-body dynamics amplifies round-off
/// (close encounters are chaotic), so a system counts as kept when e ≤ 1e-3; the task's map is <b>exact</b> under g
/// when at least 99% of systems are kept, <b>approximate</b> when the median error is below 0.1, and <b>absent</b>
/// otherwise. Score = fraction of systems kept.</para>
/// <para>Beside the map, a discriminator (an MLP on the flattened states, trained on half of the original and
/// transformed states, tested on the other half) says whether transformed inputs look like the data: accuracy 0.5
/// means they cannot be told apart. The verdict is about the map, because that is what an equivariant model assumes;
/// a shifted input distribution (translations: the systems are centred near the origin) is reported in the notes —
/// it matters for augmentation, not for equivariance.</para>
/// </remarks>
public static class NBodyDataSymmetry
{
    /// <summary>Below this relative error a system's target moves with the transformation.</summary>
    public const double KeptTolerance = 1e-3;

    private sealed record Candidate(string Name, string? Group, bool Symmetry, Func<Tensor, Tensor, Tensor, Random, (Tensor X, Tensor V, Tensor Q, Func<Tensor, Tensor> Target)> Apply);

    /// <summary>Runs the diagnostic on test states (positions, velocities (B, 5, 3), charges (B, 5, 1)).</summary>
    /// <param name="positions">positions at the input frame.</param>
    /// <param name="velocities">velocities at the input frame.</param>
    /// <param name="charges">charges.</param>
    /// <param name="seed">seed of the transformations and the discriminators.</param>
    /// <param name="field">the external field of the data (0 for the EGNN protocol).</param>
    /// <param name="clip">the force limit of the data's simulator (per component in the EGNN protocol).</param>
    public static DataSymmetryReport Run(Tensor positions, Tensor velocities, Tensor charges, int seed, double field = 0,
        ForceClip clip = ForceClip.Component)
    {
        ArgumentNullException.ThrowIfNull(positions);
        using var scope = NewDisposeScope();
        var x = positions.to_type(ScalarType.Float64);
        var v = velocities.to_type(ScalarType.Float64);
        var q = charges.to_type(ScalarType.Float64);
        var clipped = new bool[x.shape[0]];
        var y = NBodySimulation.Advance(x, v, q, field: field, clipped: clipped, clip: clip);
        double clippedShare = clipped.Count(c => c) / (double)clipped.Length;
        var candidates = new[]
        {
            new Candidate("rotations", "SO3", true, (x, v, q, r) => Orthogonal(x, v, q, r, proper: true)),
            new Candidate("reflections", "O3", true, (x, v, q, r) => Orthogonal(x, v, q, r, proper: false)),
            new Candidate("translations", null, true, (x, v, q, r) =>
            {
                var t = Gaussian(r, x.shape[0], 1, 3);
                return (x + t, v, q, target => target + t);
            }),
            new Candidate("particle permutations", $"S{NBodySimulation.Particles}", true, (x, v, q, r) =>
            {
                var order = tensor(Enumerable.Range(0, (int)x.shape[0]).SelectMany(_ => Shuffle(r, (int)x.shape[1])).Select(i => (long)i).ToArray())
                    .view(x.shape[0], x.shape[1]);
                Tensor Permute(Tensor t) => t.gather(1, order.unsqueeze(2).expand(-1, -1, t.shape[2]));
                return (Permute(x), Permute(v), Permute(q), Permute);
            }),
            new Candidate("scaling x2 (control)", null, false, (x, v, q, r) => (2 * x, v, q, target => 2 * target)),
        };
        var random = new Random(seed);
        var verdicts = new List<SymmetryVerdict>();
        foreach (var candidate in candidates)
        {
            var (gx, gv, gq, act) = candidate.Apply(x, v, q, random);
            var expected = act(y);
            var moved = NBodySimulation.Advance(gx, gv, gq, field: field, clip: clip);
            var errors = ((moved - expected).flatten(1).norm(1) / expected.flatten(1).norm(1).clamp_min(1e-12)).data<double>().ToArray();
            var unclippedKept = errors.Where((e, s) => !clipped[s]).Count(e => e <= KeptTolerance);
            double keptWithoutClip = clipped.Count(c => !c) == 0 ? double.NaN : unclippedKept / (double)clipped.Count(c => !c);
            Array.Sort(errors);
            double kept = errors.Count(e => e <= KeptTolerance) / (double)errors.Length;
            double median = errors[errors.Length / 2];
            string verdict = kept >= 0.99 ? "exact" : median < 0.1 ? "approximate" : "absent";
            double discriminator = Discriminate(Pack(x, v, q), Pack(gx, gv, gq), seed + verdicts.Count);
            string notes = FormattableString.Invariant(
                               $"target moves with it in {kept:P1} of {errors.Length} systems (median relative error {median:0.0e+0}, worst {errors[^1]:0.0e+0}); ") +
                           FormattableString.Invariant($"a discriminator tells transformed from original inputs with accuracy {discriminator:0.00}") +
                           (discriminator > 0.6 ? " (transformed inputs are off the data distribution)." : " (indistinguishable).") +
                           (kept < 0.99 && clippedShare > 0 && keptWithoutClip >= 0.99
                               ? FormattableString.Invariant($" It breaks only through the force clip: the simulator clips each force component at ±{NBodySimulation.MaxForce:0} (the reference protocol), which a rotation does not commute with; {clippedShare:P1} of systems hit the clip, and {keptWithoutClip:P1} of the others keep the symmetry. Data simulated with --force-clip norm (the force's length limited instead) keeps it.")
                               : "");
            verdicts.Add(new SymmetryVerdict(candidate.Name, verdict, Math.Round(kept, 4), notes, candidate.Group));
        }
        return new DataSymmetryReport("nbody", verdicts, Recommend(verdicts, clippedShare));
    }

    private static string Recommend(IReadOnlyList<SymmetryVerdict> verdicts, double clippedShare)
    {
        bool Exact(string name) => verdicts.Any(v => v.Name == name && v.Verdict == "exact");
        string permutations = Exact("particle permutations") ? ", and permutations of the particles are exact" : "";
        if (Exact("rotations") && Exact("reflections") && Exact("translations"))
            return $"E(3) — rotations, reflections and translations — is an exact symmetry of the task{permutations}: " +
                   "train `egnn` (E(3)- and permutation-equivariant); for a plain model use --strategy frame-average (exact) or augment.";
        var rotation = verdicts.First(v => v.Name == "rotations");
        if (Exact("translations") && rotation.Verdict == "approximate" && rotation.Score >= 0.75 && clippedShare > 0)
            return FormattableString.Invariant(
                $"E(3) holds for {rotation.Score:P0} of systems and breaks only in close encounters, where the simulator clips force components{permutations}: ") +
                   "an E(3)-equivariant model (`egnn`) is still the first choice — it is exact wherever the data is — while augment or a soft-equivariant " +
                   "model could also fit the clipped encounters; frame-average makes a plain model equivariant.";
        var present = verdicts.Where(v => v.Verdict != "absent" && !v.Name.Contains("control", StringComparison.Ordinal)).Select(v => $"{v.Name} ({v.Verdict})");
        return $"E(3) is not an exact symmetry of this data; kept: {string.Join(", ", present)}. An exactly equivariant model would be " +
               "wrong where the symmetry breaks: prefer augmentation with the kept transformations, or a soft-equivariant model.";
    }

    private static (Tensor, Tensor, Tensor, Func<Tensor, Tensor>) Orthogonal(Tensor x, Tensor v, Tensor q, Random random, bool proper)
    {
        // Haar-random rotations (Rotations3D), times −I for the reflections (det −1).
        var b = (int)x.shape[0];
        var values = new double[b * 9];
        for (var s = 0; s < b; s++)
        {
            var r = Groups.Rotations3D.Random(random);
            for (var i = 0; i < 9; i++) values[s * 9 + i] = r[i / 3, i % 3];
        }
        var rotation = tensor(values, new long[] { b, 3, 3 }, ScalarType.Float64);
        var g = proper ? rotation : -rotation;
        Tensor Act(Tensor t) => t.MatMulChecked(g.transpose(1, 2));
        return (Act(x), Act(v), q, Act);
    }

    private static Tensor Gaussian(Random random, params long[] shape)
    {
        var values = new double[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++) values[i] = GaussianSampler.Next(random);
        return tensor(values, shape, ScalarType.Float64);
    }

    private static int[] Shuffle(Random random, int n)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }

    private static Tensor Pack(Tensor x, Tensor v, Tensor q) => cat(new[] { x, v, q }, 2).flatten(1).to_type(ScalarType.Float32);

    /// <summary>Held-out accuracy of an MLP (2 × 64, Adam, 300 steps) telling <paramref name="original"/> from
    /// <paramref name="transformed"/> rows, trained on the first half of each and tested on the second.</summary>
    internal static double Discriminate(Tensor original, Tensor transformed, int seed)
    {
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var half = original.shape[0] / 2;
        var features = original.shape[1];
        var trainX = cat(new[] { original.narrow(0, 0, half), transformed.narrow(0, 0, half) });
        var trainY = cat(new[] { zeros(half), ones(half) });
        var testX = cat(new[] { original.narrow(0, half, original.shape[0] - half), transformed.narrow(0, half, transformed.shape[0] - half) });
        var testY = cat(new[] { zeros(original.shape[0] - half), ones(transformed.shape[0] - half) });
        var mean = trainX.mean(new long[] { 0 }, keepdim: true);
        var std = trainX.std(0, keepdim: true).clamp_min(1e-6);
        using var model = nn.Sequential(nn.Linear(features, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1));
        // 300 full-batch steps of Adam at 3·10⁻³.
        var inputs = (trainX - mean) / std;
        new Trainer(new TrainerOptions(300, null, 3e-3, seed)).Fit(model, (int)trainX.shape[0], (_, _) =>
            nn.functional.binary_cross_entropy_with_logits(model.forward(inputs).squeeze(1), trainY));
        using var noGrad = no_grad();
        var predicted = model.forward((testX - mean) / std).squeeze(1).gt(0).to_type(ScalarType.Float32);
        return predicted.eq(testY).to_type(ScalarType.Float32).mean().ToDoubleChecked();
    }
}
