namespace Noether.Data;

/// <summary>Which part of Fashion-MNIST to load.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images (files <c>train-*</c>).</summary>
    Train,

    /// <summary>The 10,000 test images (files <c>t10k-*</c>).</summary>
    Test,
}
