using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Odr.Core;

/// <summary>
/// The SIMD widths this machine runs, read once. ReadyToRun (the package's precompiled linux-x64
/// code) compiles for a baseline without AVX2, and a method that tests
/// <c>Vector256/Vector512.IsHardwareAccelerated</c> itself (or has such code inlined) is rejected at
/// run time on a machine that has them, and JIT-compiled before its first call; a method that reads
/// these fields instead keeps its precompiled code. Only the wide paths (long columns, many
/// observations) then need the JIT.
/// </summary>
internal static class SimdWidths
{
    /// <summary>Whether 512-bit vectors are accelerated (AVX-512).</summary>
    public static readonly bool Has512 = Vector512.IsHardwareAccelerated;

    /// <summary>Whether 256-bit vectors are accelerated (AVX2).</summary>
    public static readonly bool Has256 = Vector256.IsHardwareAccelerated;

    /// <summary>Whether either is: the wide paths are worth taking.</summary>
    public static readonly bool Wide = Has512 || Has256;
}

/// <summary>
/// A bundle of doubles, one per observation, that the per-observation step kernels compute with:
/// one observation (<see cref="Lane1"/>) or several side by side in a SIMD register
/// (<see cref="Lane4"/>, <see cref="Lane8"/>). Every operation is an IEEE operation done lane by
/// lane (no fused multiply-add, no reassociation), so a kernel written once over this interface gives
/// the same bits for an observation whichever bundle it was computed in.
/// </summary>
internal interface ILane<TSelf>
    where TSelf : unmanaged, ILane<TSelf>
{
    /// <summary>Observations per bundle.</summary>
    static abstract int Count { get; }

    /// <summary>Whether this bundle is worth using on this machine.</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>The same value in every lane.</summary>
    static abstract TSelf Broadcast(double value);

    /// <summary>a[index + k·stride] into lane k.</summary>
    static abstract TSelf Load(double[] a, int index, int stride);

    /// <summary>Lane k into a[index + k·stride].</summary>
    static abstract void Store(double[] a, int index, int stride, TSelf value);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Sign flip (not 0 − x, which differs for zeros).</summary>
    static abstract TSelf Negate(TSelf a);

    static abstract TSelf Sqrt(TSelf a);

    /// <summary>DFCTR's test for a pivot that is not positive, in any lane: the diagonal entry is
    /// negative, or the reduced pivot s is below −10·eps·|diagonal| or not positive.</summary>
    static abstract bool AnyPivotFails(TSelf diagonal, TSelf s);
}

/// <summary>One observation.</summary>
internal readonly struct Lane1 : ILane<Lane1>
{
    private readonly double v;

    private Lane1(double v) => this.v = v;

    public static int Count => 1;

    public static bool IsAccelerated => true;

    public static Lane1 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Broadcast(double value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Load(double[] a, int index, int stride) => new(a[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double[] a, int index, int stride, Lane1 value) => a[index] = value.v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.v / b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Negate(Lane1 a) => new(-a.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Sqrt(Lane1 a) => new(Math.Sqrt(a.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyPivotFails(Lane1 diagonal, Lane1 s) =>
        diagonal.v < 0 || s.v < Cholesky.Tolerance * Math.Abs(diagonal.v) || s.v <= 0;
}

/// <summary>Four observations in a 256-bit register.</summary>
internal readonly struct Lane4 : ILane<Lane4>
{
    private readonly Vector256<double> v;

    private Lane4(Vector256<double> v) => this.v = v;

    public static int Count => 4;

    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    public static Lane4 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Broadcast(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Load(double[] a, int index, int stride) => stride == 1
        ? new(LoadContiguous256(a, index))
        : new(Vector256.Create(a[index], a[index + stride], a[index + 2 * stride], a[index + 3 * stride]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double[] a, int index, int stride, Lane4 value)
    {
        if (stride == 1)
        {
            _ = a[index + 3];
            value.v.StoreUnsafe(ref a[index]);
            return;
        }
        _ = a[index + 3 * stride];
        a[index] = value.v.GetElement(0);
        a[index + stride] = value.v.GetElement(1);
        a[index + 2 * stride] = value.v.GetElement(2);
        a[index + 3 * stride] = value.v.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LoadContiguous256(double[] a, int index)
    {
        _ = a[index + 3];
        return Vector256.LoadUnsafe(ref a[index]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator +(Lane4 a, Lane4 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator -(Lane4 a, Lane4 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator *(Lane4 a, Lane4 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator /(Lane4 a, Lane4 b) => new(a.v / b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Negate(Lane4 a) => new(Vector256.Xor(a.v, Vector256.Create(-0.0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Sqrt(Lane4 a) => new(Vector256.Sqrt(a.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyPivotFails(Lane4 diagonal, Lane4 s) =>
        Vector256.LessThanAny(diagonal.v, Vector256<double>.Zero)
        || Vector256.LessThanAny(s.v, Vector256.Create(Cholesky.Tolerance) * Vector256.Abs(diagonal.v))
        || Vector256.LessThanOrEqualAny(s.v, Vector256<double>.Zero);
}

/// <summary>Eight observations in a 512-bit register.</summary>
internal readonly struct Lane8 : ILane<Lane8>
{
    private readonly Vector512<double> v;

    private Lane8(Vector512<double> v) => this.v = v;

    public static int Count => 8;

    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    public static Lane8 Zero => default;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Broadcast(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Load(double[] a, int index, int stride) => stride == 1
        ? new(LoadContiguous512(a, index))
        : new(Vector512.Create(
            Vector256.Create(a[index], a[index + stride], a[index + 2 * stride], a[index + 3 * stride]),
            Vector256.Create(a[index + 4 * stride], a[index + 5 * stride], a[index + 6 * stride], a[index + 7 * stride])));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(double[] a, int index, int stride, Lane8 value)
    {
        if (stride == 1)
        {
            _ = a[index + 7];
            value.v.StoreUnsafe(ref a[index]);
            return;
        }
        _ = a[index + 7 * stride];
        var lo = value.v.GetLower();
        var hi = value.v.GetUpper();
        a[index] = lo.GetElement(0);
        a[index + stride] = lo.GetElement(1);
        a[index + 2 * stride] = lo.GetElement(2);
        a[index + 3 * stride] = lo.GetElement(3);
        a[index + 4 * stride] = hi.GetElement(0);
        a[index + 5 * stride] = hi.GetElement(1);
        a[index + 6 * stride] = hi.GetElement(2);
        a[index + 7 * stride] = hi.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> LoadContiguous512(double[] a, int index)
    {
        _ = a[index + 7];
        return Vector512.LoadUnsafe(ref a[index]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator +(Lane8 a, Lane8 b) => new(a.v + b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator -(Lane8 a, Lane8 b) => new(a.v - b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator *(Lane8 a, Lane8 b) => new(a.v * b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator /(Lane8 a, Lane8 b) => new(a.v / b.v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Negate(Lane8 a) => new(Vector512.Xor(a.v, Vector512.Create(-0.0)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Sqrt(Lane8 a) => new(Vector512.Sqrt(a.v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyPivotFails(Lane8 diagonal, Lane8 s) =>
        Vector512.LessThanAny(diagonal.v, Vector512<double>.Zero)
        || Vector512.LessThanAny(s.v, Vector512.Create(Cholesky.Tolerance) * Vector512.Abs(diagonal.v))
        || Vector512.LessThanOrEqualAny(s.v, Vector512<double>.Zero);
}
