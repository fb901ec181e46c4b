using Noether.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary>Where an equivariant batch norm takes its statistics: channels are split into variance groups
/// (one variance and one scale each), and the mean lives in a subspace spanned by the columns of
/// <see cref="MeanBasis"/> (the invariant directions), with coordinates read off by <see cref="MeanCoefficients"/>.</summary>
/// <param name="GroupOf">for each channel, its variance group.</param>
/// <param name="GroupSize">channels per variance group.</param>
/// <param name="MeanBasis">E, channels × means: the mean vector is E·m (null: no mean is subtracted).</param>
/// <param name="MeanCoefficients">A, means × channels: m = A·(per-channel mean); E·A is the projection onto the invariant subspace.</param>
internal sealed record BatchNormLayout(long[] GroupOf, float[] GroupSize, double[,]? MeanBasis, double[,]? MeanCoefficients)
{
    public int Groups => GroupSize.Length;
    public int Means => MeanBasis?.GetLength(1) ?? 0;
}

/// <summary>The batch-norm arithmetic shared by <see cref="InnerBatchNorm"/>, <see cref="NormBatchNorm"/> and
/// <see cref="IIDBatchNorm"/>: they differ only in their <see cref="BatchNormLayout"/>.</summary>
/// <remarks>
/// Training: m = A·mean_{b,y,x}(x), x̂ = x − E·m, v_g = mean over the batch, the pixels and the channels of
/// group g of x̂², out = x̂ · w_g/√(v_g + ε) + E·β; the running statistics move by
/// r ← (1 − momentum)·r + momentum·stat, the variance with Bessel's correction n/(n − 1), n = batch·H·W·|g|
/// (as BatchNorm2d). Eval: the same with the running m and v. Buffers and parameters are looked up by name
/// each call, because <c>Module.to</c> replaces them.
/// </remarks>
internal static class BatchStatistics
{
    public static void Register(Module module, BatchNormLayout layout, bool affine)
    {
        module.register_buffer("group_of", tensor(layout.GroupOf).DetachFromDisposeScope(), persistent: false);
        module.register_buffer("group_size", tensor(layout.GroupSize).DetachFromDisposeScope(), persistent: false);
        module.register_buffer("running_var", ones(layout.Groups).DetachFromDisposeScope());
        if (layout.Means > 0)
        {
            // Kept in float64 (cast at use) so that a float64 module projects exactly onto the invariant subspace.
            module.register_buffer("mean_basis", tensor(layout.MeanBasis!).DetachFromDisposeScope(), persistent: false);
            module.register_buffer("mean_coefficients", tensor(layout.MeanCoefficients!).DetachFromDisposeScope(), persistent: false);
            module.register_buffer("running_mean", zeros(layout.Means).DetachFromDisposeScope());
        }
        if (affine)
        {
            module.register_parameter("weight", new Parameter(ones(layout.Groups).DetachFromDisposeScope()));
            // The bias lives in the invariant subspace only: a bias elsewhere would break equivariance.
            if (layout.Means > 0) module.register_parameter("bias", new Parameter(zeros(layout.Means).DetachFromDisposeScope()));
        }
    }

    public static Tensor Forward(Module module, Tensor x, double momentum, double eps, bool affine)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], channels = x.shape[1], pixels = x.shape[2] * x.shape[3];
        var dtype = x.dtype;
        var groupOf = module.get_buffer("group_of")!;
        var groupSize = module.get_buffer("group_size")!.to(dtype);
        var basis = module.get_buffer("mean_basis")?.to(dtype);
        var runningVar = module.get_buffer("running_var")!;
        var runningMean = module.get_buffer("running_mean");
        var spatial = new long[] { 0, 2, 3 };

        Tensor? mean;
        Tensor variance, centred;
        if (module.training)
        {
            mean = basis is null ? null : module.get_buffer("mean_coefficients")!.to(dtype).MatMulChecked(x.mean(spatial));
            centred = basis is null ? x : x - basis.MatMulChecked(mean!).view(1, channels, 1, 1);
            variance = zeros(groupSize.shape[0], dtype: dtype, device: x.device).index_add(0, groupOf, centred.square().mean(spatial), 1) / groupSize;
            using (no_grad())
            {
                var count = groupSize * (double)(batch * pixels);
                // n/(n − 1), and 1 when a group has a single sample (n − 1 clamped to 1).
                var unbiased = variance * (count / (count - 1).clamp_min(1));
                runningVar.mul_(1 - momentum).add_(unbiased.detach().to(runningVar.dtype), momentum);
                if (mean is not null) runningMean!.mul_(1 - momentum).add_(mean.detach().to(runningMean.dtype), momentum);
            }
        }
        else
        {
            mean = runningMean?.to(dtype);
            centred = basis is null ? x : x - basis.MatMulChecked(mean!).view(1, channels, 1, 1);
            variance = runningVar.to(dtype);
        }

        var scale = (variance + eps).rsqrt();
        if (affine) scale = scale * module.get_parameter("weight")!.to(dtype);
        var output = centred * scale.index_select(0, groupOf).view(1, channels, 1, 1);
        if (affine && basis is not null) output = output + basis.MatMulChecked(module.get_parameter("bias")!.to(dtype)).view(1, channels, 1, 1);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>In eval mode every one of these batch norms is a per-channel affine map; this is it as a
    /// plain <c>BatchNorm2d</c> (running mean = the invariant mean in channel coordinates, running variance
    /// and weight repeated over each group's channels).</summary>
    public static BatchNorm2d Export(Module module, long channels, double eps, bool affine)
    {
        var plain = BatchNorm2d(channels, eps: eps, affine: true);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var groupOf = module.get_buffer("group_of")!;
        var basis = module.get_buffer("mean_basis");
        var runningMean = basis is null ? zeros(channels) : basis.MatMulChecked(module.get_buffer("running_mean")!.to(basis.dtype));
        plain.running_mean!.copy_(runningMean.to(ScalarType.Float32));
        plain.running_var!.copy_(module.get_buffer("running_var")!.index_select(0, groupOf).to(ScalarType.Float32));
        var weight = affine ? module.get_parameter("weight")!.index_select(0, groupOf) : ones(channels);
        plain.weight!.copy_(weight.to(ScalarType.Float32));
        var bias = affine && basis is not null ? basis.MatMulChecked(module.get_parameter("bias")!.to(basis.dtype)) : zeros(channels);
        plain.bias!.copy_(bias.to(ScalarType.Float32));
        plain.eval();
        return plain;
    }

    public static void CheckHyperparameters(double momentum, double eps, string module)
    {
        if (!(momentum > 0 && momentum <= 1))
            throw new ArgumentException($"{module}: momentum must be in (0, 1]; got {momentum}.", nameof(momentum));
        if (!(eps > 0))
            throw new ArgumentException($"{module}: eps must be > 0; got {eps}.", nameof(eps));
    }
}
