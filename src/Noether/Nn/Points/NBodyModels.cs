using Noether.Nn.Common;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Points;

/// <summary>The plain models of the N-body task: packed particle states (B, N, 7) = (x, v, q) → predicted
/// positions (B, N, 3), each fed the inputs it expects.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>egnn</c>: <see cref="Egnn"/> with velocities, node feature ‖v‖, edge attributes (q_i q_j, ‖x_i − x_j‖²); E(3)-equivariant.</item>
/// <item><c>gnn</c>: <see cref="PointGnn"/> on (x, v, q) with edge attribute q_i q_j, predicting x + Δ; not rotation equivariant.</item>
/// <item><c>mlp</c>: <see cref="Mlp"/> on the flattened states, predicting x + Δ; no symmetry.</item>
/// <item><c>linear</c>: <see cref="LinearDynamics"/>, x + t v; E(3)-equivariant.</item>
/// </list>
/// The public face is <c>Symmetrize.NBodyPredictor</c>, which owns the model and can run it in the frames of its
/// input; the models themselves know nothing of frames.
/// </remarks>
internal static class NBodyModels
{
    /// <summary>The model names.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "egnn", "gnn", "mlp", "linear" };

    /// <summary>Creates model <paramref name="kind"/> for systems of <paramref name="particles"/> particles.</summary>
    /// <param name="kind">the model name (<see cref="Names"/>).</param>
    /// <param name="particles">particles per system.</param>
    /// <param name="hidden">hidden width.</param>
    /// <param name="layers">message-passing layers.</param>
    public static Module Create(string kind, int particles, int hidden, int layers) => kind switch
    {
        "egnn" => new Egnn(1, 2, hidden, layers, velocity: true),
        "gnn" => new PointGnn(7, 1, hidden, layers, 3),
        "mlp" => new Mlp(7 * particles, new[] { hidden * 4, hidden * 4 }, 3 * particles),
        "linear" => new LinearDynamics(),
        _ => throw new ArgumentException($"Unknown N-body model '{kind}'; models: {string.Join(", ", Names)}.", nameof(kind)),
    };

    /// <summary>Predicted positions (B, N, 3) of a model made by <see cref="Create"/>.</summary>
    /// <param name="model">the model.</param>
    /// <param name="states">(B, N, 7): positions, velocities, charge.</param>
    /// <param name="particles">N, as the model was created for.</param>
    public static Tensor Predict(Module model, Tensor states, int particles)
    {
        using var scope = torch.NewDisposeScope();
        var x = states.narrow(2, 0, 3);
        var v = states.narrow(2, 3, 3);
        var q = states.narrow(2, 6, 1);
        var b = states.shape[0];
        var product = q.unsqueeze(2) * q.unsqueeze(1);
        var result = model switch
        {
            Egnn egnn => egnn.Forward(v.norm(2, keepdim: true), x,
                v, torch.cat(new[] { product, (x.unsqueeze(2) - x.unsqueeze(1)).square().sum(-1, keepdim: true) }, -1)).Positions,
            PointGnn gnn => x + gnn.Forward(states, product),
            Mlp mlp => x + mlp.forward(states.reshape(b, -1)).view(b, particles, 3),
            LinearDynamics linear => linear.Forward(x, v),
            _ => throw new InvalidOperationException(),
        };
        return result.MoveToOuterDisposeScope();
    }
}
