namespace Odr.Core;

/// <summary>
/// Large work arrays kept between fits. A fit of n observations needs a dozen scratch arrays of
/// length n and more; fresh ones come from the operating system as untouched pages, and the first
/// write to each page is a page fault — on a virtual machine that costs more than the fit's
/// arithmetic (n = 1e5: about 40 % of the run). ODRPACK lets the caller keep its WORK array between
/// calls for the same reason. Arrays are pooled by exact length, handed out zeroed, and dropped when
/// unused for a while or beyond a size cap, so the pool never holds memory a program has moved on from.
/// </summary>
internal static class ScratchPool
{
    /// <summary>Smaller arrays are cheap to allocate (the GC's young generation reuses warm memory).</summary>
    public const int MinPooledLength = 8192;

    private const long MaxPooledBytes = 1L << 30;
    private const long MaxIdleMilliseconds = 30_000;

    private static readonly object Gate = new();
    private static readonly List<(double[] Array, long ReturnedAt)> Pooled = new();
    private static long pooledBytes;

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

    /// <summary>A zeroed array of exactly <paramref name="length"/> elements.</summary>
    public static double[] Rent(int length)
    {
        if (length >= MinPooledLength)
        {
            lock (Gate)
            {
                for (int k = Pooled.Count - 1; k >= 0; k--)
                {
                    var a = Pooled[k].Array;
                    if (a.Length != length) continue;
                    Pooled.RemoveAt(k);
                    pooledBytes -= 8L * a.Length;
                    Array.Clear(a);
                    return a;
                }
            }
        }
        return new double[length];
    }

    /// <summary>Gives an array back (null and small arrays are ignored). The caller must not use it afterwards.</summary>
    public static void Return(double[]? array)
    {
        if (array is null || array.Length < MinPooledLength) return;
        long now = Environment.TickCount64;
        lock (Gate)
        {
            DropIdle(now);
            if (pooledBytes + (8L * array.Length) > MaxPooledBytes) return;
            Pooled.Add((array, now));
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
}
