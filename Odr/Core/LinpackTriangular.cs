using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Odr.Core;

/// <summary>LINPACK's triangular kernels (DTRCO, DCHEX, DTRSL, DPODI) and the BLAS routines
/// (DROTG, DNRM2, DDOT, DAXPY, DSCAL) of reference BLAS 3.10+.</summary>
internal static partial class Linpack
{
    /// <summary>DTRCO (upper triangular): estimate of the reciprocal condition number; z receives the
    /// approximate null vector used to choose which column to drop.</summary>
    public static double TriangularConditionEstimate(ReadOnlySpan<double> t, int ld, int n, Span<double> z)
    {
        double tnorm = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i <= j; i++) s += Math.Abs(t[j * ld + i]);
            tnorm = Math.Max(tnorm, s);
        }

        double ek = 1.0;
        z.Slice(0, n).Clear();
        for (int k = 0; k < n; k++)
        {
            double tkk = t[k * ld + k];
            if (z[k] != 0) ek = Math.CopySign(ek, -z[k]);
            if (Math.Abs(ek - z[k]) > Math.Abs(tkk))
            {
                double s = Math.Abs(tkk) / Math.Abs(ek - z[k]);
                Scale(z.Slice(0, n), s);
                ek = s * ek;
            }
            double wk = ek - z[k];
            double wkm = -ek - z[k];
            double sp = Math.Abs(wk);
            double sm = Math.Abs(wkm);
            if (tkk != 0) { wk /= tkk; wkm /= tkk; }
            else { wk = 1.0; wkm = 1.0; }
            if (k < n - 1)
            {
                for (int j = k + 1; j < n; j++)
                {
                    double tkj = t[j * ld + k];
                    sm += Math.Abs(z[j] + wkm * tkj);
                    z[j] += wk * tkj;
                    sp += Math.Abs(z[j]);
                }
                if (sp < sm)
                {
                    double w = wkm - wk;
                    wk = wkm;
                    for (int j = k + 1; j < n; j++) z[j] += w * t[j * ld + k];
                }
            }
            z[k] = wk;
        }
        Scale(z.Slice(0, n), 1.0 / AbsSum(z.Slice(0, n)));

        double ynorm = 1.0;
        for (int k = n - 1; k >= 0; k--)
        {
            double tkk = t[k * ld + k];
            if (Math.Abs(z[k]) > Math.Abs(tkk))
            {
                double s = Math.Abs(tkk) / Math.Abs(z[k]);
                Scale(z.Slice(0, n), s);
                ynorm *= s;
            }
            if (tkk != 0) z[k] /= tkk;
            else z[k] = 1.0;
            double w = -z[k];
            for (int i = 0; i < k; i++) z[i] += w * t[k * ld + i];
        }
        double scale = 1.0 / AbsSum(z.Slice(0, n));
        Scale(z.Slice(0, n), scale);
        ynorm *= scale;
        return tnorm != 0 ? ynorm / tnorm : 0.0;
    }

    /// <summary>DCHEX with JOB = 2: move column k of the upper-triangular r to position l (k &lt; l),
    /// shifting the columns between left, and restore the triangle with Givens rotations that are also
    /// applied to the vector z.</summary>
    public static void MoveColumnToEnd(Span<double> r, int ld, int k, int l, Span<double> z)
    {
        if (k >= l) return;
        // Save column k, shift k+1..l left by one, put the saved column at l.
        Span<double> saved = l + 1 <= 64 ? stackalloc double[l + 1] : new double[l + 1];
        for (int i = 0; i <= l; i++) saved[i] = r[k * ld + i];
        for (int j = k; j < l; j++)
        {
            for (int i = 0; i <= j + 1; i++) r[j * ld + i] = r[(j + 1) * ld + i];
        }
        for (int i = 0; i <= l; i++) r[l * ld + i] = saved[i];
        // Columns k..l-1 now have one sub-diagonal entry (j+1, j); zero it row pair by row pair.
        for (int j = k; j < l; j++)
        {
            double a = r[j * ld + j];
            double b = r[j * ld + j + 1];
            Rotg(ref a, ref b, out double c, out double s);
            r[j * ld + j] = a;
            r[j * ld + j + 1] = 0;
            for (int col = j + 1; col <= l; col++)
            {
                double x = r[col * ld + j], y = r[col * ld + j + 1];
                r[col * ld + j] = c * x + s * y;
                r[col * ld + j + 1] = c * y - s * x;
            }
            double zx = z[j], zy = z[j + 1];
            z[j] = c * zx + s * zy;
            z[j + 1] = c * zy - s * zx;
        }
    }

    /// <summary>DTRSL with JOB = 01: solve R x = b for upper-triangular R in place.</summary>
    /// <returns>0, or the 1-based index of a zero diagonal element.</returns>
    public static int SolveUpper(ReadOnlySpan<double> r, int ld, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            if (r[i * ld + i] == 0) return i + 1;
        }
        b[n - 1] /= r[(n - 1) * ld + n - 1];
        for (int j = n - 2; j >= 0; j--)
        {
            double temp = -b[j + 1];
            var col = r.Slice((j + 1) * ld, j + 1);
            for (int i = 0; i <= j; i++) b[i] += temp * col[i];
            b[j] /= r[j * ld + j];
        }
        return 0;
    }

    /// <summary>DPODI with JOB = 1: given the upper Cholesky factor R (in the upper triangle),
    /// overwrite the upper triangle with (RᵀR)⁻¹.</summary>
    public static void CholeskyInverse(Span<double> a, int ld, int n)
    {
        for (int k = 0; k < n; k++)
        {
            a[k * ld + k] = 1.0 / a[k * ld + k];
            double t = -a[k * ld + k];
            for (int i = 0; i < k; i++) a[k * ld + i] *= t;
            for (int j = k + 1; j < n; j++)
            {
                t = a[j * ld + k];
                a[j * ld + k] = 0;
                for (int i = 0; i <= k; i++) a[j * ld + i] += t * a[k * ld + i];
            }
        }
        for (int j = 0; j < n; j++)
        {
            for (int k = 0; k < j; k++)
            {
                double t = a[j * ld + k];
                for (int i = 0; i <= k; i++) a[k * ld + i] += t * a[j * ld + i];
            }
            double tj = a[j * ld + j];
            for (int i = 0; i <= j; i++) a[j * ld + i] *= tj;
        }
    }

    /// <summary>DROTG as in reference BLAS 3.10+ (the BLAS scipy's ODRPACK runs on): a Givens
    /// rotation with a and b scaled by the larger magnitude; a becomes r, b becomes z.</summary>
    public static void Rotg(ref double a, ref double b, out double c, out double s)
    {
        const double SafeMin = 2.2250738585072014E-308;
        const double SafeMax = 1 / SafeMin;
        double anorm = Math.Abs(a), bnorm = Math.Abs(b);
        if (bnorm == 0)
        {
            c = 1;
            s = 0;
            b = 0;
            return;
        }
        if (anorm == 0)
        {
            c = 0;
            s = 1;
            a = b;
            b = 1;
            return;
        }
        double scl = Math.Min(SafeMax, Math.Max(SafeMin, Math.Max(anorm, bnorm)));
        double sigma = anorm > bnorm ? Math.CopySign(1.0, a) : Math.CopySign(1.0, b);
        double r = sigma * (scl * Math.Sqrt((a / scl) * (a / scl) + (b / scl) * (b / scl)));
        c = a / r;
        s = b / r;
        double z = anorm > bnorm ? s : (c != 0 ? 1 / c : 1);
        a = r;
        b = z;
    }

    /// <summary>DNRM2 as in reference BLAS 3.10+ (Blue's algorithm): a plain sum of squares for
    /// values of ordinary size, separate scaled accumulators for tiny and huge ones.</summary>
    public static double Norm2(ReadOnlySpan<double> x)
    {
        var acc = default(Norm2Accumulator);
        foreach (double v in x) acc.Add(v);
        return acc.Result;
    }

    /// <summary>DNRM2 one element at a time, for norms of vectors that are never stored whole (the
    /// same operations in the same order as <see cref="Norm2"/>).</summary>
    public struct Norm2Accumulator
    {
        private const double Tsml = 1.4916681462400413E-154; // 2^-511
        private const double Tbig = 1.9979190722022350E+146; // 2^486
        private const double Ssml = 4.4989137945431964E+161; // 2^537
        private const double Sbig = 1.1113793747425387E-162; // 2^-538
        private double asml;
        private double amed;
        private double abig;
        private bool big;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Add(double v)
        {
            double ax = Math.Abs(v);
            if (ax > Tbig)
            {
                abig += (ax * Sbig) * (ax * Sbig);
                big = true;
            }
            else if (ax < Tsml)
            {
                if (!big) asml += (ax * Ssml) * (ax * Ssml);
            }
            else
            {
                amed += ax * ax;
            }
        }

        /// <summary>Adds v when <see cref="AllMedium"/> said it is of medium size: what
        /// <see cref="Add"/> does then (v·v is |v|·|v| to the bit).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void AddMedium(double v) => amed += v * v;

        /// <summary>Whether every element lies in DNRM2's medium range (no NaN, none below Tsml or
        /// above Tbig), so that <see cref="Add"/> would take its plain sum-of-squares branch for all.</summary>
        public static bool AllMedium(ReadOnlySpan<double> x)
        {
            if (x.Length >= WideMinLength && SimdWidths.Has512) return AllMediumWide(x);
            foreach (double v in x)
            {
                double ax = Math.Abs(v);
                if (!(ax >= Tsml && ax <= Tbig)) return false;
            }
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static bool AllMediumWide(ReadOnlySpan<double> x)
        {
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                ref double r = ref MemoryMarshal.GetReference(x);
                var small = Vector512.Create(Tsml);
                var large = Vector512.Create(Tbig);
                var bad = Vector512<double>.Zero;
                for (; i + 8 <= x.Length; i += 8)
                {
                    var v = Vector512.LoadUnsafe(ref r, (nuint)i);
                    var ax = Vector512.Abs(v);
                    bad |= Vector512.LessThan(ax, small) | Vector512.GreaterThan(ax, large) | ~Vector512.Equals(v, v);
                }
                if (Vector512.ExtractMostSignificantBits(bad.AsUInt64()) != 0) return false;
            }
            for (; i < x.Length; i++)
            {
                double ax = Math.Abs(x[i]);
                if (!(ax >= Tsml && ax <= Tbig)) return false;
            }
            return true;
        }

        /// <summary>The norm of the elements added so far.</summary>
        public readonly double Result
        {
            get
            {
                double scl, sumsq;
                double ab = abig;
                if (ab > 0)
                {
                    if (amed > 0 || double.IsNaN(amed)) ab += (amed * Sbig) * Sbig;
                    scl = 1 / Sbig;
                    sumsq = ab;
                }
                else if (asml > 0)
                {
                    if (amed > 0 || double.IsNaN(amed))
                    {
                        double ymed = Math.Sqrt(amed);
                        double ysml = Math.Sqrt(asml) / Ssml;
                        double ymin = Math.Min(ymed, ysml), ymax = Math.Max(ymed, ysml);
                        scl = 1;
                        sumsq = ymax * ymax * (1 + (ymin / ymax) * (ymin / ymax));
                    }
                    else
                    {
                        scl = 1 / Ssml;
                        sumsq = asml;
                    }
                }
                else
                {
                    scl = 1;
                    sumsq = amed;
                }
                return scl * Math.Sqrt(sumsq);
            }
        }
    }

    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Elements from which the BLAS helpers below take 256- or 512-bit vectors. Shorter vectors
    /// run 128-bit code, which the library's ReadyToRun code keeps (see <see cref="SimdWidths"/>). At
    /// one full QR block (1,024) the steady state of a fit of 1,000 observations was 5 % slower (exp,
    /// analytic, 0.56-0.58 -> 0.60-0.61 ms, five paired runs): its columns then all ran 128-bit; from
    /// 64 elements the wide code pays for itself. Every helper is element-wise, so the width never
    /// changes a bit.</summary>
    internal const int WideMinLength = 64;

    /// <summary>DAXPY: y += a·x. Element-wise (a·x rounded, then the sum), so SIMD lanes give the
    /// scalar loop's bits.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n); // bounds: every vector access below stays inside both spans
        if (n >= WideMinLength && SimdWidths.Wide)
        {
            AxpyWide(a, x, y);
            return;
        }
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        var va = Vector128.Create(a);
        for (; i + 2 <= n; i += 2)
        {
            (Vector128.LoadUnsafe(ref yr, (nuint)i) + (va * Vector128.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AxpyWide(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i + 8 <= n; i += 8)
            {
                (Vector512.LoadUnsafe(ref yr, (nuint)i) + (va * Vector512.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 4 <= n; i += 4)
            {
                (Vector256.LoadUnsafe(ref yr, (nuint)i) + (va * Vector256.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>DSCAL: x *= a (element-wise, SIMD where available).</summary>
    public static void Scale(Span<double> x, double a)
    {
        int n = x.Length, i = 0;
        if (n >= WideMinLength && SimdWidths.Wide)
        {
            ScaleWide(x, a);
            return;
        }
        ref double xr = ref MemoryMarshal.GetReference(x);
        var va = Vector128.Create(a);
        for (; i + 2 <= n; i += 2) (Vector128.LoadUnsafe(ref xr, (nuint)i) * va).StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) x[i] *= a;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScaleWide(Span<double> x, double a)
    {
        int n = x.Length, i = 0;
        ref double xr = ref MemoryMarshal.GetReference(x);
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i + 8 <= n; i += 8) (Vector512.LoadUnsafe(ref xr, (nuint)i) * va).StoreUnsafe(ref xr, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            for (; i + 4 <= n; i += 4) (Vector256.LoadUnsafe(ref xr, (nuint)i) * va).StoreUnsafe(ref xr, (nuint)i);
        }
        for (; i < n; i++) x[i] *= a;
    }

    private static double AbsSum(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (double v in x) s += Math.Abs(v);
        return s;
    }

    /// <summary>Exchanges the elements of x and y (of equal length), SIMD where available.</summary>
    private static void SwapRows(Span<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        y = y.Slice(0, n); // bounds: every vector access below stays inside both spans
        if (n >= WideMinLength && SimdWidths.Wide)
        {
            SwapRowsWide(x, y);
            return;
        }
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        for (; i + 2 <= n; i += 2)
        {
            var vx = Vector128.LoadUnsafe(ref xr, (nuint)i);
            Vector128.LoadUnsafe(ref yr, (nuint)i).StoreUnsafe(ref xr, (nuint)i);
            vx.StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) (x[i], y[i]) = (y[i], x[i]);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SwapRowsWide(Span<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                var vx = Vector512.LoadUnsafe(ref xr, (nuint)i);
                Vector512.LoadUnsafe(ref yr, (nuint)i).StoreUnsafe(ref xr, (nuint)i);
                vx.StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= n; i += 4)
            {
                var vx = Vector256.LoadUnsafe(ref xr, (nuint)i);
                Vector256.LoadUnsafe(ref yr, (nuint)i).StoreUnsafe(ref xr, (nuint)i);
                vx.StoreUnsafe(ref yr, (nuint)i);
            }
        }
        for (; i < n; i++) (x[i], y[i]) = (y[i], x[i]);
    }
}
