namespace Odr.Cli.Batch;

/// <summary>
/// Progress on stderr: on a terminal one line redrawn four times a second; otherwise (a log file, a
/// Slurm job) a plain line every <c>interval</c> seconds.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly Func<string> describe;
    private readonly Timer? timer;
    private readonly object gate = new();
    private int width;
    private bool finished;

    public ProgressLine(TextWriter writer, bool terminal, double interval, Func<string> describe)
    {
        this.writer = writer;
        this.terminal = terminal;
        this.describe = describe;
        var period = terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(interval);
        if (interval > 0) timer = new Timer(_ => Tick(), null, period, period);
    }

    private void Tick()
    {
        lock (gate)
        {
            if (finished) return;
            string line = describe();
            if (terminal)
            {
                writer.Write("\r" + line.PadRight(width));
                width = line.Length;
            }
            else
            {
                writer.WriteLine(line);
            }
            writer.Flush();
        }
    }

    /// <summary>Stops the updates and clears the terminal line.</summary>
    public void Finish()
    {
        lock (gate)
        {
            if (finished) return;
            finished = true;
            timer?.Dispose();
            if (terminal && width > 0)
            {
                writer.Write("\r" + new string(' ', width) + "\r");
                writer.Flush();
            }
        }
    }

    public void Dispose() => Finish();
}
