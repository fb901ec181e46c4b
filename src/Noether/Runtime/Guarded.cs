using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Runtime;

/// <summary>Checked front doors to the TorchSharp calls whose native functions have no exception guard in TorchSharp
/// 0.107: a libtorch error inside them (a shape or dtype mismatch) unwinds through managed frames and ends the process,
/// even inside <c>try/catch</c>. These check what libtorch would refuse first and throw an
/// <see cref="ArgumentException"/> instead; Noether calls them, never the raw functions (a source-scan test).</summary>
/// <remarks>Unguarded upstream (no catch clause in the function's unwind tables; see
/// <c>docs/torchsharp-unguarded.md</c>, generated from <c>libLibTorchSharp.so</c> by
/// <c>tests/Noether.Tests/Runtime/NativeGuardScan.cs</c>), among the calls Noether makes: <c>THSTensor_matmul</c>
/// (<c>Tensor.matmul</c>, <c>torch.matmul</c>), <c>THSAutograd_grad</c> (<c>torch.autograd.grad</c>), and
/// <c>THSTorch_scalar_to_float64/int64/bool</c> (<c>Tensor.ToDouble/ToInt64/ToBoolean</c>, which end the process on a
/// value the target type cannot hold).</remarks>
public static class Guarded
{
    /// <summary><c>a.matmul(b)</c> after checking what libtorch checks: both at least 1-D, the same dtype and device,
    /// a's last axis as long as b's contracted axis, and broadcastable batch axes.</summary>
    /// <exception cref="ArgumentException">the shapes, dtypes or devices do not fit; the message gives both shapes.</exception>
    public static Tensor MatMulChecked(this Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Each property read is a native call (and `shape` allocates): read single sizes, the full shapes only for
        // batched products, and build messages only when throwing (GuardedBenchmarks measures what the checks cost).
        long ra = a.dim(), rb = b.dim();
        ScalarType ta = a.dtype, tb = b.dtype;
        string Shapes() => $"[{string.Join(", ", a.shape)}] ({ta}) and [{string.Join(", ", b.shape)}] ({tb})";
        if (ra < 1 || rb < 1) throw new ArgumentException($"matmul needs tensors of at least one axis; got {Shapes()}.", nameof(b));
        if (ta != tb) throw new ArgumentException($"matmul needs one dtype; got {Shapes()}.", nameof(b));
        var (da, db) = (a.device_type, b.device_type);
        if (da != db || (da != DeviceType.CPU && a.device_index != b.device_index))
            throw new ArgumentException($"matmul needs one device; got {a.device} and {b.device}.", nameof(b));
        long contracted = rb == 1 ? b.size(0) : b.size(-2);
        if (a.size(-1) != contracted)
            throw new ArgumentException($"matmul contracts the last axis of the first tensor with the {(rb == 1 ? "only" : "second-to-last")} axis of the second; got {Shapes()}.", nameof(b));
        if (ra >= 3 && rb >= 3)
        {
            long[] sa = a.shape, sb = b.shape;
            for (int i = 3; i <= Math.Min(sa.Length, sb.Length); i++)
            {
                long x = sa[^i], y = sb[^i];
                if (x != y && x != 1 && y != 1)
                    throw new ArgumentException($"matmul's batch axes do not broadcast; got {Shapes()}.", nameof(b));
            }
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

    // libtorch's Scalar::to<T> (c10/util/TypeCast.h, checked_convert) throws "value cannot be converted to type T without
    // overflow" for a complex value with a nonzero imaginary part, and, for an integer or bool target, for NaN, ±∞ and
    // values outside the target's range.

    /// <summary><c>t.ToDouble()</c> after checking that <paramref name="t"/> has one element and, if complex, no
    /// imaginary part (a real value always converts).</summary>
    /// <exception cref="ArgumentException">more or fewer than one element, or a complex value off the real axis.</exception>
    public static double ToDoubleChecked(this Tensor t)
    {
        CheckOneRealValue(t, "a double");
        return t.ToDouble();
    }

    /// <summary><c>t.ToInt64()</c> after checking that <paramref name="t"/> has one element that a 64-bit integer holds:
    /// no imaginary part, finite, and within [-2⁶³, 2⁶³) (a fraction is truncated, as libtorch does).</summary>
    /// <exception cref="ArgumentException">more or fewer than one element, or a value no <see cref="long"/> holds.</exception>
    public static long ToInt64Checked(this Tensor t)
    {
        CheckOneRealValue(t, "a 64-bit integer");
        if (t.is_floating_point() || t.is_complex())
        {
            double v = RealPart(t);
            if (!(v >= -9.2233720368547758E18 && v < 9.2233720368547758E18))
                throw new ArgumentException($"The value {v} does not fit a 64-bit integer.", nameof(t));
        }
        return t.ToInt64();
    }

    /// <summary><c>t.ToBoolean()</c> after checking that <paramref name="t"/> has one element that is a bool, or a number
    /// equal to 0 or 1 (libtorch refuses any other).</summary>
    /// <exception cref="ArgumentException">more or fewer than one element, or a value other than 0 and 1.</exception>
    public static bool ToBooleanChecked(this Tensor t)
    {
        CheckOneRealValue(t, "a bool");
        if (t.dtype != ScalarType.Bool)
        {
            double v = RealPart(t);
            if (v is not (0 or 1)) throw new ArgumentException($"The value {v} is not a bool (0 or 1).", nameof(t));
        }
        return t.ToBoolean();
    }

    private static void CheckOneRealValue(Tensor t, string target)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.numel() != 1) throw new ArgumentException($"Only a tensor of one element converts to {target}; got shape [{string.Join(", ", t.shape)}].", nameof(t));
        if (t.is_complex())
        {
            using var imaginary = t.imag.to_type(ScalarType.Float64);
            double im = imaginary.ToDouble();
            if (im != 0) throw new ArgumentException($"A complex value with imaginary part {im} does not convert to {target}.", nameof(t));
        }
    }

    /// <summary>The value as a double, read through a real float64 copy (which always converts).</summary>
    private static double RealPart(Tensor t)
    {
        using var real = (t.is_complex() ? t.real : t).to_type(ScalarType.Float64);
        return real.ToDouble();
    }
}
