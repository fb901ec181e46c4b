using System.Text.RegularExpressions;
using Noether.Data;
using Noether.Nn.Common;
using Noether.Runtime;
using Noether.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Tests.Training;

/// <summary>The one training loop: learning, determinism, resumption, best-validation selection, early stopping,
/// schedules, progress, and that no other loop exists in the library.</summary>
[Collection("NoParallel")] // sets the global seed
public class TrainerTests
{
    private static readonly RingPatterns Ring = new(sites: 8, classes: 2, noise: 0.1);

    /// <summary>Cross-entropy on the ring task, with a random sign flip of every input (an augmentation that draws from
    /// both of the step's random sources) so that resumption must reproduce the draws too.</summary>
    private static BatchLoss Loss(Module<Tensor, Tensor> model, LabeledSet train) => (index, step) =>
    {
        var x = train.Inputs.index_select(0, index);
        var roll = step.Random.Next(8);
        var noise = 0.01 * randn(x.shape, generator: step.Generator);
        return functional.cross_entropy(model.forward(x.roll(roll, 1) + noise), train.Labels.index_select(0, index));
    };

    private static Mlp Model()
    {
        TorchRuntime.Seed(5);
        return new Mlp(8, new[] { 32 }, 2);
    }

    [Fact]
    public void Fit_LearnsAnEasyTask_AndIsDeterministic()
    {
        using var train = Ring.Sample(200, seed: 1);
        using var test = Ring.Sample(500, seed: 2);
        (double Accuracy, double Loss) Run()
        {
            using var model = Model();
            var outcome = new Trainer(new TrainerOptions(30, 32, 3e-3, Seed: 3)).Fit(model, train.Count, Loss(model, train));
            Assert.False(model.training);
            Assert.Equal(30, outcome.History.Count);
            return (Metrics.Accuracy(model, test), outcome.FinalLoss);
        }
        var first = Run();
        Assert.True(first.Accuracy > 0.9, $"accuracy {first.Accuracy}");
        Assert.Equal(first, Run());
    }

    [Fact]
    public void Options_RejectBadValues_WithTheirName()
    {
        Assert.Contains("Epochs", Assert.Throws<ArgumentException>(() => new TrainerOptions(0, 8, 1e-3, 0).Validate()).Message);
        Assert.Throws<ArgumentException>(() => new TrainerOptions(TrainerOptions.MaxEpochs + 1, 8, 1e-3, 0).Validate());
        Assert.Contains("Batch size", Assert.Throws<ArgumentException>(() => new TrainerOptions(1, 0, 1e-3, 0).Validate()).Message);
        Assert.Throws<ArgumentException>(() => new TrainerOptions(1, 8, double.NaN, 0).Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions(1, 8, -1, 0).Validate());
        Assert.Throws<ArgumentException>(() => new TrainerOptions(1, 8, 1e-3, 0) { Patience = 0 }.Validate());
        // Selection and early stopping need a validation metric; a model needs trainable parameters and data.
        using var model = Model();
        using var train = Ring.Sample(16, seed: 1);
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(1, 8, 1e-3, 0) { SelectBest = true }).Fit(model, 16, Loss(model, train)));
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(1, 8, 1e-3, 0)).Fit(model, 0, Loss(model, train)));
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("fused-adam")]
    public void Fit_ResumedAfterAnInterruption_EndsWithTheSameWeightsAsAnUninterruptedRun(string optimizer)
    {
        using var train = Ring.Sample(100, seed: 1);
        var directory = Path.Combine(Path.GetTempPath(), $"noether-trainer-{Guid.NewGuid():N}");
        try
        {
            TrainerOptions Options(string? state) => new(6, 16, 3e-3, Seed: 9)
            {
                Optimizer = optimizer == "adam" ? Optimizers.Adam() : Optimizers.FusedAdam(),
                Schedule = LearningRateSchedule.Cosine,
                StateDirectory = state,
                RunKey = "ring|test",
            };
            Tensor[] Weights(Module model) => model.parameters().Select(p => p.detach().clone()).ToArray();

            using var straight = Model();
            var full = new Trainer(Options(null)).Fit(straight, train.Count, Loss(straight, train));

            // The first attempt dies after its third epoch (the hook runs after that epoch's state is written).
            using (var first = Model())
                Assert.Throws<OperationCanceledException>(() => new Trainer(Options(directory)).Fit(first, train.Count, Loss(first, train),
                    new TrainingHooks { OnEpoch = m => { if (m.Epoch == 2) throw new OperationCanceledException(); } }));
            // A fresh process: a new model from the same seed, the same command.
            using var resumed = Model();
            var epochsRun = new List<int>();
            var outcome = new Trainer(Options(directory)).Fit(resumed, train.Count, Loss(resumed, train),
                new TrainingHooks { OnEpoch = m => epochsRun.Add(m.Epoch) });
            Assert.Equal(new[] { 3, 4, 5 }, epochsRun);
            Assert.Equal(full.History.Select(h => h.Loss), outcome.History.Select(h => h.Loss));
            foreach (var (a, b) in Weights(straight).Zip(Weights(resumed))) Assert.True(a.equal(b).all().ToBoolean());
            // Only the last epoch's files are kept.
            Assert.Single(Directory.GetFiles(directory, "weights-*.bin"));
            // A finished state is not trained again; a state of another run is refused, not resumed.
            using var again = Model();
            Assert.Equal(6, new Trainer(Options(directory)).Fit(again, train.Count, Loss(again, train)).History.Count);
            Assert.True(Weights(again)[0].equal(Weights(straight)[0]).all().ToBoolean());
            var other = Assert.Throws<ArgumentException>(() => new Trainer(Options(directory) with { RunKey = "ring|other" }).Fit(again, train.Count, Loss(again, train)));
            Assert.Contains("another run", other.Message);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Fit_CorruptState_IsAClearError()
    {
        using var train = Ring.Sample(32, seed: 1);
        var directory = Path.Combine(Path.GetTempPath(), $"noether-trainer-{Guid.NewGuid():N}");
        try
        {
            var options = new TrainerOptions(3, 16, 3e-3, 1) { StateDirectory = directory };
            using (var model = Model()) new Trainer(options with { Epochs = 3 }).Fit(model, train.Count, Loss(model, train));
            var weights = Directory.GetFiles(directory, "weights-*.bin").Single();
            File.WriteAllBytes(weights, File.ReadAllBytes(weights).Take(40).ToArray());
            using var again = Model();
            var error = Assert.Throws<InvalidDataException>(() => new Trainer(options).Fit(again, train.Count, Loss(again, train)));
            Assert.Contains(Path.GetFileName(weights), error.Message);
            File.WriteAllText(Path.Combine(directory, "state.json"), "{ not json");
            Assert.Throws<InvalidDataException>(() => new Trainer(options).Fit(again, train.Count, Loss(again, train)));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void SelectBest_RestoresTheWeightsOfTheBestValidationEpoch_AndPatienceStopsEarly()
    {
        using var train = Ring.Sample(64, seed: 1);
        using var model = Model();
        // A made-up validation curve: best after the second epoch, then worse.
        var curve = new[] { 0.5, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9 };
        Tensor? atBest = null;
        int calls = 0;
        var outcome = new Trainer(new TrainerOptions(8, 16, 1e-2, 2) { SelectBest = true, Patience = 3 }).Fit(model, train.Count, Loss(model, train),
            new TrainingHooks
            {
                Validate = _ => curve[calls++],
                OnEpoch = m => { if (m.Epoch == 1) atBest = model.parameters().First().detach().clone(); },
            });
        Assert.Equal(1, outcome.BestEpoch);
        Assert.Equal(0.2, outcome.BestValidation);
        Assert.True(outcome.StoppedEarly);
        Assert.Equal(5, outcome.History.Count);                     // epochs 0–4: three without improvement after epoch 1
        Assert.Equal(TimeSpan.Zero, outcome.History[^1].Remaining);
        Assert.True(model.parameters().First().equal(atBest!).all().ToBoolean());
    }

    [Fact]
    public void Progress_CountsEpochsFromZero_WithTheTotalAndTimeLeft()
    {
        using var train = Ring.Sample(64, seed: 1);
        using var model = Model();
        var seen = new List<EpochMetrics>();
        new Trainer(new TrainerOptions(4, 16, 1e-3, 0)).Fit(model, train.Count, Loss(model, train),
            new TrainingHooks { EquivarianceError = _ => 0.25, OnEpoch = seen.Add });
        Assert.Equal(new[] { 0, 1, 2, 3 }, seen.Select(m => m.Epoch));
        Assert.All(seen, m => Assert.Equal(4, m.Epochs));
        Assert.All(seen, m => Assert.Equal(0.25, m.EquivarianceError));
        Assert.All(seen, m => Assert.True(m.Remaining >= TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, seen[^1].Remaining);
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.Second.Elapsed >= p.First.Elapsed));
    }

    [Fact]
    public void CosineSchedule_DecaysFromTheRateToNearZero()
    {
        var options = new TrainerOptions(10, 8, 2e-3, 0) { Schedule = LearningRateSchedule.Cosine };
        Assert.Equal(2e-3, options.LearningRateAt(0), 15);
        Assert.Equal(1e-3, options.LearningRateAt(5), 15);
        Assert.Equal(2e-3 * (1 + Math.Cos(Math.PI * 9 / 10)) / 2, options.LearningRateAt(9), 15);
        Assert.Equal(2e-3, new TrainerOptions(10, 8, 2e-3, 0).LearningRateAt(9));
    }

    [Fact]
    public void Fit_NonFiniteLoss_StopsWithAClearError()
    {
        using var train = Ring.Sample(16, seed: 1);
        using var model = Model();
        var error = Assert.Throws<ArithmeticException>(() => new Trainer(new TrainerOptions(2, 8, 1e-3, 0)).Fit(model, train.Count,
            (index, _) => model.forward(train.Inputs.index_select(0, index)).sum() * double.NaN));
        Assert.Contains("epoch 1", error.Message);
    }

    [Fact]
    public void TypedFit_AppliesTheDeclaredAugmentation_OnlyUnderAugment()
    {
        using var train = Ring.Sample(64, seed: 1);
        int applied = 0;
        var augmentation = new Noether.Symmetrize.Augmentation<(Tensor X, Tensor Y)>("C8 (one roll per batch)", (batch, random, _) =>
        {
            applied++;
            return (batch.X.roll(random.Next(8), 1), batch.Y);
        });
        double Run(Strategy strategy)
        {
            using var model = Model();
            var options = new TrainerOptions(2, 16, 1e-2, 3) { Strategy = strategy };
            var outcome = new Trainer(options).Fit(model, train.Count, index => (X: train.Inputs.index_select(0, index), Y: train.Labels.index_select(0, index)),
                (batch, _) => functional.cross_entropy(model.forward(batch.X), batch.Y), augmentation);
            return outcome.History[^1].Loss;
        }
        double plain = Run(Strategy.None);
        Assert.Equal(0, applied);
        double augmented = Run(Strategy.Augment);
        Assert.Equal(2 * 4, applied);               // every batch of both epochs
        Assert.NotEqual(plain, augmented);
        Assert.Equal(augmented, Run(Strategy.Augment));   // drawn from the step's seeded generators only

        // Augment without a declared augmentation, or through the untyped loss, is refused before any step.
        using var model = Model();
        var augment = new Trainer(new TrainerOptions(1, 16, 1e-2, 3) { Strategy = Strategy.Augment });
        var error = Assert.Throws<ArgumentException>(() => augment.Fit(model, train.Count, index => train.Inputs.index_select(0, index),
            (x, _) => model.forward(x).sum(), augmentation: null));
        Assert.Contains("augmentation", error.Message);
        Assert.Throws<ArgumentException>(() => augment.Fit(model, train.Count, (index, _) => model.forward(train.Inputs.index_select(0, index)).sum()));
    }

    /// <summary>"One Trainer": outside the Trainer, no file of the library steps an optimizer, clears gradients or calls
    /// backward. (The optimizers themselves implement Step/ZeroGrad; they call nothing.)</summary>
    [Fact]
    public void Library_HasExactlyOneTrainingLoop()
    {
        var source = Path.Combine(RepositoryRoot(), "src");
        var call = new Regex(@"\.(step|Step|zero_grad|ZeroGrad|backward)\(");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileName(f) is not ("Trainer.cs" or "Optimizers.cs"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => call.IsMatch(x.line) && !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(source, x.f)}:{x.i + 1}: {x.line.Trim()}").ToArray();
        Assert.True(offenders.Length == 0, "training code outside the Trainer:\n" + string.Join("\n", offenders));
        // The check itself would catch one.
        Assert.Matches(call, "optimizer.step();");
        Assert.Matches(call, "loss.backward();");
    }

    /// <summary>"Strategies applied once": no file of the library but the Trainer decides whether to augment a batch; a
    /// task declares its group action (<c>Augmentation</c>) and the Trainer applies it under strategy augment.</summary>
    [Fact]
    public void Library_AppliesAugmentationOnlyInTheTrainer()
    {
        var source = Path.Combine(RepositoryRoot(), "src");
        var decision = new Regex(@"(==|!=|\bis)\s*(Strategy\.Augment\b|""augment"")|bool\s+augment\b");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileName(f) is not "Trainer.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => decision.IsMatch(x.line) && !x.line.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(x => $"{Path.GetRelativePath(source, x.f)}:{x.i + 1}: {x.line.Trim()}").ToArray();
        Assert.True(offenders.Length == 0, "augmentation decided outside the Trainer:\n" + string.Join("\n", offenders));
        Assert.Matches(decision, "bool augment = options.Strategy == Strategy.Augment;");
        Assert.Matches(decision, "if (options.Strategy == \"augment\")");
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Noether.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Noether.sln not found above " + AppContext.BaseDirectory);
    }
}
