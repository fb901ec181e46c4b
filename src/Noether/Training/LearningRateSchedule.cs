namespace Noether.Training;

/// <summary>How the learning rate changes over the epochs of a run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The same rate every epoch.</summary>
    Constant,

    /// <summary>Cosine decay from the rate to 0 over the run: epoch e (0-based) of E uses lr · (1 + cos(π e / E)) / 2
    /// (Loshchilov &amp; Hutter 2017 without restarts; PyTorch's <c>CosineAnnealingLR</c> with T_max = E, in closed form).</summary>
    Cosine,
}
