using Noether.Training.Tasks;

namespace Noether.Cli;

/// <summary>Settings of a command that takes the chosen task's own options (<c>--pooling</c>, <c>--draw</c> …). Those
/// flags are not declared here: each task declares them (<see cref="Noether.Training.Tasks.TaskInfo.Options"/>), and
/// <see cref="TaskOptionArguments"/> reads them from what the parser left over.</summary>
public interface ITakesTaskOptions
{
}
