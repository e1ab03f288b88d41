namespace Odr.Core;

/// <summary>DFCTR: Cholesky factor of a small symmetric matrix, A = RᵀR with R upper triangular.</summary>
internal static class Cholesky
{
    /// <summary>DFCTR's relative tolerance for a negative pivot: −10·eps.</summary>
    public const double Tolerance = -10 * 2.220446049250313E-16;

    /// <summary>Factors the row-major d×d matrix a in place (R in the upper triangle, zeros below).</summary>
    /// <param name="allowSemidefinite">Accept a positive semidefinite matrix (zero pivots), as ODRPACK
    /// does for WE.</param>
    /// <returns>0 on success, else the 1-based index of the failing pivot.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int Factor(Span<double> a, int d, bool allowSemidefinite)
    {
        for (int j = 0; j < d; j++)
        {
            double s = 0;
            for (int k = 0; k < j; k++)
            {
                double t;
                if (a[k * d + k] == 0)
                {
                    t = 0;
                }
                else
                {
                    t = a[k * d + j];
                    for (int i = 0; i < k; i++) t -= a[i * d + k] * a[i * d + j];
                    t /= a[k * d + k];
                }
                a[k * d + j] = t;
                s += t * t;
            }
            s = a[j * d + j] - s;
            if (a[j * d + j] < 0 || s < Tolerance * Math.Abs(a[j * d + j])) return j + 1;
            if (!allowSemidefinite && s <= 0) return j + 1;
            a[j * d + j] = s <= 0 ? 0 : Math.Sqrt(s);
        }
        for (int j = 0; j < d; j++)
        {
            for (int i = j + 1; i < d; i++) a[i * d + j] = 0;
        }
        return 0;
    }

    /// <summary>Solves Rᵀx = b (R upper, row-major) in place; ODRPACK's DSOLVE job 4, which skips zero
    /// pivots of a semidefinite factor.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void SolveTransposed(ReadOnlySpan<double> r, int d, Span<double> b)
    {
        FindNonZeroRange(r, d, b, out int j1, out int jn);
        if (j1 < 0) return;
        b[j1] /= r[j1 * d + j1];
        for (int j = j1 + 1; j <= jn; j++)
        {
            double s = b[j];
            for (int i = 0; i < j; i++) s -= r[i * d + j] * b[i];
            b[j] = r[j * d + j] != 0 ? s / r[j * d + j] : 0;
        }
    }

    /// <summary>Solves R x = b (R upper, row-major) in place; DSOLVE job 2.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Solve(ReadOnlySpan<double> r, int d, Span<double> b)
    {
        FindNonZeroRange(r, d, b, out int j1, out int jn);
        if (j1 < 0) return;
        b[jn] /= r[jn * d + jn];
        for (int j = jn - 1; j >= j1; j--)
        {
            double temp = -b[j + 1];
            for (int i = 0; i <= j; i++) b[i] += temp * r[i * d + j + 1];
            b[j] = r[j * d + j] != 0 ? b[j] / r[j * d + j] : 0;
        }
    }

    private static void FindNonZeroRange(ReadOnlySpan<double> r, int d, Span<double> b, out int j1, out int jn)
    {
        j1 = -1;
        for (int j = 0; j < d; j++)
        {
            if (j1 < 0 && r[j * d + j] != 0) j1 = j;
            else if (r[j * d + j] == 0) b[j] = 0;
        }
        jn = -1;
        if (j1 < 0) return;
        for (int j = d - 1; j >= j1; j--)
        {
            if (jn < 0 && r[j * d + j] != 0) jn = j;
            else if (r[j * d + j] == 0) b[j] = 0;
        }
    }
}
