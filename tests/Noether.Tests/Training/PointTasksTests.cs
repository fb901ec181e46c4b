using Noether.Equivariance;
using Noether.Representations;
using Noether.Symmetrize;
using Noether.Training;
using Noether.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Training;

[Collection("NoParallel")] // seeds the global torch generator, then draws from it
public class PointTasksTests
{
    [Fact]
    public void Catalog_ListsThePointTasks_WithTheirModels()
    {
        Assert.Equal(new[] { "egnn", "gnn", "mlp", "linear" }, TaskCatalog.Get("nbody").Info.Models);
        Assert.Contains("tensor-field", TaskCatalog.Get("tetris").Info.Models);
        Assert.Equal("force_mae", TaskCatalog.Get("lj-cluster").Info.Metric);
    }

    [Fact]
    public void LennardJones_SymmetrizedMlp_MovesTowardsEquivariance_AsTheSamplesGrow_AndTheTensorFieldStaysExact()
    {
        using var scope = NewDisposeScope();
        int atoms = Noether.Data.LennardJonesClusters.MaxAtoms;
        var positions = torch.randn(new long[] { 6, atoms, 3 }, generator: new Generator(3));
        var packed = torch.cat(new[] { positions, torch.ones(6, atoms, 1) }, 2);
        double Error(LennardJonesTask.ForceModel model) =>
            EquivarianceCheck.Run(model.forward, new IrrepsAction(1, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), packed, samples: 6, seed: 5).MeanRelativeError;
        double ErrorOf(string kind, int samples)
        {
            torch.manual_seed(11);
            using var model = new LennardJonesTask.ForceModel(kind, samples, seed: 2);
            model.eval();
            return Error(model);
        }
        double plain = ErrorOf("mlp", 0), few = ErrorOf("mlp", 8), many = ErrorOf("mlp", 256);
        Assert.True(many < few && few < plain, $"plain {plain}, 8 samples {few}, 256 samples {many}");
        Assert.True(many < 0.3 * plain, $"plain {plain}, 256 samples {many}");
        Assert.True(ErrorOf("tensor-field", 4) < 1e-5);   // averaging an equivariant model keeps it exact
    }

    [Theory]
    [InlineData("egnn", true)]
    [InlineData("linear", true)]
    [InlineData("gnn", false)]
    [InlineData("mlp", false)]
    public void NBodyModels_AreE3Equivariant_ExactlyWhenClaimed(string kind, bool equivariant)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(40);
        using var model = new NBodyPredictor(kind, hidden: 16, layers: 2);
        // Train the linear model's time away from 0 so that velocities matter.
        foreach (var p in model.parameters()) p.requires_grad_(false).add_(0.3);
        var states = torch.randn(8, 5, 7);
        var report = EquivarianceCheck.Run(model.forward, new IrrepsAction(2, Irreps.Parse("0e")), new IrrepsAction(1, Irreps.Empty), states, samples: 6, seed: 41);
        if (equivariant) Assert.True(report.MaxRelativeError < 1e-5, report.ToString());
        else Assert.True(report.MeanRelativeError > 1e-3, report.ToString());
    }

    [Fact]
    public void NBodyPredictor_RejectsUnknownModelAndBadShapes()
    {
        Assert.Contains("egnn", Assert.Throws<ArgumentException>(() => new NBodyPredictor("transformer")).Message);
        using var model = new NBodyPredictor("linear");
        using var bad = torch.zeros(2, 4, 7);
        Assert.Throws<ArgumentException>(() => model.forward(bad));
    }

    [Fact]
    public void Tetris_TensorField_IsO3Equivariant_AndLearnsTheShapesIncludingTheMirrorPair()
    {
        using var data = TaskCatalog.Get("tetris").Load();
        using var run = data.Run(new TaskRunOptions("tensor-field", "none", Epochs: 60, Seed: 1));
        Assert.True(run.Result.EquivarianceError < 1e-5, run.Result.EquivarianceError.ToString("G3"));
        // Trained on one orientation, tested on random rotations: equivariance carries it over.
        Assert.True(run.Result.Test > 0.9, $"accuracy {run.Result.Test}");
        var check = data.Check("tensor-field", null);
        Assert.True(check.EquivarianceError < 1e-5, check.EquivarianceError.ToString("G3"));
        Assert.Throws<ArgumentException>(() => data.Run(new TaskRunOptions("tensor-field", "frame-average", Epochs: 1)));
    }

    [Fact]
    public void LennardJones_ForceModels_RotateForcesExactlyOnlyForTheEnergyModel()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(42);
        using var set = Noether.Data.LennardJonesClusters.Generate(2, seed: 43);
        var packed = torch.cat(new[] { set.Positions, set.Mask.unsqueeze(-1) }, 2);
        using var tfn = new LennardJonesTask.ForceModel("tensor-field");
        using var mlp = new LennardJonesTask.ForceModel("mlp");
        var action = new IrrepsAction(1, Irreps.Parse("0e"));
        var output = new IrrepsAction(1, Irreps.Empty);
        Assert.True(EquivarianceCheck.Run(tfn.forward, action, output, packed, samples: 2, seed: 44).MaxRelativeError < 1e-5);
        Assert.True(EquivarianceCheck.Run(mlp.forward, action, output, packed, samples: 4, seed: 44).MeanRelativeError > 1e-2);
    }
}
