namespace Noether.Training;

/// <summary>What the <see cref="Trainer"/> needs of an optimizer: clear the gradients, take a step, change the learning
/// rate between steps (for schedules), and save and restore its state (to resume a run mid-way).</summary>
/// <remarks>Implemented by <see cref="FusedAdam"/> and, through <see cref="Optimizers.Torch"/>, by any TorchSharp
/// optimizer. <see cref="Optimizers"/> makes them.</remarks>
public interface IOptimizer : IDisposable
{
    /// <summary>The step size of the next <see cref="Step"/>.</summary>
    double LearningRate { get; set; }

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGrad();

    /// <summary>One update of the parameters from their gradients.</summary>
    void Step();

    /// <summary>Writes the optimizer's state (moments, step count) to <paramref name="path"/>.</summary>
    void SaveState(string path);

    /// <summary>Restores the state written by <see cref="SaveState"/> for the same parameters.</summary>
    /// <exception cref="InvalidDataException">the file does not hold this optimizer's state.</exception>
    void LoadState(string path);
}
