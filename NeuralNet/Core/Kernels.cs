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
}
