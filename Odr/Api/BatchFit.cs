namespace Odr;

/// <summary>One fit of a batch: the data, the model and the starting parameters, and optionally a
/// hook that sets further options (job, bounds, tolerances …) on the <see cref="ODR"/> before it runs.</summary>
/// <param name="Data">The data.</param>
/// <param name="Model">The model (it may be shared by many items when it is thread-safe, as the
/// per-observation form is).</param>
/// <param name="Beta0">Starting parameters.</param>
/// <param name="Configure">Optional: sets options on the fit before it runs.</param>
public sealed record BatchItem(Data Data, Model Model, double[] Beta0, Action<ODR>? Configure = null);

/// <summary>Options of <see cref="OdrBatch.Run(IReadOnlyList{BatchItem}, BatchOptions?, CancellationToken)"/>.</summary>
public sealed class BatchOptions
{
    /// <summary>Fits run at the same time: -1 or 0 (the default) for all cores, 1 for one after another.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Called after each finished fit with the number of fits finished so far (1 … count). It is called
    /// from the worker threads, possibly concurrently, so it must be thread-safe and quick; the counts
    /// arrive in increasing order per thread but not necessarily overall.
    /// </summary>
    public Action<int>? Progress { get; init; }
}

/// <summary>The outcome of one fit of a batch: its output, or the exception that stopped it (invalid
/// options, a failing model …). One item's failure does not touch the others' results.</summary>
public sealed class BatchResult
{
    internal BatchResult(Output? output, Exception? error)
    {
        Output = output;
        Error = error;
    }

    /// <summary>The fit's output; null when it failed (see <see cref="Error"/>).</summary>
    public Output? Output { get; }

    /// <summary>The exception the fit threw; null when it ran (its <see cref="Odr.Output.Info"/> still
    /// tells whether it converged).</summary>
    public Exception? Error { get; }

    /// <summary>True when the fit ran and produced an output.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>Thrown by <see cref="OdrBatch.Run(IReadOnlyList{BatchItem}, BatchOptions?, CancellationToken)"/>
/// when some fits failed, after every fit has run: <see cref="Results"/> holds each item's output or
/// error; the inner exception is the first failure in input order.</summary>
public sealed class OdrBatchException : Exception
{
    internal OdrBatchException(BatchResult[] results, int failed, int first)
        : base($"{failed} of {results.Length} fits failed; the first, item {first}: {results[first].Error!.Message} (Results holds every item's output or error).", results[first].Error)
    {
        Results = results;
        FirstFailedItem = first;
    }

    /// <summary>Every item's output or error, in input order.</summary>
    public IReadOnlyList<BatchResult> Results { get; }

    /// <summary>The index of the first failed item.</summary>
    public int FirstFailedItem { get; }
}

/// <summary>
/// Fits many independent data sets (say one peak per pixel) in parallel, each fit single-threaded, and
/// returns the outputs in input order. The results are those of running each fit alone. One item that
/// fails does not stop the others: <see cref="RunEach(IReadOnlyList{BatchItem}, BatchOptions?, CancellationToken)"/>
/// returns each item's output or error; <c>Run</c> returns the outputs when all succeeded and otherwise
/// throws <see cref="OdrBatchException"/> carrying them.
/// </summary>
public static class OdrBatch
{
    /// <summary>Runs the fits described by <paramref name="items"/>.</summary>
    /// <param name="items">The fits.</param>
    /// <param name="options">Parallelism and progress; null for the defaults.</param>
    /// <param name="cancellation">Stops the batch: no further fit starts, running fits stop before
    /// their next model call, and <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>One output per item, in input order.</returns>
    /// <exception cref="OdrBatchException">Some fits failed (after all have run); its
    /// <see cref="OdrBatchException.Results"/> holds every item's output or error.</exception>
    public static Output[] Run(IReadOnlyList<BatchItem> items, BatchOptions? options = null, CancellationToken cancellation = default) =>
        Outputs(RunEach(items, options, cancellation));

    /// <summary>Runs fits built by factories (each called once, on the thread that runs its fit).</summary>
    /// <param name="fits">One factory per fit.</param>
    /// <param name="options">Parallelism and progress; null for the defaults.</param>
    /// <param name="cancellation">Stops the batch (see the other overload).</param>
    /// <returns>One output per factory, in input order.</returns>
    /// <exception cref="OdrBatchException">Some fits failed (after all have run).</exception>
    public static Output[] Run(IReadOnlyList<Func<ODR>> fits, BatchOptions? options = null, CancellationToken cancellation = default) =>
        Outputs(RunEach(fits, options, cancellation));

    /// <summary>Runs the fits described by <paramref name="items"/> and returns each one's output or
    /// error: one bad item leaves the others' results as they would be alone.</summary>
    /// <param name="items">The fits.</param>
    /// <param name="options">Parallelism and progress; null for the defaults.</param>
    /// <param name="cancellation">Stops the batch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>One result per item, in input order.</returns>
    public static BatchResult[] RunEach(IReadOnlyList<BatchItem> items, BatchOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is null) throw new ArgumentException($"items[{i}] is null.", nameof(items));
        }
        return Run(items.Count, i =>
        {
            var item = items[i];
            var odr = new ODR(item.Data, item.Model, item.Beta0);
            item.Configure?.Invoke(odr);
            return odr;
        }, options, cancellation);
    }

    /// <summary>Runs fits built by factories and returns each one's output or error (a factory that
    /// throws is that item's error).</summary>
    /// <param name="fits">One factory per fit.</param>
    /// <param name="options">Parallelism and progress; null for the defaults.</param>
    /// <param name="cancellation">Stops the batch with <see cref="OperationCanceledException"/>.</param>
    /// <returns>One result per factory, in input order.</returns>
    public static BatchResult[] RunEach(IReadOnlyList<Func<ODR>> fits, BatchOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(fits);
        for (int i = 0; i < fits.Count; i++)
        {
            if (fits[i] is null) throw new ArgumentException($"fits[{i}] is null.", nameof(fits));
        }
        return Run(fits.Count, i => fits[i](), options, cancellation);
    }

    private static Output[] Outputs(BatchResult[] results)
    {
        int failed = 0, first = -1;
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i].Succeeded) continue;
            failed++;
            if (first < 0) first = i;
        }
        if (failed > 0) throw new OdrBatchException(results, failed, first);
        return results.Select(r => r.Output!).ToArray();
    }

    private static BatchResult[] Run(int count, Func<int, ODR> make, BatchOptions? options, CancellationToken cancellation)
    {
        options ??= new BatchOptions();
        int dop = options.MaxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        var results = new BatchResult[count];
        int done = 0;
        var progress = options.Progress;
        cancellation.ThrowIfCancellationRequested();

        void RunOne(int i)
        {
            try
            {
                var odr = make(i);
                odr.MaxDegreeOfParallelism = 1; // the batch is the parallel level
                results[i] = new BatchResult(odr.Run(cancellation), null);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                results[i] = new BatchResult(null, e);
            }
            int finished = Interlocked.Increment(ref done);
            progress?.Invoke(finished);
        }

        if (dop == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                RunOne(i);
            }
            return results;
        }

        // Contiguous blocks handed out dynamically: cheap scheduling for many small fits, balanced
        // when fits differ in cost.
        int threads = Math.Min(dop, count);
        int block = Math.Clamp(count / (threads * 16), 1, 64);
        int next = 0;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        void Worker()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    int start = Interlocked.Add(ref next, block) - block;
                    if (start >= count) return;
                    int end = Math.Min(count, start + block);
                    for (int i = start; i < end; i++)
                    {
                        if (stop.IsCancellationRequested) return;
                        RunOne(i);
                    }
                }
            }
            catch (Exception e)
            {
                // The batch's cancellation, or a failure outside any one fit (the progress callback).
                Interlocked.CompareExchange(ref failure, e, null);
                stop.Cancel();
            }
        }

        var tasks = new Task[threads - 1];
        for (int t = 0; t < tasks.Length; t++) tasks[t] = Task.Factory.StartNew(Worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Worker();
        Task.WaitAll(tasks);
        if (failure is OperationCanceledException && cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        cancellation.ThrowIfCancellationRequested();
        return results;
    }
}
