using Noether.Equivariance;
using Noether.Groups;
using Noether.Nn.Common;
using Noether.Nn.Generic;
using Noether.Representations;
using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Tests.Nn.Generic;

[Collection("NoParallel")] // draws weights and inputs from the global torch generator after seeding it
public class EnsembleMeanTests
{
    [Fact]
    public void Forward_IsTheMeanOfTheMembersPredictions()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(31);
        var members = Enumerable.Range(0, 3).Select(_ => (nn.Module<Tensor, Tensor>)new Mlp(5, new[] { 7 }, 2)).ToArray();
        using var ensemble = new EnsembleMean(members);
        var x = randn(6, 5);
        var expected = (members[0].forward(x) + members[1].forward(x) + members[2].forward(x)) / 3;
        Assert.True(ensemble.forward(x).allclose(expected, rtol: 1e-6, atol: 1e-7));
        Assert.Equal(members.Sum(m => m.parameters().Sum(p => p.numel())), ensemble.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void EnsembleOfEmlps_OnLorentzMomenta_IsEquivariant_ForBoostsAndElementsNearTheIdentity()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(32);
        var g = MatrixGroup.Lorentz;
        var (rin, rout) = (TensorRepresentation.Parse("2V", g), TensorRepresentation.Parse("1+V", g));
        var hidden = TensorRepresentation.Parse("8+4V+2T(1,1)", g);
        using var ensemble = new EnsembleMean(Enumerable.Range(0, 3).Select(_ => (nn.Module<Tensor, Tensor>)new Emlp(rin, rout, hidden, 2)).ToArray());
        var elements = TestCases.MatrixGroupElements(g, seed: 33);    // random, a boost, near the identity
        var report = EquivarianceCheck.Run(ensemble.forward, new RepresentationAction(rin), new RepresentationAction(rout), randn(16, 8), elements);
        Assert.True(report.MeanRelativeError < 1e-5, report.ToString());
    }

    [Fact]
    public void BadMembers_GiveClearErrors()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("at least one member", Assert.Throws<ArgumentException>(() => new EnsembleMean(Array.Empty<nn.Module<Tensor, Tensor>>())).Message);
        using var mixed = new EnsembleMean(new nn.Module<Tensor, Tensor>[] { new Mlp(4, new[] { 3 }, 2), new Mlp(4, new[] { 3 }, 3) });
        var error = Assert.Throws<InvalidOperationException>(() => mixed.forward(randn(5, 4)));
        Assert.Contains("[5, 2]", error.Message);
        Assert.Contains("[5, 3]", error.Message);
    }
}
