namespace Odr.Core;

/// <summary>ODRPACK's default scale factors for beta (DSCLB) and delta (DSCLD), and the finite
/// difference step sizes (DHSTEP, DERSTP).</summary>
internal static class Scaling
{
    /// <summary>DSCLB: scale factors for the parameters from their starting values.</summary>
    public static void BetaScale(ReadOnlySpan<double> beta, Span<double> ssf)
    {
        int np = beta.Length;
        double bmax = 0;
        for (int k = 0; k < np; k++) bmax = Math.Max(bmax, Math.Abs(beta[k]));
        if (bmax == 0)
        {
            ssf.Slice(0, np).Fill(1.0);
            return;
        }
        double bmin = bmax;
        for (int k = 0; k < np; k++)
        {
            if (beta[k] != 0) bmin = Math.Min(bmin, Math.Abs(beta[k]));
        }
        bool bigDifference = Math.Log10(bmax) - Math.Log10(bmin) >= 1;
        for (int k = 0; k < np; k++)
        {
            if (beta[k] == 0) ssf[k] = 10 / bmin;
            else ssf[k] = bigDifference ? 1 / Math.Abs(beta[k]) : 1 / bmax;
        }
    }

    /// <summary>DSCLD: scale factors for the errors delta from the explanatory variables.
    /// x and tt are observation-major n×m.</summary>
    public static void DeltaScale(int n, int m, ReadOnlySpan<double> x, Span<double> tt)
    {
        for (int j = 0; j < m; j++)
        {
            double xmax = 0;
            for (int i = 0; i < n; i++) xmax = Math.Max(xmax, Math.Abs(x[i * m + j]));
            if (xmax == 0)
            {
                for (int i = 0; i < n; i++) tt[i * m + j] = 1.0;
                continue;
            }
            double xmin = xmax;
            for (int i = 0; i < n; i++)
            {
                double v = x[i * m + j];
                if (v != 0) xmin = Math.Min(xmin, Math.Abs(v));
            }
            bool bigDifference = Math.Log10(xmax) - Math.Log10(xmin) >= 1;
            for (int i = 0; i < n; i++)
            {
                double v = x[i * m + j];
                if (v != 0) tt[i * m + j] = bigDifference ? 1 / Math.Abs(v) : 1 / xmax;
                else tt[i * m + j] = 10 / xmin;
            }
        }
    }

    /// <summary>DHSTEP: relative step for forward (central = false) or central differences.</summary>
    /// <param name="userStep">The user's relative step for this variable, or a non-positive value
    /// for ODRPACK's default from the number of good digits.</param>
    public static double RelativeStep(bool central, int neta, double userStep)
    {
        if (userStep > 0) return userStep;
        return central ? Math.Pow(10, -Math.Abs(neta) / 3.0) : Math.Pow(10, -Math.Abs(neta) / 2.0 - 2.0);
    }

    /// <summary>DERSTP: absolute finite-difference step for parameter k.</summary>
    public static double BetaStep(bool central, double betak, double ssfk, int neta, double userStep)
    {
        double typical = betak == 0 ? 1 / ssfk : Math.Abs(betak);
        return Math.CopySign(1.0, betak) * typical * RelativeStep(central, neta, userStep);
    }
}
