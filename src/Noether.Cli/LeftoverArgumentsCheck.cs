using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary>Refuses leftover arguments for commands that take no task options (with strict parsing off, the parser
/// leaves unknown flags for the task commands to check).</summary>
public sealed class LeftoverArgumentsCheck : ICommandInterceptor
{
    /// <inheritdoc />
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (settings is ITakesTaskOptions) return;
        if (context.Remaining.Parsed.Count > 0)
            throw new UserInputException($"Unknown option '{context.Remaining.Parsed.First().Key}' for `noether {context.Name}`; see `noether {context.Name} --help`.");
        if (context.Remaining.Raw.Count > 0)
            throw new UserInputException($"Unexpected argument '{context.Remaining.Raw[0]}' for `noether {context.Name}`.");
    }
}
