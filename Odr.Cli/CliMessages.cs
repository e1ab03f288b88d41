namespace Odr.Cli;

/// <summary>Turns an exception's message into the tool's one line.</summary>
internal static class CliMessages
{
    /// <summary>
    /// One line, without .NET's " (Parameter 'data')" suffix: the library names its own parameters,
    /// which a user of the tool never wrote.
    /// </summary>
    /// <param name="e">The exception.</param>
    public static string Clean(Exception e)
    {
        string message = e.Message;
        if (e is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            int at = message.LastIndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0) message = message.Remove(at, suffix.Length);
        }
        return OneLine(message);
    }

    /// <summary>A message on one line.</summary>
    /// <param name="message">The message.</param>
    public static string OneLine(string message) =>
        string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
}
