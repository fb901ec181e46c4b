namespace Noether.Nn.Images;

/// <summary>The elementwise functions <see cref="PointwiseNonlinearity"/> offers by name.</summary>
public enum PointwiseFunction
{
    /// <summary>max(x, 0).</summary>
    ReLU,
    /// <summary>x for x &gt; 0, exp(x) − 1 otherwise (α = 1).</summary>
    ELU,
    /// <summary>x for x &gt; 0, 0.01·x otherwise.</summary>
    LeakyReLU,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>1 / (1 + exp(−x)).</summary>
    Sigmoid,
    /// <summary>x·Φ(x), Φ the standard normal CDF.</summary>
    GELU,
    /// <summary>x·sigmoid(x).</summary>
    SiLU,
    /// <summary>log(1 + exp(x)).</summary>
    Softplus,
}
