using System.Runtime.ExceptionServices;

namespace Odr.Core;

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
