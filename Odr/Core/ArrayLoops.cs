namespace Odr.Core;

/// <summary>
/// Filling and testing arrays with plain loops. CoreLib's generic helpers (Array.Fill and Span.Fill
/// over double or int, LINQ's Any and All over double) are not among the instantiations its
/// ReadyToRun image carries, so every one a fit called was JIT-compiled during the first fit in a
/// process; these are Odr's own code, precompiled with the library (bench/README.md, "Cold start").
/// </summary>
internal static class ArrayLoops
{
    /// <summary>Sets every element of <paramref name="a"/> to <paramref name="value"/>.</summary>
    public static void Fill(Span<double> a, double value)
    {
        for (int i = 0; i < a.Length; i++) a[i] = value;
    }

    /// <summary>Sets every element of <paramref name="a"/> to <paramref name="value"/>.</summary>
    public static void Fill(Span<int> a, int value)
    {
        for (int i = 0; i < a.Length; i++) a[i] = value;
    }

    /// <summary>Whether any element is finite.</summary>
    public static bool AnyFinite(ReadOnlySpan<double> a)
    {
        foreach (double v in a)
        {
            if (double.IsFinite(v)) return true;
        }
        return false;
    }

    /// <summary>Whether every element equals <paramref name="value"/>.</summary>
    public static bool AllEqual(ReadOnlySpan<double> a, double value)
    {
        foreach (double v in a)
        {
            if (v != value) return false;
        }
        return true;
    }
}
