namespace Odr.Cli;

/// <summary>A text reader that yields text already read (a header and the first rows, read to find
/// the delimiter or the first group), then the rest of another reader.</summary>
/// <param name="prefix">The text already read.</param>
/// <param name="rest">The reader it came from.</param>
/// <param name="ownsRest">Dispose <paramref name="rest"/> with this reader.</param>
internal sealed class PrefixedReader(string prefix, TextReader rest, bool ownsRest) : TextReader
{
    private int position;

    public override int Peek() => position < prefix.Length ? prefix[position] : rest.Peek();

    public override int Read() => position < prefix.Length ? prefix[position++] : rest.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (position < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - position);
            prefix.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }
        return rest.Read(buffer);
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count) => Task.FromResult(Read(buffer, index, count));

    public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsRest) rest.Dispose();
        base.Dispose(disposing);
    }
}
