using Noether.Equivariance;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Noether.Nn.Images;

/// <summary><see cref="BlurPool"/> on a typed feature map: antialiased downsampling by 2 that declares its
/// field type, so the equivariance checker can check it like any other layer.</summary>
/// <remarks>Equivariance: the blur and the 2×2 averaging act on each channel alike, so they commute with
/// every field's channel mixing; on even sizes they commute exactly with 90° rotations and flips.
/// Shapes: (batch, In.Size, H, W) → (batch, In.Size, H/2, W/2).</remarks>
public sealed class FieldBlurPool : Module<Tensor, Tensor>, IFieldEquivariant
{
    private readonly BlurPool _pool;

    /// <summary>Blur-and-pool for fields of type <paramref name="type"/>.</summary>
    public FieldBlurPool(FieldType type) : base(nameof(FieldBlurPool))
    {
        In = type ?? throw new ArgumentNullException(nameof(type));
        _pool = new BlurPool(type.Size);
        RegisterComponents();
    }

    /// <inheritdoc />
    public FieldType In { get; }

    /// <inheritdoc />
    public FieldType Out => In;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != In.Size)
            throw new ArgumentException($"FieldBlurPool expects (batch, {In.Size}, H, W) for [{In.Description}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        return _pool.forward(input);
    }

    /// <summary>The plain <see cref="BlurPool"/> (for export).</summary>
    public BlurPool ToPlainModule() => new(In.Size);
}
