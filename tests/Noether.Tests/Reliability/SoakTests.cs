using System.Globalization;
using System.Text.Json;
using Noether.Nn.Sets;
using Noether.Runtime;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Reliability;

/// <summary>A long run through the one Trainer: 10,000 steps of a small permutation-equivariant model (DeepSets with
/// FusedAdam), its native memory measured before, after a warm-up, every tenth of the run and at the end. Live tensors
/// must stay at exactly the count after warm-up and come back to the count before the run; the resident memory may grow by
/// at most <see cref="ResidentBound"/> from the warm-up to the end.</summary>
/// <remarks><c>NOETHER_SOAK_STEPS=N</c> runs N steps instead; <c>NOETHER_SOAK_REPORT=FILE</c> appends the measurements as a
/// JSON line (what <c>docs/results/reliability.md</c> records).</remarks>
[Collection("NoParallel")]
public sealed class SoakTests
{
    private const int DefaultSteps = 10_000;
    private const int StepsPerEpoch = 10;
    private const long ResidentBound = 32L << 20;

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return -1;
    }

    [Fact]
    public void TenThousandTrainingSteps_KeepNativeMemoryFlat()
    {
        if (!OperatingSystem.IsLinux()) return; // resident memory is read from /proc
        int steps = int.TryParse(Environment.GetEnvironmentVariable("NOETHER_SOAK_STEPS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1000
            ? n : DefaultSteps;
        const int batch = 16, examples = batch * StepsPerEpoch, elements = 8;
        using var model = TorchRuntime.WithSeed(5, () => new DeepSets(3, new[] { 32, 32 }, new[] { 32 }, 1));
        var generator = new Generator(7);
        using var features = randn(new long[] { examples, elements, 3 }, generator: generator);
        using var mask = ones(new long[] { examples, elements }, dtype: ScalarType.Bool);
        using var targets = features.pow(2).sum(new long[] { 1, 2 }).unsqueeze(1);

        // The allocators settle in the first tenth of the run (glibc's arenas, libtorch's caches): measure from a fifth.
        int warmupEpochs = Math.Max(1, steps / StepsPerEpoch / 5);
        var resident = new List<(int Epoch, long Bytes, long Live)>();
        long liveAfterWarmup = 0, residentAfterWarmup = 0;
        var hooks = new TrainingHooks
        {
            OnEpoch = m =>
            {
                bool warmedUp = m.Epoch == warmupEpochs, sample = m.Epoch % Math.Max(1, m.Epochs / 10) == 0;
                if (!warmedUp && !sample) return;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                if (warmedUp)
                {
                    liveAfterWarmup = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
                    residentAfterWarmup = ResidentBytes();
                }
                if (sample) resident.Add((m.Epoch, ResidentBytes(), DisposeScopeManager.Statistics.ThreadTotalLiveCount));
            },
        };
        Tensor Loss(Tensor index, StepContext _) =>
            nn.functional.mse_loss(model.forward(features.index_select(0, index), mask.index_select(0, index)), targets.index_select(0, index));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var trainer = new Trainer(new TrainerOptions(steps / StepsPerEpoch, batch, 1e-3, Seed: 0) { Optimizer = Optimizers.FusedAdam() });
        var outcome = trainer.Fit(model, examples, Loss, hooks);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long liveAtEnd = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long residentAtEnd = ResidentBytes();

        var file = Environment.GetEnvironmentVariable("NOETHER_SOAK_REPORT");
        if (!string.IsNullOrWhiteSpace(file))
            File.AppendAllText(file, JsonSerializer.Serialize(new
            {
                steps,
                model = "DeepSets(3 -> [32,32] -> sum -> [32] -> 1), FusedAdam, batch 16",
                live_tensors_before = liveBefore,
                live_tensors_after_warmup = liveAfterWarmup,
                live_tensors_at_end = liveAtEnd,
                resident_after_warmup_bytes = residentAfterWarmup,
                resident_at_end_bytes = residentAtEnd,
                by_epoch = resident.Select(r => new { epoch = r.Epoch, resident_bytes = r.Bytes, live_tensors = r.Live }).ToArray(),
                final_loss = outcome.History[^1].Loss,
            }) + "\n");

        Assert.True(double.IsFinite(outcome.History[^1].Loss) && outcome.History[^1].Loss < outcome.History[0].Loss,
            $"the model did not train: loss {outcome.History[0].Loss} → {outcome.History[^1].Loss}");
        // Every step frees what it made: the live tensors during training stay at the count after warm-up, and after the
        // run exactly the tensors that existed before it are alive (the optimizer's flat buffers and every handle it
        // made are freed; FusedAdam once left 16 to 24 handles per run behind).
        Assert.All(resident.Where(r => r.Epoch >= warmupEpochs), r => Assert.Equal(liveAfterWarmup, r.Live));
        Assert.Equal(liveBefore, liveAtEnd);
        Assert.True(residentAtEnd - residentAfterWarmup <= ResidentBound,
            $"resident memory grew by {(residentAtEnd - residentAfterWarmup) / 1048576.0:F1} MiB over {steps:N0} steps (bound {ResidentBound >> 20} MiB): " +
            string.Join(", ", resident.Select(r => $"epoch {r.Epoch}: {r.Bytes / 1048576.0:F1} MiB")));
    }
}
