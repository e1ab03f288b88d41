namespace Odr.Expressions;

/// <summary>
/// Thrown when a formula cannot be parsed. The message is a single line that names the
/// problem and the 0-based character position in the formula text.
/// </summary>
public sealed class ExpressionException : FormatException
{
    /// <summary>Creates an exception for a problem at a 0-based character position.</summary>
    /// <param name="message">One-line description of the problem, without the position.</param>
    /// <param name="position">0-based character position in the formula text.</param>
    public ExpressionException(string message, int position)
        : base($"{message} at position {position}")
    {
        Position = position;
        Reason = message;
    }

    /// <summary>0-based character position in the formula text where the problem was found.</summary>
    public int Position { get; }

    /// <summary>The description of the problem without the position suffix.</summary>
    public string Reason { get; }
}
