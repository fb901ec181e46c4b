using Noether.Nn.Generic;
using Noether.Training;
using Noether.Training.Tasks;

namespace Noether.Tests.Training;

public class MatrixGroupTaskTests
{
    [Fact]
    public void InertiaTargets_AreSymmetric_WithTraceTwiceTheMomentSum()
    {
        // tr(Σ m(|r|²I − rrᵀ)) = 2 Σ m|r|².
        var (x, y) = MatrixGroupTask.O3Inertia.Generate(20, seed: 3);
        for (int s = 0; s < 20; s++)
        {
            double moment = 0;
            for (int i = 0; i < 5; i++)
            {
                double m = x[s * 20 + i];
                Assert.True(m > 0);
                double r2 = Enumerable.Range(0, 3).Sum(a => Math.Pow(x[s * 20 + 5 + 3 * i + a], 2));
                moment += m * r2;
            }
            Assert.Equal(2 * moment, y[s * 9] + y[s * 9 + 4] + y[s * 9 + 8], 10);
            Assert.Equal(y[s * 9 + 1], y[s * 9 + 3], 12);
            Assert.Equal(y[s * 9 + 5], y[s * 9 + 7], 12);
        }
    }

    [Fact]
    public void ModifiedInertia_AddsThreeTenthsOfTheZColumn()
    {
        var (_, plain) = MatrixGroupTask.O3Inertia.Generate(10, seed: 4);
        var (_, modified) = MatrixGroupTask.ModifiedInertia.Generate(10, seed: 4);
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(i % 3 == 2 ? 1.3 * plain[i] : plain[i], modified[i], 12);
    }

    [Fact]
    public void ModifiedInertia_SymmetryBreakingLevel_ScalesTheZColumnTerm_AndZeroIsTheExactInertiaTask()
    {
        var (xPlain, plain) = MatrixGroupTask.O3Inertia.Generate(10, seed: 4);
        var (xZero, zero) = MatrixGroupTask.ModifiedInertia.Generate(10, seed: 4, breaking: 0);
        var (_, strong) = MatrixGroupTask.ModifiedInertia.Generate(10, seed: 4, breaking: 0.5);
        Assert.Equal(xPlain, xZero);
        Assert.Equal(plain, zero);
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(i % 3 == 2 ? 1.5 * plain[i] : plain[i], strong[i], 12);
    }

    [Fact]
    public void O5Targets_MatchTheFormula()
    {
        var (x, y) = MatrixGroupTask.O5Invariant.Generate(3, seed: 5);
        var a = x.AsSpan(0, 5).ToArray();
        var b = x.AsSpan(5, 5).ToArray();
        double na = Math.Sqrt(a.Sum(v => v * v)), nb = Math.Sqrt(b.Sum(v => v * v));
        Assert.Equal(Math.Sin(na) - Math.Pow(nb, 3) / 2 + a.Zip(b, (p, q) => p * q).Sum() / (na * nb), y[0], 12);
    }

    [Fact]
    public void Emlp_TrainsOnInertia_AndStaysEquivariant_WhileRppIsBroken()
    {
        using var data = TaskCatalog.Get("o3-inertia").Load();
        using var emlp = data.Run(new TaskRunOptions("emlp", TrainSize: 30, Epochs: 2, Seed: 1));
        Assert.Equal("mse", emlp.Result.Metric);
        Assert.True(double.IsFinite(emlp.Result.Test));
        Assert.True(emlp.Result.EquivarianceError < 1e-5, $"{emlp.Result.EquivarianceError}");
        using var mlp = data.Run(new TaskRunOptions("mlp", "augment", TrainSize: 30, Epochs: 2, Seed: 1));
        Assert.True(mlp.Result.EquivarianceError > 1e-3);
    }

    [Fact]
    public void EmlpProtocol_TrainsForMin1000And900kOverNEpochs_WithADecayingRate_AndIsRecorded()
    {
        // The budgets of the EMLP authors' results file: 1,000 epochs up to n = 900, then 900,000 / n.
        Assert.Equal(1000, MatrixGroupTask.Epochs("emlp", 30, 5));
        Assert.Equal(1000, MatrixGroupTask.Epochs("emlp", 300, 5));
        Assert.Equal(900, MatrixGroupTask.Epochs("emlp", 1000, 5));
        Assert.Equal(300, MatrixGroupTask.Epochs("emlp", 3000, 5));
        Assert.Equal(90, MatrixGroupTask.Epochs("emlp", 10_000, 5));
        Assert.Equal(5, MatrixGroupTask.Epochs("", 30, 5));
        // A run follows it whatever --epochs says (n = 30,000 → 30 epochs).
        using var data = TaskCatalog.Get("o5-invariant").Load();
        var protocol = new Dictionary<string, string> { ["protocol"] = "emlp" };
        var losses = new List<double>();
        using var run = data.Run(new TaskRunOptions("mlp", TrainSize: 30_000, Epochs: 1, Seed: 0, Options: protocol), m => losses.Add(m.Loss));
        Assert.Equal(30, run.Result.Epochs);
        Assert.Equal(30, losses.Count);
        Assert.Equal("emlp", run.Extra["protocol"]!.GetValue<string>());
        // With the cosine decay the last epochs barely move: the loss change over the last 3 epochs is small next to the first 3.
        Assert.True(Math.Abs(losses[^1] - losses[^4]) < Math.Abs(losses[0] - losses[3]), string.Join(", ", losses.Select(l => l.ToString("G3"))));
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("mlp", TrainSize: 10, Epochs: 1,
            Options: new Dictionary<string, string> { ["protocol"] = "paper" })));
    }

    [Fact]
    public void LorentzScattering_StandardisesEachMomentum_ForEveryModel_AndStaysEquivariant()
    {
        // The momenta are N(0, 1/16) per component: each of the four fitted scales is near 1/4, and they are recorded.
        using var data = TaskCatalog.Get("lorentz-scattering").Load();
        foreach (var model in new[] { "emlp", "mlp" })
        {
            using var run = data.Run(new TaskRunOptions(model, TrainSize: 200, Epochs: 1, Seed: 3));
            var scales = run.Extra["input_scales"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.Equal(4, scales.Length);
            Assert.All(scales, s => Assert.InRange(s, 0.2, 0.3));
            Assert.IsType<BlockScaledInput>(run.Model);
            if (model == "emlp") Assert.True(run.Result.EquivarianceError < 1e-4, $"{run.Result.EquivarianceError}");
        }
        // Tasks whose inputs are already at unit scale are not wrapped.
        using var o5 = TaskCatalog.Get("o5-invariant").Load();
        using var plain = o5.Run(new TaskRunOptions("emlp", TrainSize: 20, Epochs: 1, Seed: 3));
        Assert.False(plain.Extra.ContainsKey("input_scales"));
        Assert.IsType<Emlp>(plain.Model);
    }

    [Fact]
    public void BadModelOrGroup_IsAnArgumentError()
    {
        using var data = TaskCatalog.Get("o5-invariant").Load();
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("cnn", TrainSize: 10, Epochs: 1)));
        var error = Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("emlp", TrainSize: 10, Epochs: 1,
            Options: new Dictionary<string, string> { ["group"] = "SO3" })));
        Assert.Contains("SO3", error.Message);
    }
}

/// <summary>--lr: draws from the global generator, so it runs outside the parallel collections (determinism is compared).</summary>
[Collection("NoParallel")]
public class MatrixGroupLearningRateTests
{
    [Fact]
    public void LearningRate_DefaultsTo3e3_IsUsedAndRecorded_AndMustBePositive()
    {
        using var data = TaskCatalog.Get("o3-inertia").Load();
        TaskRun Run(string? lr) => data.Run(new TaskRunOptions("mlp", TrainSize: 30, Epochs: 5, Seed: 2,
            Options: lr is null ? null : new Dictionary<string, string> { ["lr"] = lr }));
        using var byDefault = Run(null);
        using var explicitDefault = Run("3e-3");
        using var slower = Run("1e-3");
        Assert.Equal(byDefault.Result.Test, explicitDefault.Result.Test);
        Assert.NotEqual(byDefault.Result.Test, slower.Result.Test);
        Assert.Equal(1e-3, slower.Extra["lr"]!.GetValue<double>());
        Assert.Equal(3e-3, byDefault.Extra["lr"]!.GetValue<double>());   // the rate is recorded whether given or not
        // A vanishing rate leaves the model where it started: the training loss does not move.
        var losses = new List<double>();
        using var frozen = data.Run(new TaskRunOptions("mlp", TrainSize: 30, Epochs: 5, Seed: 2,
            Options: new Dictionary<string, string> { ["lr"] = "1e-30" }), m => losses.Add(m.Loss));
        Assert.All(losses, l => Assert.Equal(losses[0], l, 1e-6));
        foreach (var bad in new[] { "0", "-1e-3", "fast", "NaN" })
            Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("mlp", TrainSize: 10, Epochs: 1,
                Options: new Dictionary<string, string> { ["lr"] = bad })));
    }
}

/// <summary>--ensemble: compares runs that draw from the global generator, so it runs outside the parallel collections.</summary>
[Collection("NoParallel")]
public class MatrixGroupEnsembleTests
{
    [Fact]
    public void Ensemble_TrainsKMembersFromDifferentInitialisations_PredictsTheirMean_AndStaysEquivariant()
    {
        using var data = TaskCatalog.Get("lorentz-scattering").Load();
        TaskRun Run(string? members, int seed = 3) => data.Run(new TaskRunOptions("emlp", TrainSize: 40, Epochs: 3, Seed: seed,
            Options: members is null ? null : new Dictionary<string, string> { ["ensemble"] = members }));
        using var single = Run(null);
        using var one = Run("1");
        using var three = Run("3");
        // One member is the single model, unchanged.
        Assert.Equal(single.Result.Test, one.Result.Test);
        Assert.False(one.Extra.ContainsKey("ensemble"));
        // Three members: three times the parameters, recorded, and member 0 is the single model of the same seed.
        Assert.Equal(3, three.Extra["ensemble"]!.GetValue<int>());
        Assert.Equal(3 * single.Result.Params, three.Result.Params);
        var ensemble = Assert.IsType<EnsembleMean>(three.Model);
        Assert.Equal(3, ensemble.Members.Count);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var x = TorchSharp.torch.randn(8, 16) * 0.25;
        using (TorchSharp.torch.no_grad())
        {
            var outputs = ensemble.Members.Select(m => m.forward(x)).ToArray();
            Assert.True(outputs[0].allclose(((TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)single.Model!).forward(x)));
            Assert.False(outputs[0].allclose(outputs[1]));                                 // different initialisations
            Assert.True(ensemble.forward(x).allclose((outputs[0] + outputs[1] + outputs[2]) / 3, rtol: 1e-5, atol: 1e-6));
        }
        Assert.True(three.Result.EquivarianceError < 1e-4, $"{three.Result.EquivarianceError}");
        foreach (var bad in new[] { "0", "-2", "many", "1.5" })
            Assert.Throws<ArgumentException>(() => Run(bad));
    }

    [Fact]
    public void Ensemble_CheckpointRoundTrip_ChecksTheWholeEnsemble()
    {
        using var data = TaskCatalog.Get("o3-inertia").Load();
        var options = new Dictionary<string, string> { ["ensemble"] = "2" };
        using var run = data.Run(new TaskRunOptions("emlp", TrainSize: 20, Epochs: 2, Seed: 1, Options: options));
        var path = Path.Combine(Path.GetTempPath(), $"noether-ensemble-{Guid.NewGuid():N}.ckpt");
        try
        {
            Checkpoint.Save(run.Model!, path);
            var check = data.Check("emlp", path, options);
            Assert.True(check.EquivarianceError < 1e-4, $"{check.EquivarianceError}");
            // A checkpoint of two members does not load into one model.
            Assert.ThrowsAny<Exception>(() => data.Check("emlp", path, new Dictionary<string, string>()));
        }
        finally { File.Delete(path); }
    }
}
