namespace Noether.Nn.Images;

/// <summary>How <see cref="GroupPooling"/> reduces the channels of a field.</summary>
public enum GroupPoolingMode
{
    /// <summary>The largest channel of the field (escnn's <c>GroupPooling</c>).</summary>
    Max,
    /// <summary>The mean of the field's channels.</summary>
    Average,
}
