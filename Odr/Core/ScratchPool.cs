using System.Runtime.InteropServices;

namespace Odr.Core;

/// <summary>
/// Large work arrays kept between fits. A fit of n observations needs a dozen scratch arrays of
/// length n and more; fresh ones come from the operating system as untouched pages, and the first
/// write to each page is a page fault — on a virtual machine that costs more than the fit's
/// arithmetic (n = 1e5: about 40 % of the run). ODRPACK lets the caller keep its WORK array between
/// calls for the same reason. Arrays are pooled by exact length and dropped when
/// unused for a while or beyond a size cap, so the pool never holds memory a program has moved on from.
/// An array its caller writes in full before reading comes as its last user left it: clearing a
/// fit's ~300 bytes of scratch per observation cost 3–4 % of a fit (exp, forward differences, 1e6:
/// 0.50–0.53 → 0.48–0.50 s; two responses, 1e5: 60.9–61.5 → 57.0–59.7 ms).
/// Small arrays stay with the thread that gave them back (512 KB at most per thread): a batch of
/// thousands of small fits then reuses one set instead of leaving a fit's worth of garbage each time
/// (10,000 fits of 50 points: 17.5 → 8.3 KB allocated per fit, half the gen-0 collections, each of
/// which stops every worker thread).
/// </summary>
internal static class ScratchPool
{
    /// <summary>Smaller arrays are kept per thread instead of in the shared pool (no lock).</summary>
    public const int MinPooledLength = 8192;

    /// <summary>What one thread keeps of small arrays (a fit of 1,000 points needs about 200 KB).</summary>
    public const long MaxThreadCachedBytes = 512 * 1024;

    /// <summary>What the shared pool keeps at most: a quarter of the memory the GC may use (1 GB at
    /// least). A fixed 1 GB made every fit of 1e7 observations (1.2–3 GB of scratch) take most of its
    /// arrays fresh each time, page faults and all (exponential fit, 1e6 points repeated to 1e7: 5.8 s
    /// against 4.9 s with its arrays kept); the idle limit still hands the memory back.</summary>
    private static readonly long MaxPooledBytes = Math.Max(1L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
    private const long MaxIdleMilliseconds = 30_000;

    private static readonly object Gate = new();
    private static readonly List<PooledArray> Pooled = new();
    private static long pooledBytes;

    [ThreadStatic]
    private static ThreadCache? threadCache;

    static ScratchPool()
    {
        _ = new TrimOnFullCollection();
    }

    /// <summary>Bytes held by the pool now (for tests and diagnostics).</summary>
    public static long PooledBytes
    {
        get
        {
            lock (Gate) return pooledBytes;
        }
    }

    /// <summary>Test hook: on this thread, arrays rented with <c>zeroed: false</c> come filled with this
    /// value (null: as their last user left them), so that a value read before the fit writes it
    /// shows in the results.</summary>
    [ThreadStatic]
    internal static double? PoisonUnzeroed;

    /// <summary>An array of exactly <paramref name="length"/> elements: zeroed, or with
    /// <paramref name="zeroed"/> false holding whatever its last user left (for arrays the caller
    /// writes in full before it reads them).</summary>
    public static double[] Rent(int length, bool zeroed = true)
    {
        var a = length < MinPooledLength ? RentSmall(length, zeroed) : RentShared(length, zeroed);
        if (!zeroed && PoisonUnzeroed is double poison) Array.Fill(a, poison);
        return a;
    }

    private static double[] RentShared(int length, bool zeroed)
    {
        lock (Gate)
        {
            for (int k = Pooled.Count - 1; k >= 0; k--)
            {
                var a = Pooled[k].Array;
                if (a.Length != length) continue;
                Pooled.RemoveAt(k);
                pooledBytes -= 8L * a.Length;
                if (zeroed) Array.Clear(a);
                return a;
            }
        }
        return new double[length];
    }

    /// <summary>Bytes of small arrays the calling thread keeps (for tests).</summary>
    public static long ThreadCachedBytes => threadCache?.Bytes ?? 0;

    private static double[] RentSmall(int length, bool zeroed)
    {
        var a = threadCache?.Take(length);
        if (a is null) return new double[length];
        if (zeroed) Array.Clear(a);
        return a;
    }

    private static void ReturnSmall(double[] array) => (threadCache ??= new ThreadCache()).Give(array);

    /// <summary>
    /// One thread's small arrays, oldest first. Written on every rent and return, so it shares no
    /// cache line with anything another thread writes: its fields sit between 64-byte pads, and its
    /// slots array leaves 8 slots unused at each end. Objects of different threads end up side by
    /// side in the heap once a collection compacts them; a List and a thread-static counter did,
    /// and two batch workers made each other's rents and returns 3-8 times slower than in two
    /// processes (perf, bench/README.md "odr batch").
    /// </summary>
    [StructLayout(LayoutKind.Explicit)]
    private sealed class ThreadCache
    {
        private const int Pad = 8;

#pragma warning disable CS0169 // padding: never read or written, on purpose
        [FieldOffset(0)]
        private CacheLine before;

        [FieldOffset(96)]
        private CacheLine after;
#pragma warning restore CS0169

        [FieldOffset(64)]
        private double[]?[] slots = new double[]?[(2 * Pad) + 32];

        [FieldOffset(72)]
        private long bytes;

        [FieldOffset(80)]
        private int count;

        public long Bytes => bytes;

        /// <summary>The newest kept array of exactly <paramref name="length"/> elements, or null.</summary>
        public double[]? Take(int length)
        {
            for (int k = Pad + count - 1; k >= Pad; k--)
            {
                var a = slots[k]!;
                if (a.Length != length) continue;
                Array.Copy(slots, k + 1, slots, k, Pad + count - 1 - k);
                slots[Pad + --count] = null;
                bytes -= 8L * length;
                return a;
            }
            return null;
        }

        /// <summary>Keeps <paramref name="array"/>; over the cap the oldest go, so a thread that moved on
        /// to fits of another size keeps the new ones.</summary>
        public void Give(double[] array)
        {
            long size = 8L * array.Length;
            int drop = 0;
            while (drop < count && bytes + size > MaxThreadCachedBytes) bytes -= 8L * slots[Pad + drop++]!.Length;
            if (drop > 0)
            {
                Array.Copy(slots, Pad + drop, slots, Pad, count - drop);
                Array.Clear(slots, Pad + count - drop, drop);
                count -= drop;
            }
            if (Pad + count + Pad == slots.Length) Array.Resize(ref slots, (2 * Pad) + (2 * count));
            slots[Pad + count++] = array;
            bytes += size;
        }
    }

    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct CacheLine
    {
    }

    /// <summary>Gives an array back (null is ignored). The caller must not use it afterwards.</summary>
    public static void Return(double[]? array)
    {
        if (array is null || array.Length == 0) return;
        if (array.Length < MinPooledLength)
        {
            ReturnSmall(array);
            return;
        }
        long now = Environment.TickCount64;
        lock (Gate)
        {
            DropIdle(now);
            if (pooledBytes + (8L * array.Length) > MaxPooledBytes) return;
            Pooled.Add(new PooledArray(array, now));
            pooledBytes += 8L * array.Length;
        }
    }

    private static void DropIdle(long now)
    {
        for (int k = Pooled.Count - 1; k >= 0; k--)
        {
            if (now - Pooled[k].ReturnedAt <= MaxIdleMilliseconds) continue;
            pooledBytes -= 8L * Pooled[k].Array.Length;
            Pooled.RemoveAt(k);
        }
    }

    /// <summary>Trims idle arrays after each full garbage collection (the object re-registers its
    /// finalizer, which runs once per gen-2 collection), so a program that stopped fitting gets the
    /// memory back without calling anything.</summary>
    private sealed class TrimOnFullCollection
    {
        ~TrimOnFullCollection()
        {
            if (Environment.HasShutdownStarted) return;
            if (Monitor.TryEnter(Gate))
            {
                try
                {
                    DropIdle(Environment.TickCount64);
                }
                finally
                {
                    Monitor.Exit(Gate);
                }
            }
            GC.ReRegisterForFinalize(this);
        }
    }

    /// <summary>An array in the shared pool and when it came back. A type of Odr's own rather than a
    /// tuple: the list's code over it is then precompiled with the library (ReadyToRun keeps no
    /// List of a (double[], long) tuple, and the first fit in a process JIT-compiled it).</summary>
    private readonly record struct PooledArray(double[] Array, long ReturnedAt);
}
