using TorchSharp;
using static TorchSharp.torch;

namespace Noether.Nn.Points;

/// <summary>Constant float64 tables of a module (Clebsch–Gordan blocks) with their conversions to other
/// dtypes and devices, made once per (dtype, device) and owned by the module.</summary>
internal sealed class TensorTables : IDisposable
{
    private readonly Tensor[] _master;
    private readonly Dictionary<(ScalarType, DeviceType, int), Tensor[]> _converted = new();

    /// <summary>Keeps detached copies of <paramref name="tables"/>.</summary>
    public TensorTables(IEnumerable<Tensor> tables)
    {
        using var scope = torch.NewDisposeScope();
        _master = tables.Select(t => t.to_type(ScalarType.Float64).contiguous().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The tables in the dtype and device of <paramref name="like"/> (cached; never dispose them).</summary>
    public Tensor[] Like(Tensor like)
    {
        var key = (like.dtype, like.device_type, like.device_index);
        lock (_converted)
        {
            if (_converted.TryGetValue(key, out var tables)) return tables;
            using var scope = torch.NewDisposeScope();
            tables = _master.Select(t => t.to(like.dtype, like.device).contiguous().DetachFromDisposeScope()).ToArray();
            _converted[key] = tables;
            return tables;
        }
    }

    public void Dispose()
    {
        foreach (var t in _master) t.Dispose();
        foreach (var list in _converted.Values)
            foreach (var t in list) t.Dispose();
        _converted.Clear();
    }
}
