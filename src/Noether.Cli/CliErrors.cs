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
        UserInputException or CommandParseException or CommandRuntimeException or Noether.Runtime.MemoryLimitException => true,
        _ => false,
    };

    /// <summary>The message on one line.</summary>
    public static string Message(Exception e)
    {
        var inner = e is UserInputException && e.InnerException is ArgumentException a ? a : e;
        var text = inner.Message;
        // ArgumentException appends " (Parameter 'x')" and "Actual value was v.", also when its message is quoted in
        // another one; the message already says what is wrong.
        text = System.Text.RegularExpressions.Regex.Replace(text, @" \(Parameter '[^']*'\)", "");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s*Actual value was [^\n]*", "");
        // Spectre.Console's conversion error names a .NET type ("Failed to convert '2147483648' to Nullable`1.").
        var conversion = System.Text.RegularExpressions.Regex.Match(text, @"^Failed to convert '(.*)' to ([A-Za-z`0-9]+)\.?$");
        if (conversion.Success)
            text = $"'{conversion.Groups[1].Value}' is not a valid value here" +
                   (conversion.Groups[2].Value.StartsWith("Int", StringComparison.Ordinal) || conversion.Groups[2].Value.StartsWith("Nullable", StringComparison.Ordinal)
                       ? $" (a number was expected; whole numbers go from {int.MinValue:N0} to {int.MaxValue:N0})." : ".");
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
