using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Odr.Core;

/// <summary>
/// The few LINPACK kernels ODRPACK builds on (DQRDC, DQRSL, DTRCO, DCHEX, DTRSL, DPODI), on a
/// column-major matrix with leading dimension <c>ld</c>. Ported so that pivoting and rank decisions
/// match ODRPACK's; MathNet's QR has no LINPACK-style pivoting or condition estimate. The QR
/// (DQRDC with DQRSL's Qᵀy) is here; the triangular kernels and the BLAS are in LinpackTriangular.cs.
/// </summary>
internal static partial class Linpack
{
    /// <summary>
    /// DQRDC (Householder QR with optional column pivoting of the n×p matrix a) and, when
    /// <paramref name="y"/> is not empty, DQRSL's Qᵀy (JOB = 1000) on the way. Every sum is taken in
    /// LINPACK's order, so the factors and Qᵀy equal those of DQRDC followed by DQRSL to the bit; only
    /// the passes over the columns are fewer. At large n the columns stream from memory, so the
    /// passes, not the flops, set the time: y is reflected together with the columns (DQRSL applies
    /// the same reflections with the same scalars), the starting norms share one pass, each step
    /// interchanges its pivot column, scales its Householder vector and takes all its dot products in
    /// one pass and updates all columns in another, and the norm the next step needs is accumulated in
    /// that update.
    /// </summary>
    /// <param name="pivot">When true every column is free to move (JPVT all zero, JOB = 1).</param>
    /// <param name="work">At least 3p + 1 elements.</param>
    /// <param name="y">Overwritten with Qᵀy; empty for none.</param>
    public static void QrDecompose(Span<double> a, int ld, int n, int p, Span<double> qraux, Span<int> jpvt, Span<double> work, bool pivot, Span<double> y)
    {
        var startNorms = work.Slice(0, p); // DQRDC's WORK: the norms when last taken in full
        var dots = work.Slice(p, p + 1); // this step's dot products with the Householder vector, y's last
        var nextNorms = work.Slice(2 * p + 1, p); // norm of column j below the pivot row, taken in the update pass; -1 when not taken
        ArrayLoops.Fill(nextNorms, -1);
        bool hasY = !y.IsEmpty;
        int pl = 0, pu = -1;
        if (pivot)
        {
            for (int j = 0; j < p; j++) jpvt[j] = j;
            pu = p - 1;
            ColumnNorms(a, ld, n, p, qraux);
            qraux.Slice(0, p).CopyTo(startNorms);
        }

        int lup = Math.Min(n, p);
        for (int l = 0; l < lup; l++)
        {
            // The column whose data is the pivot's: l, or the column of largest remaining norm. The
            // bookkeeping moves now; the data of rows l..n-1 moves inside the scaling pass below
            // (block by block, on the way to the dot products), not in a pass of its own.
            int source = l;
            if (l >= pl && l < pu)
            {
                int maxj = LargestNorm(qraux, l, pu);
                if (maxj != l)
                {
                    source = maxj;
                    (qraux[maxj], qraux[l]) = (qraux[l], qraux[maxj]);
                    (startNorms[maxj], startNorms[l]) = (startNorms[l], startNorms[maxj]);
                    (nextNorms[maxj], nextNorms[l]) = (nextNorms[l], nextNorms[maxj]);
                    (jpvt[maxj], jpvt[l]) = (jpvt[l], jpvt[maxj]);
                }
            }
            // The norm of the pivot column below row l when a pass has already taken it: at the
            // start (pivoting) or in the previous step's update.
            double taken = pivot && l == 0 ? qraux[0] : nextNorms[l];
            qraux[l] = 0;
            ArrayLoops.Fill(nextNorms, -1);
            var pivotRows = a.Slice((source * ld) + l, n - l);
            double nrmxl = l == n - 1 ? 0 : taken >= 0 ? taken : Norm2(pivotRows);
            if (source != l)
            {
                // Rows above l (R's entries) now; the rest in ScaleAndDots, unless the step ends here.
                SwapRows(a.Slice(l * ld, l), a.Slice(source * ld, l));
                if (nrmxl == 0) SwapRows(a.Slice((l * ld) + l, n - l), pivotRows);
            }
            if (nrmxl == 0) continue; // also the last row (l == n - 1): nothing to reflect

            if (pivotRows[0] != 0) nrmxl = Math.CopySign(nrmxl, pivotRows[0]);
            var yl = hasY ? y.Slice(l, n - l) : Span<double>.Empty;
            var colL = a.Slice((l * ld) + l, n - l);
            ScaleAndDots(colL, source != l ? pivotRows : Span<double>.Empty, 1.0 / nrmxl, a, ld, l, l + 1, p, yl, dots);

            // The columns' scalars and norm downdates. A downdate reads only row l of the updated
            // column, so it is decided before the update pass; a column whose norm must be taken
            // again (qraux set to Retake until then), and the column the next step will pivot to,
            // get their norms in that pass.
            const double Retake = -2, Take = -3;
            for (int j = l + 1; j < p; j++)
            {
                double t = -dots[j] / colL[0];
                dots[j] = t;
                if (j < pl || j > pu || qraux[j] == 0) continue;
                double rowL = a[j * ld + l] + t * colL[0]; // DAXPY's value for row l
                double ratio = Math.Abs(rowL) / qraux[j];
                double tt = Math.Max(1.0 - ratio * ratio, 0);
                double growth = qraux[j] / startNorms[j];
                if (1.0 + 0.05 * tt * (growth * growth) != 1.0)
                {
                    qraux[j] *= Math.Sqrt(tt);
                }
                else
                {
                    qraux[j] = Retake;
                    nextNorms[j] = Take;
                }
            }
            if (l + 1 < p)
            {
                // The next pivot is the largest known norm (a retaken one, marked negative, is never
                // chosen here but gets its norm in the pass anyway).
                int next = l + 1 >= pl && l + 1 < pu ? LargestNorm(qraux, l + 1, pu) : l + 1;
                nextNorms[next] = Take;
            }

            UpdateColumns(colL, a, ld, l, l + 1, p, dots, nextNorms, yl, hasY ? -dots[p] / colL[0] : 0);
            for (int j = l + 1; j < p; j++)
            {
                if (qraux[j] == Retake) qraux[j] = startNorms[j] = nextNorms[j];
            }
            qraux[l] = colL[0];
            colL[0] = -nrmxl;
        }
    }

    /// <summary>The index of the largest of norms[l..pu] (the first one; l when none is positive).</summary>
    private static int LargestNorm(ReadOnlySpan<double> norms, int l, int pu)
    {
        double maxnrm = 0;
        int maxj = l;
        for (int j = l; j <= pu; j++)
        {
            if (norms[j] > maxnrm) { maxnrm = norms[j]; maxj = j; }
        }
        return maxj;
    }

    /// <summary>norms[j] = DNRM2 of column j of a (rows 0..n-1) for j &lt; p, four columns per pass.</summary>
    private static void ColumnNorms(ReadOnlySpan<double> a, int ld, int n, int p, Span<double> norms)
    {
        int j = 0;
        for (; j + 4 <= p; j += 4)
        {
            var c0 = a.Slice(j * ld, n);
            var c1 = a.Slice((j + 1) * ld, n);
            var c2 = a.Slice((j + 2) * ld, n);
            var c3 = a.Slice((j + 3) * ld, n);
            Norm2Accumulator s0 = default, s1 = default, s2 = default, s3 = default;
            for (int b0 = 0; b0 < n; b0 += QrBlock)
            {
                int b1 = Math.Min(n, b0 + QrBlock);
                if (Norm2Accumulator.AllMedium(c0[b0..b1]) && Norm2Accumulator.AllMedium(c1[b0..b1])
                    && Norm2Accumulator.AllMedium(c2[b0..b1]) && Norm2Accumulator.AllMedium(c3[b0..b1]))
                {
                    // The usual case: no value that needs DNRM2's scaled accumulators, so each Add would
                    // only add a square; without its tests the four chains of additions set the pace.
                    for (int i = b0; i < b1; i++)
                    {
                        s0.AddMedium(c0[i]);
                        s1.AddMedium(c1[i]);
                        s2.AddMedium(c2[i]);
                        s3.AddMedium(c3[i]);
                    }
                    continue;
                }
                for (int i = b0; i < b1; i++)
                {
                    s0.Add(c0[i]);
                    s1.Add(c1[i]);
                    s2.Add(c2[i]);
                    s3.Add(c3[i]);
                }
            }
            norms[j] = s0.Result;
            norms[j + 1] = s1.Result;
            norms[j + 2] = s2.Result;
            norms[j + 3] = s3.Result;
        }
        for (; j + 2 <= p; j += 2)
        {
            var c0 = a.Slice(j * ld, n);
            var c1 = a.Slice((j + 1) * ld, n);
            Norm2Accumulator s0 = default, s1 = default;
            for (int i = 0; i < n; i++)
            {
                s0.Add(c0[i]);
                s1.Add(c1[i]);
            }
            norms[j] = s0.Result;
            norms[j + 1] = s1.Result;
        }
        if (j < p) norms[j] = Norm2(a.Slice(j * ld, n));
    }

    /// <summary>Rows per block of the QR's fused passes: a block of the Householder vector stays in
    /// L1 while every other column's block is processed.</summary>
    private const int QrBlock = 1024;

    /// <summary>
    /// DQRDC's column interchange for rows l..n-1 (x with <paramref name="swapWith"/>, when that is not
    /// empty), its DSCAL of the Householder vector x by <paramref name="inv"/> (then 1 added to its first
    /// element) and its DDOTs with columns j0..j1-1 of a from row l, and with y last when y is not
    /// empty, into dots[j0..]. One pass over the rows in blocks; every sum accumulated in DDOT's order,
    /// four, three, two or one of them per loop over a block.
    /// </summary>
    private static void ScaleAndDots(Span<double> x, Span<double> swapWith, double inv, ReadOnlySpan<double> a, int ld, int l, int j0, int j1, ReadOnlySpan<double> y, Span<double> dots)
    {
        int len = x.Length;
        int count = j1 - j0 + (y.IsEmpty ? 0 : 1);
        var sums = dots.Slice(j0, count);
        sums.Clear();
        for (int b0 = 0; b0 < len; b0 += QrBlock)
        {
            int nb = Math.Min(QrBlock, len - b0);
            var xb = x.Slice(b0, nb);
            if (!swapWith.IsEmpty) SwapRows(xb, swapWith.Slice(b0, nb)); // DQRDC's column interchange, this block of it
            if (b0 == 0) xb[0] = 1.0 + (xb[0] * inv);
            int first = b0 == 0 ? 1 : 0;
            Scale(xb.Slice(first), inv);
            int k = 0;
            for (; k + 4 <= count; k += 4)
            {
                var y0 = Target(a, ld, l, j0, j1, y, k, len).Slice(b0, nb);
                var y1 = Target(a, ld, l, j0, j1, y, k + 1, len).Slice(b0, nb);
                var y2 = Target(a, ld, l, j0, j1, y, k + 2, len).Slice(b0, nb);
                var y3 = Target(a, ld, l, j0, j1, y, k + 3, len).Slice(b0, nb);
                double s0 = sums[k], s1 = sums[k + 1], s2 = sums[k + 2], s3 = sums[k + 3];
                for (int i = 0; i < nb; i++)
                {
                    double xi = xb[i];
                    s0 += xi * y0[i];
                    s1 += xi * y1[i];
                    s2 += xi * y2[i];
                    s3 += xi * y3[i];
                }
                sums[k] = s0;
                sums[k + 1] = s1;
                sums[k + 2] = s2;
                sums[k + 3] = s3;
            }
            if (k + 3 == count)
            {
                // Three sums in one loop: their chains of additions, not the memory, set this pass's
                // time, so one loop of three costs about what one of two does.
                var y0 = Target(a, ld, l, j0, j1, y, k, len).Slice(b0, nb);
                var y1 = Target(a, ld, l, j0, j1, y, k + 1, len).Slice(b0, nb);
                var y2 = Target(a, ld, l, j0, j1, y, k + 2, len).Slice(b0, nb);
                double s0 = sums[k], s1 = sums[k + 1], s2 = sums[k + 2];
                for (int i = 0; i < nb; i++)
                {
                    double xi = xb[i];
                    s0 += xi * y0[i];
                    s1 += xi * y1[i];
                    s2 += xi * y2[i];
                }
                sums[k] = s0;
                sums[k + 1] = s1;
                sums[k + 2] = s2;
                k += 3;
            }
            if (k + 2 <= count)
            {
                var y0 = Target(a, ld, l, j0, j1, y, k, len).Slice(b0, nb);
                var y1 = Target(a, ld, l, j0, j1, y, k + 1, len).Slice(b0, nb);
                double s0 = sums[k], s1 = sums[k + 1];
                for (int i = 0; i < nb; i++)
                {
                    double xi = xb[i];
                    s0 += xi * y0[i];
                    s1 += xi * y1[i];
                }
                sums[k] = s0;
                sums[k + 1] = s1;
                k += 2;
            }
            if (k < count)
            {
                var y0 = Target(a, ld, l, j0, j1, y, k, len).Slice(b0, nb);
                double s0 = sums[k];
                for (int i = 0; i < nb; i++) s0 += xb[i] * y0[i];
                sums[k] = s0;
            }
        }
    }

    /// <summary>Most norms <see cref="UpdateColumns"/> accumulates during its pass (on the stack);
    /// beyond that they are taken after it, with the same result.</summary>
    private const int MaxNormsInPass = 32;

    /// <summary>
    /// DQRDC's DAXPYs column j += t[j]·x for columns j0..p-1 of a from row l, and DQRSL's y += tY·x
    /// when y is not empty, in one pass over the rows in blocks. A column marked in
    /// <paramref name="norms"/> (a negative entry below -1) gets there DNRM2 of its updated rows
    /// below row l, accumulated in order as the blocks are written.
    /// </summary>
    private static void UpdateColumns(ReadOnlySpan<double> x, Span<double> a, int ld, int l, int j0, int p, ReadOnlySpan<double> t, Span<double> norms, Span<double> y, double tY)
    {
        int len = x.Length;
        int marked = 0;
        for (int j = j0; j < p; j++)
        {
            if (norms[j] < -1) marked++;
        }
        bool inPass = marked <= MaxNormsInPass;
        Span<Norm2Accumulator> acc = stackalloc Norm2Accumulator[MaxNormsInPass];
        for (int b0 = 0; b0 < len; b0 += QrBlock)
        {
            int nb = Math.Min(QrBlock, len - b0);
            var xb = x.Slice(b0, nb);
            int slot = 0;
            for (int j = j0; j < p; j++)
            {
                var colJ = a.Slice((j * ld) + l + b0, nb);
                Axpy(t[j], xb, colJ);
                if (inPass && norms[j] < -1)
                {
                    var s = acc[slot]; // a local, so the sums stay in registers
                    for (int i = b0 == 0 ? 1 : 0; i < nb; i++) s.Add(colJ[i]);
                    acc[slot++] = s;
                }
            }
            if (!y.IsEmpty) Axpy(tY, xb, y.Slice(b0, nb));
        }
        for (int j = j0, slot = 0; j < p; j++)
        {
            if (norms[j] >= -1) continue;
            norms[j] = inPass ? acc[slot++].Result : Norm2(a.Slice((j * ld) + l + 1, len - 1));
        }
    }

    /// <summary>The k-th vector ScaleAndDots sums against: column j0 + k of a from row l, or y after the columns.</summary>
    private static ReadOnlySpan<double> Target(ReadOnlySpan<double> a, int ld, int l, int j0, int j1, ReadOnlySpan<double> y, int k, int len) =>
        j0 + k < j1 ? a.Slice(((j0 + k) * ld) + l, len) : y.Slice(0, len);
}
