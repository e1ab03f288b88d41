using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Core;
using Odr.Tests.Support;

namespace Odr.Tests.Core;

/// <summary>
/// The QR behind every step (DQRDC, then DQRSL's Qᵀy) is computed in fused passes: y reflected with
/// the columns, dot products and starting norms several per pass, the next pivot's norm taken while
/// its column is updated. That must give LINPACK's results to the bit, so it is compared with a plain
/// transcription of DQRDC followed by DQRSL (one DNRM2, DDOT or DAXPY at a time, as the Fortran
/// calls them) on random matrices: with and without pivoting, zero, repeated, tiny and nearly
/// dependent columns (which make DQRDC take a column's norm again), more columns than rows, and
/// columns long enough to span several of the fused passes' row blocks.
/// </summary>
public class LinpackQrTests
{
    [Property(MaxTest = 400)]
    public Property FusedQrEqualsDqrdcThenDqrslBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var r = new Random(seed);
        int n = r.Next(4) == 0 ? 1000 + r.Next(2500) : 1 + r.Next(60); // long columns span several row blocks
        int p = 1 + r.Next(7);
        bool pivot = r.Next(3) != 0;
        var a = RandomMatrix(r, n, p);
        var y = Enumerable.Range(0, n).Select(_ => r.NextDouble() - 0.5).ToArray();
        string? error = Compare(a, y, n, p, pivot, out _);
        return error is null ? true.ToProperty() : false.Label($"seed {seed} (n {n}, p {p}, pivot {pivot}): {error}");
    });

    [Fact]
    public void MoreColumnsThanRowsPivotAtTheLastRow()
    {
        // With p > n the last step (l = n - 1) reflects nothing but may still interchange columns:
        // the interchange of the pivot's rows then happens outside the scaling pass.
        var r = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 1 + r.Next(4), p = n + 1 + r.Next(4);
            var a = RandomMatrix(r, n, p);
            var y = Enumerable.Range(0, n).Select(_ => r.NextDouble() - 0.5).ToArray();
            Assert.Null(Compare(a, y, n, p, pivot: true, out _));
        }
    }

    [Fact]
    public void NearlyDependentColumnsRetakeNormsAndStillMatch()
    {
        // Columns that differ by 1e-9 lose almost all of their norm in one step, so DQRDC's
        // downdate is not trusted and the norm is taken again from the updated column.
        var r = new Random(7);
        int n = 200, p = 5;
        var a = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            double v = r.NextDouble();
            a[i] = v;
            a[n + i] = v * (1 + (1e-9 * r.NextDouble()));
            a[(2 * n) + i] = r.NextDouble();
            a[(3 * n) + i] = a[(2 * n) + i] + (1e-10 * r.NextDouble());
            a[(4 * n) + i] = 10 * r.NextDouble();
        }
        AssertMatchesWithRetakes(a, n, p, r, minRetakes: 1);
    }

    [Fact]
    public void WideMatricesWithManyRetakenNormsMatch()
    {
        // 48 nearly dependent columns make more norms to retake in one step than the update pass
        // accumulates on the stack; the rest are taken after the pass.
        var r = new Random(11);
        int n = 300, p = 48;
        var a = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            double v = r.NextDouble();
            for (int j = 0; j < p; j++) a[(j * n) + i] = v * (1 + (1e-9 * j * r.NextDouble()));
        }
        AssertMatchesWithRetakes(a, n, p, r, minRetakes: 33);
    }

    /// <summary>The fused QR matches the reference with and without pivoting, and the pivoted
    /// reference retook at least <paramref name="minRetakes"/> norms (so the branch was exercised).</summary>
    private static void AssertMatchesWithRetakes(double[] a, int n, int p, Random r, int minRetakes)
    {
        var y = Enumerable.Range(0, n).Select(_ => r.NextDouble()).ToArray();
        Assert.Null(Compare(a, y, n, p, pivot: true, out int retakes));
        Assert.True(retakes >= minRetakes, $"only {retakes} retaken norms");
        Assert.Null(Compare(a, y, n, p, pivot: false, out _));
    }

    private static double[] RandomMatrix(Random r, int n, int p)
    {
        var a = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            int kind = r.Next(8);
            for (int i = 0; i < n; i++)
            {
                a[(j * n) + i] = kind switch
                {
                    0 => 0, // a zero column: nrmxl = 0, the step is skipped
                    1 when j > 0 => a[((j - 1) * n) + i], // a repeated column
                    2 when j > 0 => a[((j - 1) * n) + i] * (1 + (1e-9 * r.NextDouble())), // nearly dependent
                    3 => 1e-170 * r.NextDouble(), // DNRM2's small accumulator
                    _ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-3, 4)),
                };
            }
        }
        return a;
    }

    private static string? Compare(double[] a0, double[] y0, int n, int p, bool pivot, out int retakes)
    {
        var a = (double[])a0.Clone();
        var y = (double[])y0.Clone();
        var qraux = new double[p];
        var jpvt = new int[p];
        Linpack.QrDecompose(a, n, n, p, qraux, jpvt, new double[(3 * p) + 1], pivot, y);

        var ra = (double[])a0.Clone();
        var ry = (double[])y0.Clone();
        var rq = new double[p];
        var rj = new int[p];
        retakes = ReferenceDqrdc(ra, n, p, rq, rj, pivot);
        ReferenceDqrsl(ra, n, p, rq, ry);

        if (!jpvt.SequenceEqual(rj)) return $"pivots {string.Join(",", jpvt)} vs {string.Join(",", rj)}";
        for (int k = 0; k < a.Length; k++)
        {
            if (BitConverter.DoubleToInt64Bits(a[k]) != BitConverter.DoubleToInt64Bits(ra[k])) return $"a[{k}] {a[k]:R} vs {ra[k]:R}";
        }
        for (int k = 0; k < p; k++)
        {
            if (BitConverter.DoubleToInt64Bits(qraux[k]) != BitConverter.DoubleToInt64Bits(rq[k])) return $"qraux[{k}] {qraux[k]:R} vs {rq[k]:R}";
        }
        for (int k = 0; k < n; k++)
        {
            if (BitConverter.DoubleToInt64Bits(y[k]) != BitConverter.DoubleToInt64Bits(ry[k])) return $"qty[{k}] {y[k]:R} vs {ry[k]:R}";
        }
        return null;
    }

    private static double Ddot(double[] x, int xo, double[] y, int yo, int len)
    {
        double s = 0;
        for (int i = 0; i < len; i++) s += x[xo + i] * y[yo + i];
        return s;
    }

    private static void Daxpy(double t, double[] x, int xo, double[] y, int yo, int len)
    {
        for (int i = 0; i < len; i++) y[yo + i] += t * x[xo + i];
    }

    private static double Dnrm2(double[] x, int xo, int len) => Linpack.Norm2(x.AsSpan(xo, len));

    /// <summary>DQRDC as LINPACK writes it (JOB = 1 with JPVT all zero, or JOB = 0); returns how many
    /// times a column's norm was taken again.</summary>
    private static int ReferenceDqrdc(double[] x, int n, int p, double[] qraux, int[] jpvt, bool pivot)
    {
        var work = new double[p];
        int retakes = 0, pl = 0, pu = -1;
        if (pivot)
        {
            for (int j = 0; j < p; j++) jpvt[j] = j;
            pu = p - 1;
            for (int j = 0; j < p; j++)
            {
                qraux[j] = Dnrm2(x, j * n, n);
                work[j] = qraux[j];
            }
        }
        for (int l = 0; l < Math.Min(n, p); l++)
        {
            if (l >= pl && l < pu)
            {
                double maxnrm = 0;
                int maxj = l;
                for (int j = l; j <= pu; j++)
                {
                    if (qraux[j] > maxnrm) { maxnrm = qraux[j]; maxj = j; }
                }
                if (maxj != l)
                {
                    for (int i = 0; i < n; i++) (x[(l * n) + i], x[(maxj * n) + i]) = (x[(maxj * n) + i], x[(l * n) + i]);
                    qraux[maxj] = qraux[l];
                    work[maxj] = work[l];
                    (jpvt[maxj], jpvt[l]) = (jpvt[l], jpvt[maxj]);
                }
            }
            qraux[l] = 0;
            if (l == n - 1) continue;
            int ll = (l * n) + l, len = n - l;
            double nrmxl = Dnrm2(x, ll, len);
            if (nrmxl == 0) continue;
            if (x[ll] != 0) nrmxl = Math.CopySign(nrmxl, x[ll]);
            for (int i = 0; i < len; i++) x[ll + i] *= 1.0 / nrmxl;
            x[ll] = 1.0 + x[ll];
            for (int j = l + 1; j < p; j++)
            {
                int lj = (j * n) + l;
                double t = -Ddot(x, ll, x, lj, len) / x[ll];
                Daxpy(t, x, ll, x, lj, len);
                if (j < pl || j > pu || qraux[j] == 0) continue;
                double tt = 1.0 - ((Math.Abs(x[lj]) / qraux[j]) * (Math.Abs(x[lj]) / qraux[j]));
                tt = Math.Max(tt, 0);
                t = tt;
                tt = 1.0 + (0.05 * tt * ((qraux[j] / work[j]) * (qraux[j] / work[j]))); // (qraux/work)**2
                if (tt != 1.0)
                {
                    qraux[j] *= Math.Sqrt(t);
                }
                else
                {
                    qraux[j] = Dnrm2(x, lj + 1, len - 1);
                    work[j] = qraux[j];
                    retakes++;
                }
            }
            qraux[l] = x[ll];
            x[ll] = -nrmxl;
        }
        return retakes;
    }

    /// <summary>DQRSL with JOB = 1000 (Qᵀy only).</summary>
    private static void ReferenceDqrsl(double[] x, int n, int k, double[] qraux, double[] qty)
    {
        for (int j = 0; j < Math.Min(k, n - 1); j++)
        {
            if (qraux[j] == 0) continue;
            int jj = (j * n) + j;
            double temp = x[jj];
            x[jj] = qraux[j];
            double t = -Ddot(x, jj, qty, j, n - j) / x[jj];
            Daxpy(t, x, jj, qty, j, n - j);
            x[jj] = temp;
        }
    }
}
