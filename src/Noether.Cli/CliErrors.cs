using Spectre.Console.Cli;

namespace Noether.Cli;

/// <summary>An error in what the user typed or gave (exit code 2).</summary>
public sealed class UserInputException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    public UserInputException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Tells user errors (exit 2, one line) from bugs (crash).</summary>
public static class CliErrors
{
    /// <summary>True for bad command lines and bad values (unknown group, out-of-range index, …).</summary>
    public static bool IsUserError(Exception e) => e switch
    {
        UserInputException or CommandParseException or CommandRuntimeException => true,
        _ => false,
    };

    /// <summary>The message on one line.</summary>
    public static string Message(Exception e)
    {
        var inner = e is UserInputException && e.InnerException is ArgumentException a ? a : e;
        var text = inner.Message;
        // ArgumentException appends " (Parameter 'x')" and "Actual value was v."; the message already says what is wrong.
        if (inner is ArgumentException)
        {
            int at = text.IndexOf(" (Parameter '", StringComparison.Ordinal);
            if (at > 0) text = text[..at];
        }
        return string.Join(" ", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Runs <paramref name="action"/>, turning the library's argument errors into user errors.</summary>
    public static T UserInput<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new UserInputException(e.Message, e);
        }
    }
}
