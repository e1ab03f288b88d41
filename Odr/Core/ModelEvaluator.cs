using System.Runtime.ExceptionServices;

namespace Odr.Core;

/// <summary>Outcome of one call of the user's model, in ODRPACK's ISTOP terms.</summary>
internal enum EvaluationStatus
{
    /// <summary>Values computed.</summary>
    Ok = 0,

    /// <summary>The model rejected the point (threw <see cref="OdrStop"/>) or returned NaN/Inf: ISTOP &gt; 0.</summary>
    Rejected = 1,

    /// <summary>The model returned NaN/Inf (or left a value unset): rejected like ISTOP &gt; 0, and at
    /// the starting point a clear argument error.</summary>
    NonFinite = 2,
}

/// <summary>Work split into chunks of observations; chunks are independent of each other.</summary>
internal interface IChunkJob
{
    /// <summary>Runs one chunk. Must not throw (record failures and report them after the run).</summary>
    void RunChunk(int chunk);
}

/// <summary>
/// Contiguous chunks of observations: chunk c covers observations [Start(c), Start(c + 1)). The split
/// depends only on n and the chunk count, and every chunk's arithmetic is exactly the serial one, so a
/// parallel run gives the serial results bit for bit.
/// </summary>
internal readonly struct ObservationChunks
{
    /// <summary>Fewest observations worth a chunk of their own.</summary>
    public const int MinObservationsPerChunk = 2048;

    public ObservationChunks(int n, int count)
    {
        N = n;
        Count = Math.Max(1, count);
    }

    public int N { get; }

    public int Count { get; }

    public int Start(int chunk) => (int)((long)N * chunk / Count);

    /// <summary>Chunk count for n observations and a degree of parallelism (0 or negative: all
    /// cores): one chunk when serial, else up to four per thread (claimed dynamically).</summary>
    public static ObservationChunks For(int n, int maxDegreeOfParallelism)
    {
        int dop = maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        if (dop <= 1) return new ObservationChunks(n, 1);
        int count = Math.Max(1, Math.Min(4 * dop, n / MinObservationsPerChunk));
        return new ObservationChunks(n, count);
    }
}

/// <summary>The steps of <see cref="ChunkPool"/>'s protocol, where a test hook may inject delays.</summary>
internal enum ChunkPoolStep
{
    /// <summary>The caller owns the pool and is about to publish a job.</summary>
    CallerPublishing,

    /// <summary>The caller published the job and is about to wake workers.</summary>
    CallerWaking,

    /// <summary>The caller woke the workers and starts claiming chunks itself.</summary>
    CallerClaiming,

    /// <summary>Every chunk is done; the caller takes back the wake-ups no worker consumed.</summary>
    CallerRevoking,

    /// <summary>The caller waits for the workers that did wake to check out.</summary>
    CallerAwaitingWorkers,

    /// <summary>A worker consumed a wake-up.</summary>
    WorkerWoke,

    /// <summary>A thread is about to claim a chunk.</summary>
    Claiming,

    /// <summary>A thread claimed a chunk and is about to run it.</summary>
    Claimed,

    /// <summary>A thread ran a chunk and is about to count it done.</summary>
    Finishing,

    /// <summary>A worker found no chunk left and is about to check out.</summary>
    WorkerCheckingOut,
}

/// <summary>
/// A small allocation-free pool of background worker threads (one fewer than the cores) that runs the
/// chunks of one <see cref="IChunkJob"/> at a time. The calling thread works too; chunks are claimed
/// one by one, so when a worker is slow to wake (a busy machine) the caller simply takes more of them.
/// When the pool is busy with another solver's job (or called from inside a job), the chunks run
/// serially on the caller. Which thread runs a chunk never changes its arithmetic.
/// </summary>
/// <remarks>
/// The protocol runs in epochs, one per <see cref="Run"/>, and no worker ever acts in two epochs:
/// <list type="number">
/// <item>The caller owns the pool (<c>busy</c>, taken by compare-exchange) and, while no worker is in
/// an epoch, writes the job, the chunk count, the next-chunk counter (0) and the count of unfinished
/// chunks; <c>Release</c> of the semaphore then publishes them (a full fence).</item>
/// <item>A worker enters the epoch only by consuming one of this epoch's wake-ups. Chunks are claimed
/// with <c>Interlocked.Increment</c> of the next-chunk counter, so each index is handed out once, and
/// only indices below the count run: every chunk runs exactly once and is counted done once.</item>
/// <item>When the unfinished count reaches 0, the caller takes back (<c>Wait(0)</c>) every wake-up no
/// worker consumed, so none is left to wake a worker in a later epoch, and waits until every worker
/// that consumed one has checked out; only then does it clear the job and free the pool.</item>
/// </list>
/// So the state a worker reads is always that of the epoch it was woken for, the counters cannot go
/// negative, and Run returns once all chunks are done. <see cref="TestHook"/> lets tests put delays
/// at every step.
/// </remarks>
internal static class ChunkPool
{
    private static readonly int WorkerCount = Math.Max(0, Environment.ProcessorCount - 1);
    private static readonly object InitGate = new();
    private static readonly ManualResetEventSlim Done = new(false);
    private static SemaphoreSlim? start;
    private static int busy;
    private static int remaining;     // chunks of this epoch not yet finished
    private static int nextChunk;     // next chunk index to hand out (may run past chunkCount)
    private static int checkedOut;    // workers of this epoch that have finished with it
    private static IChunkJob? job;
    private static int chunkCount;
    private static Exception? failure;

    /// <summary>Tests only: called at each step of the protocol (on the thread taking it), for
    /// example to sleep there. Null in normal use.</summary>
    internal static Action<ChunkPoolStep>? TestHook { get; set; }

    /// <summary>Runs chunks 0..<paramref name="chunks"/>-1 of the job and returns when all are done.</summary>
    public static void Run(IChunkJob work, int chunks)
    {
        if (chunks <= 1 || WorkerCount == 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int c = 0; c < chunks; c++) work.RunChunk(c);
            return;
        }
        try
        {
            var wake = EnsureWorkers();
            Step(ChunkPoolStep.CallerPublishing);
            failure = null;
            job = work;
            chunkCount = chunks;
            nextChunk = 0;
            checkedOut = 0;
            Volatile.Write(ref remaining, chunks);
            Step(ChunkPoolStep.CallerWaking);
            int released = Math.Min(chunks - 1, WorkerCount);
            wake.Release(released);
            Step(ChunkPoolStep.CallerClaiming);
            RunClaims();
            while (Volatile.Read(ref remaining) != 0)
            {
                Done.Wait();
                Done.Reset();
            }

            // End the epoch: no wake-up may outlive it, and every worker in it must be out.
            Step(ChunkPoolStep.CallerRevoking);
            int revoked = 0;
            while (revoked < released && wake.Wait(0)) revoked++;
            int inside = released - revoked;
            Step(ChunkPoolStep.CallerAwaitingWorkers);
            while (Volatile.Read(ref checkedOut) != inside)
            {
                Done.Wait();
                Done.Reset();
            }
            job = null;
            if (failure is { } e)
            {
                failure = null;
                ExceptionDispatchInfo.Capture(e).Throw();
            }
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    private static void Step(ChunkPoolStep step) => TestHook?.Invoke(step);

    private static void RunClaims()
    {
        var work = job!;
        int count = chunkCount;
        while (true)
        {
            Step(ChunkPoolStep.Claiming);
            int index = Interlocked.Increment(ref nextChunk) - 1;
            if (index >= count) return;
            Step(ChunkPoolStep.Claimed);
            try
            {
                work.RunChunk(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
            Step(ChunkPoolStep.Finishing);
            if (Interlocked.Decrement(ref remaining) == 0) Done.Set();
        }
    }

    private static SemaphoreSlim EnsureWorkers()
    {
        if (start != null) return start;
        lock (InitGate)
        {
            if (start != null) return start;
            var wake = new SemaphoreSlim(0);
            for (int w = 0; w < WorkerCount; w++)
            {
                var thread = new Thread(() => WorkerLoop(wake)) { IsBackground = true, Name = "Odr worker " + (w + 1) };
                thread.Start();
            }
            start = wake;
            return wake;
        }
    }

    private static void WorkerLoop(SemaphoreSlim wake)
    {
        while (true)
        {
            wake.Wait();
            Step(ChunkPoolStep.WorkerWoke);
            RunClaims();
            Step(ChunkPoolStep.WorkerCheckingOut);
            Interlocked.Increment(ref checkedOut);
            Done.Set();
        }
    }
}

/// <summary>
/// Calls the user's model for the solver: counts evaluations, turns <see cref="OdrStop"/> and
/// non-finite values into a rejected point, and wraps any other exception with the beta at which it
/// happened. With more than one chunk (and a model that may run concurrently), each call is split into
/// contiguous chunks of observations evaluated in parallel; the values are those of one serial call.
/// </summary>
internal sealed class ModelEvaluator : IChunkJob
{
    private const int KindFunction = 0;
    private const int KindJacobianBeta = 1;
    private const int KindJacobianX = 2;

    private readonly Model model;
    private readonly int n;
    private readonly int m;
    private readonly int q;
    private readonly int p;
    private readonly ObservationChunks chunks;
    private readonly double[][] betaBuffers;
    private readonly Exception?[] chunkErrors;
    private readonly bool[] chunkFinite; // per chunk of the last chunked call: no NaN or Inf in its values

    // Correlated x–y errors (m = q = 1): the data's x and the slopes c_i of f(β, z) + c_i·(z − x_i).
    private double[]? xyErrorSlopes;
    private double[] observedX = Array.Empty<double>();

    // Arguments of the call in flight (parallel path).
    private double[] callBeta = Array.Empty<double>();
    private double[] callX = Array.Empty<double>();
    private double[] callOut = Array.Empty<double>();
    private int callKind;

    public ModelEvaluator(Model model, int n, int m, int q, int p, int maxDegreeOfParallelism = 1, bool parallelModel = false)
    {
        this.model = model;
        this.n = n;
        this.m = m;
        this.q = q;
        this.p = p;
        chunks = parallelModel ? ObservationChunks.For(n, maxDegreeOfParallelism) : new ObservationChunks(n, 1);
        EvaluatesSubsets = parallelModel || model.EvaluatesPointwise;
        ConcurrentSubsets = parallelModel;
        betaBuffers = new double[chunks.Count][];
        for (int c = 0; c < chunks.Count; c++) betaBuffers[c] = new double[p];
        chunkErrors = new Exception?[chunks.Count];
        chunkFinite = new bool[chunks.Count];
    }

    public Model Model => model;

    /// <summary>
    /// Correlated x–y errors (one input, one response): from now on every model value of observation i
    /// at z is f(β, z) + c_i·(z − x_i) and every ∂f/∂z gains c_i, so that ODRPACK's weighted sum of
    /// squares (with we = 1/((1 − r²)·sy²), wd = 1/sx²) is the quadratic form of (δ_i, ε_i) with the
    /// inverse of their covariance. Here and not in the user's callback because only this class knows
    /// which observations each call (whole, chunked or a subset) covers; the solver's step is unchanged.
    /// </summary>
    /// <param name="x">The data's x (observation i at [i]), from which z − x_i = δ_i is taken.</param>
    /// <param name="slopes">c_i = −r_i·sy_i/sx_i per observation.</param>
    public void CorrectForCorrelatedErrors(double[] x, double[] slopes)
    {
        if (m != 1 || q != 1) throw new InvalidOperationException("Correlated x–y errors need one input and one response.");
        if (x.Length != n || slopes.Length != n) throw new ArgumentException("x and the slopes need one value per observation.");
        observedX = x;
        xyErrorSlopes = slopes;
    }

    /// <summary>Adds the correlated-error correction (if any) to the values of observations
    /// [first, first + output.Length) of a call at <paramref name="z"/> (the same observations).</summary>
    private void Correct(int kind, ReadOnlySpan<double> z, int first, Span<double> output)
    {
        var c = xyErrorSlopes;
        if (c is null || kind == KindJacobianBeta) return;
        var cs = c.AsSpan(first, output.Length);
        if (kind == KindFunction)
        {
            var x0 = observedX.AsSpan(first, output.Length);
            for (int k = 0; k < output.Length; k++) output[k] += cs[k] * (z[k] - x0[k]);
        }
        else
        {
            for (int k = 0; k < output.Length; k++) output[k] += cs[k];
        }
    }

    /// <summary>Checked before every call of the user's model (each chunk of a chunked call too), so
    /// that a cancelled fit stops within one model call.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>Whether subsets may be evaluated from several threads at once (the model is declared
    /// pure, or the fit set ParallelModelEvaluation); otherwise every call is made from one thread at
    /// a time.</summary>
    public bool ConcurrentSubsets { get; }

    /// <summary>Iteration number reported in wrapped exceptions.</summary>
    public int Iteration { get; set; }

    /// <summary>Description of the last rejected point, for the stop reason.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>The first non-finite value of the last model evaluation that returned one.</summary>
    public int NonFiniteIndex { get; private set; }

    /// <summary>Model values into an array: split into chunks when the model allows it.</summary>
    public EvaluationStatus Function(double[] beta, double[] x, double[] f)
    {
        if (chunks.Count == 1) return Function(beta, x, f.AsSpan());
        return RunChunked(KindFunction, beta, x, f, "model function", q);
    }

    public EvaluationStatus Function(double[] beta, double[] x, Span<double> f) =>
        RunSerial(KindFunction, beta, x, f.Slice(0, n * q), "model function");

    /// <summary>Whether the model may be called on a subset of the observations (a per-observation
    /// model, or a vectorized one declared pure); from several threads only when
    /// <see cref="ConcurrentSubsets"/>.</summary>
    public bool EvaluatesSubsets { get; }

    /// <summary>Model values of observations [first, first + count) only (requires
    /// <see cref="EvaluatesSubsets"/>), with a parameter buffer of the caller's (p values) so that
    /// several threads can evaluate disjoint subsets.</summary>
    public EvaluationStatus FunctionOf(double[] beta, double[] betaBuffer, double[] x, int first, int count, Span<double> f)
    {
        var output = f.Slice(0, count * q);
        Cancellation.ThrowIfCancellationRequested();
        try
        {
            Dispatch(KindFunction, beta, betaBuffer, x.AsSpan(first * m, count * m), output);
            Correct(KindFunction, x.AsSpan(first * m, count * m), first, output);
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException && !IsOurCancellation(e))
        {
            throw new ModelEvaluationException("model function", beta, Iteration, e);
        }
        return CheckValues(output);
    }

    private EvaluationStatus CheckValues(ReadOnlySpan<double> f)
    {
        int bad = FirstNonFinite(f);
        if (bad >= 0)
        {
            LastRejection = $"the model returned {f[bad]} for observation {bad / q}" + (q > 1 ? $", response {bad % q}" : string.Empty);
            NonFiniteIndex = bad;
            return EvaluationStatus.NonFinite;
        }
        return EvaluationStatus.Ok;
    }

    public EvaluationStatus JacobianBeta(double[] beta, double[] x, double[] jac)
    {
        if (chunks.Count == 1) return JacobianBeta(beta, x, jac.AsSpan());
        return RunChunked(KindJacobianBeta, beta, x, jac, "Jacobian fjacb", q * p);
    }

    public EvaluationStatus JacobianBeta(double[] beta, double[] x, Span<double> jac) =>
        RunSerial(KindJacobianBeta, beta, x, jac.Slice(0, n * q * p), "Jacobian fjacb");

    public EvaluationStatus JacobianX(double[] beta, double[] x, double[] jac)
    {
        if (chunks.Count == 1) return JacobianX(beta, x, jac.AsSpan());
        return RunChunked(KindJacobianX, beta, x, jac, "Jacobian fjacd", q * m);
    }

    public EvaluationStatus JacobianX(double[] beta, double[] x, Span<double> jac) =>
        RunSerial(KindJacobianX, beta, x, jac.Slice(0, n * q * m), "Jacobian fjacd");

    /// <summary>One call on the calling thread: a rejection (OdrStop) or a wrapped exception, else the
    /// values checked for NaN/Inf.</summary>
    private EvaluationStatus RunSerial(int kind, double[] beta, double[] x, Span<double> output, string what)
    {
        Cancellation.ThrowIfCancellationRequested();
        try
        {
            Dispatch(kind, beta, betaBuffers[0], x.AsSpan(0, n * m), output);
            Correct(kind, x.AsSpan(0, n * m), 0, output);
        }
        catch (OdrStop stop)
        {
            LastRejection = stop.Message;
            return EvaluationStatus.Rejected;
        }
        catch (Exception e) when (e is not ModelEvaluationException && !IsOurCancellation(e))
        {
            throw new ModelEvaluationException(what, beta, Iteration, e);
        }
        return Check(kind, output);
    }

    /// <summary>A cancellation of this fit's token, thrown by our check or by a model that watches
    /// the same token: passed on as it is, not wrapped as a model failure.</summary>
    private bool IsOurCancellation(Exception e) => e is OperationCanceledException && Cancellation.IsCancellationRequested;

    /// <summary>The user's function or Jacobian for the given kind of call (the Model clears a
    /// Jacobian's destination before calling the user's code).</summary>
    private void Dispatch(int kind, double[] beta, double[] buffer, ReadOnlySpan<double> x, Span<double> output)
    {
        switch (kind)
        {
            case KindFunction:
                model.Evaluate(beta, buffer, x, output);
                break;
            case KindJacobianBeta:
                model.EvaluateJacobianBeta(beta, buffer, x, output);
                break;
            default:
                model.EvaluateJacobianX(beta, buffer, x, output);
                break;
        }
    }

    private EvaluationStatus Check(int kind, ReadOnlySpan<double> output) => kind switch
    {
        KindFunction => CheckValues(output),
        KindJacobianBeta => CheckJacobian(output, "fjacb", q * p),
        _ => CheckJacobian(output, "fjacd", q * m),
    };

    private EvaluationStatus CheckJacobian(ReadOnlySpan<double> jac, string name, int perObservation)
    {
        int bad = FirstNonFinite(jac);
        if (bad >= 0)
        {
            LastRejection = $"the Jacobian {name} returned {jac[bad]} for observation {bad / perObservation}";
            return EvaluationStatus.Rejected;
        }
        return EvaluationStatus.Ok;
    }

    /// <summary>One call split into chunks. The first chunk (in observation order) that threw decides
    /// the outcome, as the exception a serial call would have thrown first; otherwise the values are
    /// checked as in a serial call.</summary>
    private EvaluationStatus RunChunked(int kind, double[] beta, double[] x, double[] output, string what, int width)
    {
        Cancellation.ThrowIfCancellationRequested();
        callKind = kind;
        callBeta = beta;
        callX = x;
        callOut = output;
        Array.Clear(chunkErrors);
        Array.Clear(chunkFinite); // a chunk that never reports is checked serially
        ChunkPool.Run(this, chunks.Count);
        callBeta = callX = callOut = Array.Empty<double>();
        foreach (var e in chunkErrors)
        {
            if (e is null || !IsOurCancellation(e)) continue;
            Array.Clear(chunkErrors);
            Cancellation.ThrowIfCancellationRequested();
        }
        foreach (var e in chunkErrors)
        {
            if (e is null) continue;
            Array.Clear(chunkErrors);
            if (e is OdrStop stop)
            {
                LastRejection = stop.Message;
                return EvaluationStatus.Rejected;
            }
            if (e is ModelEvaluationException) ExceptionDispatchInfo.Capture(e).Throw();
            throw new ModelEvaluationException(what, beta, Iteration, e);
        }
        foreach (bool finite in chunkFinite)
        {
            // Some chunk holds NaN or Inf: the serial check finds the first and says where.
            if (!finite) return Check(kind, output.AsSpan(0, n * width));
        }
        return EvaluationStatus.Ok;
    }

    void IChunkJob.RunChunk(int chunk)
    {
        int i0 = chunks.Start(chunk), i1 = chunks.Start(chunk + 1), len = i1 - i0;
        var x = callX.AsSpan(i0 * m, len * m);
        var buffer = betaBuffers[chunk];
        int width = callKind switch { KindFunction => q, KindJacobianBeta => q * p, _ => q * m };
        try
        {
            Cancellation.ThrowIfCancellationRequested();
            var output = callOut.AsSpan(i0 * width, len * width);
            Dispatch(callKind, callBeta, buffer, x, output);
            Correct(callKind, x, i0, output);
            // Checked here, on every thread and while the values are fresh, rather than in one
            // serial pass over all of them afterwards (n = 1e6: tens of MB of Jacobians from memory).
            chunkFinite[chunk] = FirstNonFinite(output) < 0;
        }
        catch (Exception e)
        {
            chunkErrors[chunk] = e;
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i])) return i;
        }
        return -1;
    }
}
