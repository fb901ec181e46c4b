using Noether.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Noether.Training;

/// <summary>Adam (Kingma and Ba 2015, with PyTorch's L2 weight decay and bias correction) on all parameters at once:
/// the parameters and their gradients are made views of two flat buffers, so one step is a handful of tensor
/// operations however many parameter tensors the model has.</summary>
/// <remarks>
/// <para>Same updates as <c>torch.optim.Adam</c> (tested): g ← ∇ + λθ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε). For small models (the EGNN of the N-body task has 62
/// parameter tensors) the per-tensor loop of <c>torch.optim.Adam</c> — about ten native calls per tensor — costs
/// more than the arithmetic; here a step is about ten calls in all.</para>
/// <para>The constructor moves each parameter's data into the flat buffer (values unchanged) and gives it a gradient
/// that is a view of the flat gradient, into which autograd accumulates in place. If something replaces a gradient
/// (e.g. a <c>zero_grad</c> that sets it to none), <see cref="Step"/> copies it back into the buffer. As with
/// <c>torch.optim</c>, create the optimizer after moving or converting the model: TorchSharp's <c>Module.to</c>
/// replaces the parameter objects.</para>
/// </remarks>
public sealed class FusedAdam : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _parameterViews, _gradientViews;
    private readonly Tensor _values, _gradients, _first, _second;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;
    private int _step;

    /// <summary>Learning rate (may be changed between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>Creates the optimizer over the parameters that require gradients (same dtype and device).</summary>
    public FusedAdam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "Learning rate must be ≥ 0.");
        if (!(beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (!(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be ≥ 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be ≥ 0.");
        (LearningRate, _beta1, _beta2, _epsilon, _weightDecay) = (learningRate, beta1, beta2, epsilon, weightDecay);
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("No parameter requires a gradient.", nameof(parameters));
        var (dtype, device) = (_parameters[0].dtype, _parameters[0].device);
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"FusedAdam takes float32 or float64 parameters; got {dtype}.", nameof(parameters));
        if (_parameters.Any(p => p.dtype != dtype || p.device.ToString() != device.ToString()))
            throw new ArgumentException($"All parameters must share one dtype and device; got {string.Join(", ", _parameters.Select(p => $"{p.dtype}@{p.device}").Distinct())}.", nameof(parameters));
        var total = _parameters.Sum(p => p.numel());
        _values = torch.empty(total, dtype: dtype, device: device);
        _gradients = torch.zeros(total, dtype: dtype, device: device);
        _first = torch.zeros(total, dtype: dtype, device: device);
        _second = torch.zeros(total, dtype: dtype, device: device);
        _parameterViews = new Tensor[_parameters.Length];
        _gradientViews = new Tensor[_parameters.Length];
        using var noGrad = torch.no_grad();
        long offset = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            var count = p.numel();
            // Every handle made here is disposed or kept: a narrow's handle, or the one `grad` returns on each read,
            // would otherwise stay alive until finalization, one set per optimizer (found by the soak test).
            using (var slice = _values.narrow(0, offset, count)) _parameterViews[i] = slice.view(p.shape);
            _parameterViews[i].copy_(p);
            p.set_(_parameterViews[i]);
            using (var slice = _gradients.narrow(0, offset, count)) _gradientViews[i] = slice.view(p.shape);
            using (var existing = p.grad)
                if (existing is not null) _gradientViews[i].copy_(existing);
            p.grad = _gradientViews[i];
            offset += count;
        }
    }

    /// <summary>Sets every gradient to zero (one operation).</summary>
    public void ZeroGrad()
    {
        using var noGrad = torch.no_grad();
        _gradients.zero_();
        RestoreGradients();
    }

    /// <summary>One Adam step on all parameters.</summary>
    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        RestoreGradients();
        _step++;
        var gradient = _weightDecay != 0 ? _gradients.add(_values, alpha: _weightDecay) : _gradients;
        _first.mul_(_beta1).add_(gradient, alpha: 1 - _beta1);
        _second.mul_(_beta2).addcmul_(gradient, gradient, value: 1 - _beta2);
        var correction1 = 1 - Math.Pow(_beta1, _step);
        var correction2 = 1 - Math.Pow(_beta2, _step);
        var denominator = _second.sqrt().div_(Math.Sqrt(correction2)).add_(_epsilon);
        _values.addcdiv_(_first, denominator, value: -LearningRate / correction1);
    }

    /// <summary>Puts back gradient views that something replaced, keeping the values autograd wrote there.</summary>
    private void RestoreGradients()
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is not null && TensorMemory.DataPointer(grad) == TensorMemory.DataPointer(_gradientViews[i])) continue;
            if (grad is null) _gradientViews[i].zero_();
            else _gradientViews[i].copy_(grad);
            _parameters[i].grad = _gradientViews[i];
        }
    }

    /// <summary>Writes the step count and both moments to <paramref name="path"/> (atomically).</summary>
    public void SaveState(string path) => TensorFile.Write(path, new[] { ("first", _first), ("second", _second) }, header: _step);

    /// <summary>Restores the state written by <see cref="SaveState"/> for the same parameters.</summary>
    public void LoadState(string path)
    {
        var step = TensorFile.Read(path, new[] { ("first", _first), ("second", _second) });
        if (step < 0 || step > int.MaxValue) throw new InvalidDataException($"'{path}' records an invalid step count {step}.");
        _step = (int)step;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _parameterViews.Concat(_gradientViews)) t.Dispose();
        foreach (var t in new[] { _values, _gradients, _first, _second }) t.Dispose();
    }
}
