using static TorchSharp.torch;

namespace Noether.Runtime;

/// <summary>Raw access to a CPU tensor's memory, for the few kernels that run in one pass over it.</summary>
internal static class TensorMemory
{
    /// <summary>Where the first element of a tensor lives: its storage's address plus its offset.</summary>
    public static long DataPointer(Tensor t)
    {
        var storage = t.dtype == ScalarType.Float64 ? (long)t.storage<double>().data_ptr() : (long)t.storage<float>().data_ptr();
        return storage + t.storage_offset() * t.element_size();
    }
}
