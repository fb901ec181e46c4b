namespace Noether.Training.Tasks;

/// <summary>What a run of one model of a task uses when the user says nothing else: the training budget and option
/// values of the task's recorded result for that model, so <c>noether train --task T --model M</c> reproduces it.</summary>
/// <param name="Epochs">training epochs.</param>
/// <param name="TrainSize">training examples, or null for the task's own default.</param>
/// <param name="Options">option values that differ from the options' defaults for this model (e.g. <c>lr</c>), or null.</param>
public sealed record ModelDefaults(int Epochs, int? TrainSize = null, IReadOnlyDictionary<string, string>? Options = null);
