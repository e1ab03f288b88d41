namespace Odr.Cli;

/// <summary>Bad usage or bad input: printed as one line on stderr, exit code 2.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the problem.</param>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    /// <param name="message">One line naming the problem.</param>
    /// <param name="inner">The cause.</param>
    public CliException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
