using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNet;

/// <summary>
/// Row-major matrix kernels on spans used by the layers. None of them allocate.
/// </summary>
/// <remarks>
/// The products accumulate each output value in a fixed order (the order of the shared index, terms with a zero
/// factor from <c>a</c> skipped, each term rounded then added: no fused multiply-add), whatever the vector width,
/// so results do not depend on the machine's SIMD support. The loops keep a block of up to 16 output columns in
/// vector registers across the shared index instead of calling a span primitive per row: for the small layers of
/// typical models (a 30-wide hidden layer, a 1-unit output) a call per row cost more than its arithmetic.
/// </remarks>
internal static class Kernels
{
    // Columns of c kept in registers by the blocked loops: four 256-bit vectors.
    private const int Block = 16;

    // From this row length on a span primitive per row costs little next to its arithmetic.
    private const int WideRow = 64;

    /// <summary>c[m, n] += a[m, k] · b[k, n].</summary>
    public static void MatMulAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        // c[i, j] = c[i, j] + a[i, 0]·b[0, j] + a[i, 1]·b[1, j] + … (p ascending, zero a[i, p] skipped).
        if (n >= WideRow)
        {
            // Wide rows: one row update per term streams b row by row, which beats the column blocks' strided reads.
            for (int i = 0; i < m; i++)
            {
                Span<double> cRow = c.Slice(i * n, n);
                ReadOnlySpan<double> aRow = a.Slice(i * k, k);
                for (int p = 0; p < k; p++)
                {
                    double aip = aRow[p];
                    if (aip != 0.0)
                    {
                        TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
                    }
                }
            }

            return;
        }

        for (int i = 0; i < m; i++)
        {
            AccumulateRows(a.Slice(i * k, k), 1, b, n, c.Slice(i * n, n), k);
        }
    }

    /// <summary>c[k, n] += a[m, k]ᵀ · b[m, n].</summary>
    public static void MatMulTransposedAAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        // c[p, j] = c[p, j] + a[0, p]·b[0, j] + a[1, p]·b[1, j] + … (i ascending, zero a[i, p] skipped).
        for (int p = 0; p < k; p++)
        {
            AccumulateRows(a[p..], k, b, n, c.Slice(p * n, n), m);
        }
    }

    /// <summary>c[m, k] += a[m, n] · b[k, n]ᵀ.</summary>
    public static void MatMulTransposedBAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int n, int k)
    {
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> aRow = a.Slice(i * n, n);
            Span<double> cRow = c.Slice(i * k, k);
            if (n >= Block)
            {
                for (int p = 0; p < k; p++)
                {
                    cRow[p] += TensorPrimitives.Dot(aRow, b.Slice(p * n, n));
                }
            }
            else
            {
                // Short rows (a 3-unit recurrent state, a 1-unit output): a call per dot product would cost more than
                // the dot product; sum the terms in index order.
                for (int p = 0; p < k; p++)
                {
                    ReadOnlySpan<double> bRow = b.Slice(p * n, n);
                    double s = 0.0;
                    for (int j = 0; j < n; j++)
                    {
                        s += aRow[j] * bRow[j];
                    }

                    cRow[p] += s;
                }
            }
        }
    }

    /// <summary>Adds <paramref name="bias"/> to every row of <paramref name="c"/>.</summary>
    public static void AddRowVector(Span<double> c, ReadOnlySpan<double> bias, int rows)
    {
        int n = bias.Length;
        for (int i = 0; i < rows; i++)
        {
            Span<double> row = c.Slice(i * n, n);
            for (int j = 0; j < n; j++)
            {
                row[j] += bias[j];
            }
        }
    }

    /// <summary>Adds the column sums of <paramref name="a"/> (rows × n) into <paramref name="sums"/>.</summary>
    public static void AddColumnSums(ReadOnlySpan<double> a, Span<double> sums, int rows)
    {
        // sums[j] = sums[j] + a[0, j] + a[1, j] + … (i ascending).
        int n = sums.Length;
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int width = Math.Min(Block, n - j0);
            Span<double> s = sums.Slice(j0, width);
            for (int i = 0; i < rows; i++)
            {
                ReadOnlySpan<double> row = a.Slice((i * n) + j0, width);
                for (int j = 0; j < width; j++)
                {
                    s[j] += row[j];
                }
            }
        }
    }

    /// <summary>
    /// c[j] += Σ_q w[q·stride] · r[q·n + j] over q = 0 … count − 1 in ascending order, skipping zero weights:
    /// a linear combination of <paramref name="count"/> rows of <paramref name="r"/> (row length n) added to one row.
    /// </summary>
    private static void AccumulateRows(ReadOnlySpan<double> w, int stride, ReadOnlySpan<double> r, int n, Span<double> c, int count)
    {
        if (count > 0 && (((count - 1) * (long)n) + n > r.Length || ((count - 1) * (long)stride) >= w.Length))
        {
            throw new ArgumentException("The operands are shorter than the product's shape says.");
        }

        int j0 = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double rRef = ref MemoryMarshal.GetReference(r);
            ref double cRef = ref MemoryMarshal.GetReference(c);
            for (; j0 + Block <= n; j0 += Block)
            {
                Vector256<double> c0 = Vector256.LoadUnsafe(ref cRef, (nuint)j0);
                Vector256<double> c1 = Vector256.LoadUnsafe(ref cRef, (nuint)(j0 + 4));
                Vector256<double> c2 = Vector256.LoadUnsafe(ref cRef, (nuint)(j0 + 8));
                Vector256<double> c3 = Vector256.LoadUnsafe(ref cRef, (nuint)(j0 + 12));
                for (int q = 0; q < count; q++)
                {
                    double wq = w[q * stride];
                    if (wq != 0.0)
                    {
                        var f = Vector256.Create(wq);
                        nuint at = (nuint)((q * n) + j0);
                        c0 += Vector256.LoadUnsafe(ref rRef, at) * f;
                        c1 += Vector256.LoadUnsafe(ref rRef, at + 4) * f;
                        c2 += Vector256.LoadUnsafe(ref rRef, at + 8) * f;
                        c3 += Vector256.LoadUnsafe(ref rRef, at + 12) * f;
                    }
                }

                c0.StoreUnsafe(ref cRef, (nuint)j0);
                c1.StoreUnsafe(ref cRef, (nuint)(j0 + 4));
                c2.StoreUnsafe(ref cRef, (nuint)(j0 + 8));
                c3.StoreUnsafe(ref cRef, (nuint)(j0 + 12));
            }

            for (; j0 + 4 <= n; j0 += 4)
            {
                Vector256<double> c0 = Vector256.LoadUnsafe(ref cRef, (nuint)j0);
                for (int q = 0; q < count; q++)
                {
                    double wq = w[q * stride];
                    if (wq != 0.0)
                    {
                        c0 += Vector256.LoadUnsafe(ref rRef, (nuint)((q * n) + j0)) * Vector256.Create(wq);
                    }
                }

                c0.StoreUnsafe(ref cRef, (nuint)j0);
            }
        }

        for (int j = j0; j < n; j++)
        {
            double cj = c[j];
            for (int q = 0; q < count; q++)
            {
                double wq = w[q * stride];
                if (wq != 0.0)
                {
                    cj += r[(q * n) + j] * wq;
                }
            }

            c[j] = cj;
        }
    }

    /// <summary>exp(x) − 1 with full relative accuracy near zero (Kahan's trick).</summary>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsInfinity(u))
        {
            return um1;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + x) with full relative accuracy near zero.</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    // Values per exp batch of the activation kernels (on the stack).
    private const int ExpChunk = 256;

    // Below this |x| tanh is its Taylor series (19 terms: the next is 1e-19 relative at 0.5), above it (1 − e)/(1 + e)
    // with e = exp(−2|x|) ≤ 0.368, where the subtraction scales exp's relative error by at most e/(1 − e) = 0.58.
    private const double TanhSeriesBound = 0.5;

    // TensorPrimitives.Exp keeps a vector on its vector path for arguments from here up (−708.4 and below it does not).
    private const double ExpVectorFloor = -700.0;

    // tanh x = x·(1 + Σ c_k x^{2k}), c_k = 2^{2k+2}(2^{2k+2} − 1)B_{2k+2}/(2k+2)! (Bernoulli numbers), k = 1..18.
    private static readonly double[] TanhSeries =
    [
        -0.3333333333333333, 0.13333333333333333, -0.05396825396825397, 0.021869488536155203, -0.008863235529902197,
        0.003592128036572481, -0.0014558343870513183, 0.000590027440945586, -0.00023912911424355248, 9.691537956929451e-05,
        -3.927832388331683e-05, 1.5918905069328964e-05, -6.451689215655431e-06, 2.6147711512907546e-06, -1.0597268320104654e-06,
        4.294911078273806e-07, -1.7406618963571648e-07, 7.054636946400968e-08,
    ];

    /// <summary>
    /// e[i] = exp(factor·|x[i]|) (factor &lt; 0) for the first x.Length entries of <paramref name="e"/>, by the vectorized
    /// TensorPrimitives.Exp on a length rounded up to 8 (zero padding), so every value takes the vector path whatever
    /// its position or the span's length (the scalar path differs in the last bits). Arguments below −700, and NaN,
    /// would send their whole vector to the scalar path, changing its neighbours' bits (a padded step's garbage would
    /// change the other samples' results): they go in as 0 and get Math.Exp afterwards. So a value gives the same
    /// result in any batch.
    /// </summary>
    private static void ExpOfScaledAbs(ReadOnlySpan<double> x, double factor, Span<double> e)
    {
        int padded = (x.Length + 7) & ~7;
        bool outside = false;
        for (int i = 0; i < x.Length; i++)
        {
            double arg = factor * Math.Abs(x[i]);
            bool inside = arg >= ExpVectorFloor;
            e[i] = inside ? arg : 0.0;
            outside |= !inside;
        }

        e[x.Length..padded].Clear();
        TensorPrimitives.Exp(e[..padded], e[..padded]);
        if (outside)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double arg = factor * Math.Abs(x[i]);
                if (!(arg >= ExpVectorFloor))
                {
                    e[i] = Math.Exp(arg);
                }
            }
        }
    }

    /// <summary>
    /// y = tanh(x), within 3 ulp of Math.Tanh (which costs several times more per value): the Taylor series for
    /// |x| &lt; 0.5, sign(x)·(1 − e)/(1 + e) with e = exp(−2|x|) beyond; ±1 for ±∞, NaN for NaN, −0 for −0.
    /// <paramref name="y"/> may be <paramref name="x"/>.
    /// </summary>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> y)
    {
        int size = Math.Min(ExpChunk, (x.Length + 7) & ~7);
        Span<double> e = stackalloc double[size];
        Span<double> r = stackalloc double[size];
        for (int start = 0; start < x.Length; start += ExpChunk)
        {
            ReadOnlySpan<double> xs = x.Slice(start, Math.Min(ExpChunk, x.Length - start));
            int padded = (xs.Length + 7) & ~7;
            ExpOfScaledAbs(xs, -2.0, e);
            for (int i = 0; i < xs.Length; i++)
            {
                r[i] = Math.Abs(xs[i]);
            }

            r[xs.Length..padded].Clear();
            TanhOfAbs(r[..padded], e[..padded]);
            Span<double> ys = y.Slice(start, xs.Length);
            for (int i = 0; i < xs.Length; i++)
            {
                ys[i] = Math.CopySign(r[i], xs[i]);
            }
        }
    }

    /// <summary>a[i] ← tanh(a[i]) for a[i] = |x| ≥ 0 (or NaN), given e[i] = exp(−2a[i]); a.Length a multiple of 4.</summary>
    private static void TanhOfAbs(Span<double> a, ReadOnlySpan<double> e)
    {
        // The same operations lane by lane as one by one (no fused multiply-add): identical results either way.
        ReadOnlySpan<double> c = TanhSeries;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double aRef = ref MemoryMarshal.GetReference(a);
            ref double eRef = ref MemoryMarshal.GetReference(e);
            Vector256<double> one = Vector256.Create(1.0), bound = Vector256.Create(TanhSeriesBound);
            for (; i + 4 <= a.Length; i += 4)
            {
                Vector256<double> av = Vector256.LoadUnsafe(ref aRef, (nuint)i);
                Vector256<double> z = av * av, p = Vector256.Create(c[^1]);
                for (int k = c.Length - 2; k >= 0; k--)
                {
                    p = (p * z) + Vector256.Create(c[k]);
                }

                Vector256<double> series = av + (av * (z * p));
                Vector256<double> ev = Vector256.LoadUnsafe(ref eRef, (nuint)i);
                Vector256<double> viaExp = (one - ev) / (one + ev);
                Vector256.ConditionalSelect(Vector256.LessThan(av, bound), series, viaExp).StoreUnsafe(ref aRef, (nuint)i);
            }
        }

        for (; i < a.Length; i++)
        {
            double v = a[i];
            if (v < TanhSeriesBound)
            {
                double z = v * v, p = c[^1];
                for (int k = c.Length - 2; k >= 0; k--)
                {
                    p = (p * z) + c[k];
                }

                a[i] = v + (v * (z * p));
            }
            else
            {
                a[i] = (1.0 - e[i]) / (1.0 + e[i]);
            }
        }
    }

    /// <summary>
    /// dx = dy · tanh'(x) with tanh'(x) = 4e/(1 + e)², e = exp(−2|x|), which keeps relative accuracy for large |x|
    /// (1 − tanh² is 0 there). <paramref name="dx"/> may be <paramref name="dy"/>.
    /// </summary>
    public static void MultiplyTanhDerivative(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) =>
        MultiplyExpRatio(x, dy, dx, scale: -2.0, factor: 4.0);

    /// <summary>
    /// dx = dy · σ'(x) with σ'(x) = e/(1 + e)², e = exp(−|x|), accurate for large |x|. <paramref name="dx"/> may be
    /// <paramref name="dy"/>.
    /// </summary>
    public static void MultiplyLogisticDerivative(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx) =>
        MultiplyExpRatio(x, dy, dx, scale: -1.0, factor: 1.0);

    /// <summary>dx = dy · factor·e/(1 + e)² with e = exp(scale·|x|): the derivative of tanh (scale −2,
    /// factor 4) and of the logistic (scale −1, factor 1; 1·e is e exactly, so the bits are those of e/(1 + e)²).</summary>
    private static void MultiplyExpRatio(ReadOnlySpan<double> x, ReadOnlySpan<double> dy, Span<double> dx, double scale, double factor)
    {
        Span<double> e = stackalloc double[Math.Min(ExpChunk, (x.Length + 7) & ~7)];
        for (int start = 0; start < x.Length; start += ExpChunk)
        {
            int n = Math.Min(ExpChunk, x.Length - start);
            ExpOfScaledAbs(x.Slice(start, n), scale, e);
            for (int i = 0; i < n; i++)
            {
                double d = 1.0 + e[i];
                dx[start + i] = dy[start + i] * (factor * e[i] / (d * d));
            }
        }
    }
}
