using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Runtime;

/// <summary>Checked front doors to the TorchSharp calls whose native functions have no exception guard in TorchSharp
/// 0.107: a libtorch error inside them (a shape or dtype mismatch) unwinds through managed frames and ends the process,
/// even inside <c>try/catch</c>. These check what libtorch would refuse first and throw an
/// <see cref="ArgumentException"/> instead; Noether calls them, never the raw functions (a source-scan test).</summary>
/// <remarks>Unguarded upstream (found by disassembling <c>libLibTorchSharp.so</c>: no <c>__cxa_begin_catch</c> in the
/// function): <c>THSTensor_matmul</c> (<c>Tensor.matmul</c>, <c>torch.matmul</c>) and <c>THSAutograd_grad</c>
/// (<c>torch.autograd.grad</c>) among the calls Noether makes.</remarks>
public static class Guarded
{
    /// <summary><c>a.matmul(b)</c> after checking what libtorch checks: both at least 1-D, the same dtype and device,
    /// a's last axis as long as b's contracted axis, and broadcastable batch axes.</summary>
    /// <exception cref="ArgumentException">the shapes, dtypes or devices do not fit; the message gives both shapes.</exception>
    public static Tensor MatMulChecked(this Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string Shapes() => $"[{string.Join(", ", a.shape)}] ({a.dtype}) and [{string.Join(", ", b.shape)}] ({b.dtype})";
        if (a.dim() < 1 || b.dim() < 1) throw new ArgumentException($"matmul needs tensors of at least one axis; got {Shapes()}.", nameof(b));
        if (a.dtype != b.dtype) throw new ArgumentException($"matmul needs one dtype; got {Shapes()}.", nameof(b));
        if (a.device_type != b.device_type || a.device_index != b.device_index)
            throw new ArgumentException($"matmul needs one device; got {a.device} and {b.device}.", nameof(b));
        long contracted = b.dim() == 1 ? b.shape[0] : b.shape[^2];
        if (a.shape[^1] != contracted)
            throw new ArgumentException($"matmul contracts the last axis of the first tensor with the {(b.dim() == 1 ? "only" : "second-to-last")} axis of the second; got {Shapes()}.", nameof(b));
        var batchA = a.dim() > 2 ? a.shape[..^2] : Array.Empty<long>();
        var batchB = b.dim() > 2 ? b.shape[..^2] : Array.Empty<long>();
        for (int i = 1; i <= Math.Min(batchA.Length, batchB.Length); i++)
        {
            long x = batchA[^i], y = batchB[^i];
            if (x != y && x != 1 && y != 1)
                throw new ArgumentException($"matmul's batch axes do not broadcast; got {Shapes()}.", nameof(b));
        }
        return a.matmul(b);
    }

    /// <summary><c>torch.matmul(a, b)</c>, checked as <see cref="MatMulChecked"/>.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) => MatMulChecked(a, b);

    /// <summary><c>torch.autograd.grad</c> after checking that every output is part of a graph (requires grad) and every
    /// input requires grad, and that the given output gradients match the outputs' shapes.</summary>
    /// <exception cref="ArgumentException">an output or input is not in a graph, or a gradient's shape does not fit.</exception>
    public static IList<Tensor> Grad(IList<Tensor> outputs, IList<Tensor> inputs, IList<Tensor>? gradOutputs = null,
        bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < outputs.Count; i++)
            if (outputs[i] is null || !outputs[i].requires_grad)
                throw new ArgumentException($"Output {i} of a gradient is not part of a graph (it does not require grad).", nameof(outputs));
        for (int i = 0; i < inputs.Count; i++)
            if (inputs[i] is null || !inputs[i].requires_grad)
                throw new ArgumentException($"Input {i} of a gradient does not require grad.", nameof(inputs));
        if (gradOutputs is not null)
        {
            if (gradOutputs.Count != outputs.Count)
                throw new ArgumentException($"{outputs.Count} outputs need as many output gradients; got {gradOutputs.Count}.", nameof(gradOutputs));
            for (int i = 0; i < outputs.Count; i++)
                if (!gradOutputs[i].shape.SequenceEqual(outputs[i].shape) || gradOutputs[i].dtype != outputs[i].dtype)
                    throw new ArgumentException($"Output gradient {i} is [{string.Join(", ", gradOutputs[i].shape)}] ({gradOutputs[i].dtype}); its output is " +
                                                $"[{string.Join(", ", outputs[i].shape)}] ({outputs[i].dtype}).", nameof(gradOutputs));
        }
        return torch.autograd.grad(outputs, inputs, gradOutputs, retain_graph: retainGraph, create_graph: createGraph, allow_unused: allowUnused);
    }
}
