namespace Noether.Nn.Images;

/// <summary>The function σ a <see cref="NormNonlinearity"/> applies to the biased norm of each field
/// (escnn's <c>"n_relu"</c>, <c>"n_sigmoid"</c>, <c>"n_softplus"</c>).</summary>
public enum NormFunction
{
    /// <summary>σ(t) = max(t, 0): fields whose norm is below −b are set to zero ("n_relu").</summary>
    ReLU,
    /// <summary>σ(t) = 1 / (1 + exp(−t)): every norm is squashed into (0, 1) ("n_sigmoid").</summary>
    Sigmoid,
    /// <summary>σ(t) = log(1 + exp(t)) ("n_softplus").</summary>
    Softplus,
}
