using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Odr.Cli.Batch;

/// <summary>
/// Runs <c>odr batch</c>: reads the data group by group, fits the groups on all cores, and writes one
/// row per group in input order to a temporary file that replaces the output at the end (also when
/// stopped by Ctrl+C or SIGTERM, with every finished group's row), so the output is never half-written.
/// </summary>
public static class BatchRunner
{
    /// <summary>Exit code when the batch was stopped (Ctrl+C, SIGTERM): the finished groups were written.</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Runs the batch.</summary>
    /// <param name="options">What to do.</param>
    /// <param name="stdout">The summary.</param>
    /// <param name="stderr">Progress and problems.</param>
    /// <returns>0 all groups converged; 3 some failed or did not converge; 2 bad usage or input; 130 stopped.</returns>
    public static int Run(BatchJobOptions options, TextWriter stdout, TextWriter stderr) =>
        Run(options, stdout, stderr, CancellationToken.None, null);

    /// <summary>Runs the batch; <paramref name="cancellation"/> stops it as Ctrl+C does.</summary>
    internal static int Run(BatchJobOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellation, Action<long>? rowWritten)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        string output = options.Output;
        AtomicFile.CheckDestination(output, "--output", options.DataPath);
        var format = ResultFile.FormatOf(output, "--output");
        if (string.Equals(Path.GetFullPath(BatchMeta.PathFor(output)), Path.GetFullPath(options.DataPath), StringComparison.Ordinal))
        {
            throw new CliException($"--output {output}: its description {BatchMeta.PathFor(output)} would overwrite the input file");
        }
        var shard = options.Shard is null ? null : BatchShard.Parse(options.Shard);
        if (options.Threads is < 0) throw new CliException("--threads must be 0 (all cores) or more");
        if (!(options.Progress >= 0) || double.IsInfinity(options.Progress)) throw new CliException("--progress must be a number of seconds, 0 for none");
        int threads = options.Threads is null or 0 ? Environment.ProcessorCount : options.Threads.Value;

        char? delimiter = options.Delimiter is { } d ? CsvFormat.ParseOption(d) : null;
        using var reader = GroupReader.Open(options.DataPath, delimiter);
        var spec = BatchSpec.Resolve(options, reader);
        var batch = spec.Describe();

        // --resume: the groups already in the output are kept, if the same batch wrote it.
        var done = new HashSet<string>(StringComparer.Ordinal);
        bool resuming = options.Resume && File.Exists(output);
        if (resuming)
        {
            var meta = BatchMeta.Read(output, "--resume");
            string? difference = BatchMeta.Difference(batch, meta["batch"]);
            if (difference is not null) throw new CliException($"--resume: {output} was written by another batch ({difference}); give another --output, or drop --resume to replace it");
            string? theirShard = meta["shard"]?.GetValue<string>();
            if (theirShard != shard?.ToString()) throw new CliException($"--resume: {output} holds shard {theirShard ?? "none (all groups)"}, not {shard?.ToString() ?? "all groups"}");
            foreach (var (_, row) in ResultFile.Read(output, format, spec.Columns))
            {
                if (row is not null && !done.Add(row.Key)) throw new CliException($"--resume: {output} has group '{row.Key}' twice");
            }
        }

        bool console = ReferenceEquals(stderr, Console.Error);
        var run = new Pipeline(spec, threads, cancellation, rowWritten);
        using var sigint = console ? PosixSignalRegistration.Create(PosixSignal.SIGINT, run.OnSignal) : null;
        using var sigterm = console ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, run.OnSignal) : null;
        using var progress = new ProgressLine(stderr, console && !Console.IsErrorRedirected, options.Progress, () => run.Describe(reader.FractionRead, clock.Elapsed));

        long kept = 0;
        AtomicFile.Write(output, temp =>
        {
            using var writer = ResultFile.CreateWriter(temp, format, spec.Columns);
            if (resuming)
            {
                foreach (var (_, row) in ResultFile.Read(output, format, spec.Columns))
                {
                    if (row is null) continue;
                    writer.Write(row);
                    kept++;
                }
            }
            bool Wanted(string key) => (shard is null || shard.Contains(key)) && !done.Contains(key);
            run.Execute(reader.Groups(spec.GroupColumn, spec.CellColumns, Wanted, options.Unsorted, run.Token), writer);
        });
        progress.Finish();
        bool complete = !run.Interrupted;
        long inShard = complete ? run.Fitted + kept : 0;
        BatchMeta.Write(output, BatchMeta.Create(options.DataPath, batch, shard, complete, reader.GroupsSeen, inShard, run.Fitted + kept));

        double seconds = clock.Elapsed.TotalSeconds;
        string shardText = shard is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (shard {shard} of {reader.GroupsSeen} groups)");
        string keptText = kept > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {kept} kept from before") : "";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"odr batch: {run.Fitted} groups{shardText}: {run.Converged} converged, {run.NotConverged} did not converge, {run.Errors} failed, in {seconds:F1} s ({run.Fitted / Math.Max(seconds, 1e-9):F0} groups/s, {threads} threads){keptText}; results in {output}"));
        if (run.Interrupted)
        {
            stderr.WriteLine($"odr: interrupted: the {run.Fitted + kept} finished groups are in {output}; run the same command with --resume to fit the rest");
            return ExitInterrupted;
        }
        if (run.Errors > 0 || run.NotConverged > 0)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"odr: {run.Errors} group{(run.Errors == 1 ? "" : "s")} failed and {run.NotConverged} did not converge or are questionable (see the error, converged and info columns of {output})"));
            return FitRunner.ExitNotConverged;
        }
        return FitRunner.ExitConverged;
    }

    /// <summary>Worker threads read and fit the groups in turn through a bounded window; rows are written in input order.</summary>
    private sealed class Pipeline
    {
        private readonly BatchSpec spec;
        private readonly int threads;
        private readonly CancellationTokenSource stop;
        private readonly Action<long>? rowWritten;
        private readonly object writeLock = new();
        private readonly Dictionary<long, (ResultRow Row, EncodedRow? Encoded)> pending = [];
        private long next;
        private long fitted;
        private long converged;
        private long notConverged;
        private long errors;
        private int signals;

        public Pipeline(BatchSpec spec, int threads, CancellationToken cancellation, Action<long>? rowWritten)
        {
            this.spec = spec;
            this.threads = threads;
            this.rowWritten = rowWritten;
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        }

        public CancellationToken Token => stop.Token;

        public bool Interrupted { get; private set; }

        public long Fitted => Interlocked.Read(ref fitted);

        public long Converged => Interlocked.Read(ref converged);

        public long NotConverged => Interlocked.Read(ref notConverged);

        public long Errors => Interlocked.Read(ref errors);

        /// <summary>The first Ctrl+C (or SIGTERM) stops the batch and keeps the finished groups; a second ends the process at once.</summary>
        public void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) > 1) return;
            context.Cancel = true;
            stop.Cancel();
        }

        public string Describe(double fractionRead, TimeSpan elapsed) => string.Create(CultureInfo.InvariantCulture,
            $"odr batch: {fractionRead:P0} of the data read, {Fitted} groups fitted ({Errors} failed, {NotConverged} not converged), {Fitted / Math.Max(elapsed.TotalSeconds, 1e-9):F0} groups/s");

        public void Execute(IEnumerable<RawGroup> groups, ResultWriter writer)
        {
            // Each worker reads its next group itself, one worker at a time, and fits it: the cells
            // are written and read on one core, and their buffers, given back just before the
            // worker's next read, come back to it (a reader thread handing groups to the workers
            // moved every group's cells from one core's cache to another's). At most `window`
            // groups are between reading and writing: memory does not grow with the number of
            // groups even when one slow fit holds up the rows after it.
            int window = 64 * (threads + 1);
            var slots = new InFlightWindow(window);
            var readLock = new object();
            using var source = groups.GetEnumerator();
            long sequence = 0;
            bool exhausted = false;
            Exception? failure = null;

            // A worker reads a run of consecutive groups at once and hands their rows over at once:
            // the reader's state and the writer's buffers then move between cores once per run
            // rather than once per group (two threads lost ~10 % against two processes to that
            // traffic and the locks' hand-offs). The run is as long as fits up to ~0.5 ms take, so a
            // batch of slow fits (profiles, bootstraps) still hands out one group at a time.
            const int MaxRun = 16;
            long runTicks = Stopwatch.Frequency / 2000;

            void NextRun(List<RawGroup> run, int length)
            {
                lock (readLock)
                {
                    while (run.Count < length && !exhausted && !stop.IsCancellationRequested)
                    {
                        if (!source.MoveNext())
                        {
                            exhausted = true;
                            return;
                        }
                        slots.Enter(stop.Token);
                        var group = source.Current;
                        group.Sequence = sequence++;
                        run.Add(group);
                    }
                }
            }

            void Complete(List<(long Sequence, ResultRow Row, EncodedRow? Encoded)> done)
            {
                if (done.Count == 0) return;
                lock (writeLock)
                {
                    foreach (var (rowSequence, row, encoded) in done) pending[rowSequence] = (row, encoded);
                    while (pending.Remove(next, out var ready))
                    {
                        Write(writer, ready.Row, ready.Encoded);
                        next++;
                        slots.Leave();
                    }
                }
                done.Clear();
            }

            void Work()
            {
                var run = new List<RawGroup>(MaxRun);
                var done = new List<(long Sequence, ResultRow Row, EncodedRow? Encoded)>(MaxRun);
                int length = 1;
                try
                {
                    while (true)
                    {
                        run.Clear();
                        try
                        {
                            NextRun(run, length);
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            // Stopped while the window was full: the groups of this run already
                            // read are fitted again on --resume.
                            return;
                        }
                        if (run.Count == 0 || stop.IsCancellationRequested) return;
                        long started = Stopwatch.GetTimestamp();
                        foreach (var group in run)
                        {
                            ResultRow row;
                            try
                            {
                                row = spec.Fit(group, stop.Token);
                            }
                            catch (OperationCanceledException) when (stop.IsCancellationRequested)
                            {
                                // Stopped mid-fit: this group and the rest of the run are fitted again
                                // on --resume; the run's finished groups are kept.
                                Complete(done);
                                return;
                            }
                            long fittedSequence = group.Sequence;
                            group.Release(); // its cells serve the next group read

                            // The row's text is made here, in parallel; only its bytes are written in order.
                            done.Add((fittedSequence, row, writer.Encode(row)));
                        }
                        Complete(done);
                        long perGroup = Math.Max(1, (Stopwatch.GetTimestamp() - started) / run.Count);
                        length = (int)Math.Clamp(runTicks / perGroup, 1, MaxRun);
                    }
                }
                catch (Exception e)
                {
                    // Bad input found while reading (no output is kept), or an unexpected failure.
                    Interlocked.CompareExchange(ref failure, e, null);
                    stop.Cancel();
                }
            }

            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(Work) { IsBackground = true, Name = "odr batch" }).ToArray();
            foreach (var w in workers) w.Start();
            foreach (var w in workers) w.Join();
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            if (stop.IsCancellationRequested)
            {
                Interrupted = true;

                // Groups that finished after one still running when the batch stopped: written too.
                lock (writeLock)
                {
                    foreach (var key in pending.Keys.Order().ToList()) Write(writer, pending[key].Row, pending[key].Encoded);
                    pending.Clear();
                }
            }
        }

        private void Write(ResultWriter writer, ResultRow row, EncodedRow? encoded)
        {
            writer.Write(row, encoded);
            if (row.Error.Length > 0) Interlocked.Increment(ref errors);
            else if (row.Converged == true) Interlocked.Increment(ref converged);
            else Interlocked.Increment(ref notConverged);
            long count = Interlocked.Increment(ref fitted);
            rowWritten?.Invoke(count);
        }
    }

    /// <summary>
    /// At most <c>capacity</c> groups between reading and writing. A worker about to read that finds the
    /// window full sleeps until it is half empty: one wake-up per capacity/2 groups instead of one per group
    /// (a semaphore released per written row woke the reader, and its spinning took ~30 % of a core
    /// with one worker).
    /// </summary>
    private sealed class InFlightWindow(int capacity)
    {
        private readonly object gate = new();
        private int inFlight;

        public void Enter(CancellationToken cancel)
        {
            lock (gate)
            {
                while (inFlight >= capacity)
                {
                    cancel.ThrowIfCancellationRequested();
                    Monitor.Wait(gate, 100); // polls the token: Ctrl+C must not wait for a slow fit
                }
                inFlight++;
            }
        }

        public void Leave()
        {
            lock (gate)
            {
                // Only the reader waits, and only on a full window; the count falls one by one, so it
                // passes half exactly once before the reader can fill the window again.
                if (--inFlight == capacity / 2) Monitor.Pulse(gate);
            }
        }
    }
}
