using System.Globalization;

namespace Odr.Plots;

/// <summary>Model evaluation on grids, delta-method bands and number formatting for the plots.</summary>
internal static class FitMath
{
    /// <summary>Number of responses the model writes per observation.</summary>
    public static int Responses(Data data, Model model) => model.IsImplicit ? model.Responses : Math.Max(data.Q, 1);

    /// <summary>Evaluates the model at <paramref name="x"/> (count·m values, observation-major); points
    /// where the model throws or returns non-finite values become NaN.</summary>
    public static double[] Evaluate(Model model, double[] beta, double[] x, int m, int q)
    {
        int count = x.Length / m;
        var f = new double[count * q];
        try
        {
            model.Evaluate(beta, x, f);
            return f;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Fall back to one point at a time so that one bad point does not hide the whole curve.
        }
        var one = new double[q];
        for (int i = 0; i < count; i++)
        {
            try
            {
                model.Evaluate(beta, x.AsSpan(i * m, m), one);
                for (int l = 0; l < q; l++) f[i * q + l] = one[l];
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                for (int l = 0; l < q; l++) f[i * q + l] = double.NaN;
            }
        }
        return f;
    }

    /// <summary>
    /// The curve of response <paramref name="response"/> against input <paramref name="input"/> on
    /// <paramref name="grid"/> (other inputs at <paramref name="others"/>), with delta-method bands:
    /// var f = ResVar · gᵀ CovBeta g, g = ∂f/∂β by central differences; the prediction band adds
    /// ResVar · (mean 1/we + (∂f/∂x)² · mean 1/wd).
    /// </summary>
    public static CurveBand Curve(Data data, Model model, Output output, double[] grid, int input, double[] others, int response, double? confidence, double? prediction)
    {
        int m = data.M, q = Responses(data, model), g = grid.Length, p = output.Beta.Length;
        var x = new double[g * m];
        for (int i = 0; i < g; i++)
        {
            for (int j = 0; j < m; j++) x[i * m + j] = j == input ? grid[i] : others[j];
        }
        double[] beta = output.Beta;
        double[] all = Evaluate(model, beta, x, m, q);
        var fit = new double[g];
        for (int i = 0; i < g; i++) fit[i] = all[i * q + response];
        if (confidence is null && prediction is null) return new CurveBand(grid, fit, null, null, null, null);

        double resVar = output.ResVar;
        bool usable = output.DegreesOfFreedom > 0 && double.IsFinite(resVar) && resVar >= 0;
        var variance = new double[g];
        if (usable)
        {
            var gradient = new double[p * g];
            var shifted = (double[])beta.Clone();
            for (int k = 0; k < p; k++)
            {
                double sd = Math.Sqrt(Math.Max(resVar * output.CovBeta[k, k], 0));
                if (!(sd > 0)) continue;
                double h = Math.Max(6e-6 * Math.Abs(beta[k]), 1e-4 * sd);
                shifted[k] = beta[k] + h;
                double[] up = Evaluate(model, shifted, x, m, q);
                shifted[k] = beta[k] - h;
                double[] down = Evaluate(model, shifted, x, m, q);
                shifted[k] = beta[k];
                for (int i = 0; i < g; i++) gradient[k * g + i] = (up[i * q + response] - down[i * q + response]) / (2 * h);
            }
            for (int i = 0; i < g; i++)
            {
                double s = 0;
                for (int a = 0; a < p; a++)
                {
                    double ga = gradient[a * g + i];
                    if (ga == 0) continue;
                    for (int b = 0; b < p; b++) s += ga * output.CovBeta[a, b] * gradient[b * g + i];
                }
                variance[i] = resVar * Math.Max(s, 0);
            }
        }
        else
        {
            Array.Fill(variance, double.NaN);
        }

        double[]? cl = null, cu = null, pl = null, pu = null;
        if (confidence is double c)
        {
            double t = output.TQuantile(c); // the intervals' t: one Student t for the whole result
            (cl, cu) = Band(fit, variance, t);
        }
        if (prediction is double pr)
        {
            double t = output.TQuantile(pr);
            double meanEpsVariance = MeanInverse(data.N, i => data.Q > 0 ? data.EpsWeight(response, i) : 0);
            bool estimatesDelta = false;
            foreach (double d in output.Delta)
            {
                if (d != 0)
                {
                    estimatesDelta = true;
                    break;
                }
            }
            double meanDeltaVariance = estimatesDelta ? MeanInverse(data.N, i => data.DeltaWeight(input, i)) : 0;
            var total = new double[g];
            for (int i = 0; i < g; i++)
            {
                double slope = 0;
                if (meanDeltaVariance > 0)
                {
                    int a = Math.Max(i - 1, 0), b = Math.Min(i + 1, g - 1);
                    slope = b > a ? (fit[b] - fit[a]) / (grid[b] - grid[a]) : 0;
                }
                total[i] = variance[i] + resVar * (meanEpsVariance + slope * slope * meanDeltaVariance);
            }
            (pl, pu) = Band(fit, total, t);
        }
        return new CurveBand(grid, fit, cl, cu, pl, pu);
    }

    private static (double[] Lower, double[] Upper) Band(double[] fit, double[] variance, double t)
    {
        var lower = new double[fit.Length];
        var upper = new double[fit.Length];
        for (int i = 0; i < fit.Length; i++)
        {
            double half = t * Math.Sqrt(variance[i]);
            lower[i] = fit[i] - half;
            upper[i] = fit[i] + half;
        }
        return (lower, upper);
    }

    private static double MeanInverse(int n, Func<int, double> weight)
    {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weight(i);
            if (w > 0 && double.IsFinite(w))
            {
                sum += 1 / w;
                count++;
            }
        }
        return count > 0 ? sum / count : 0;
    }

    /// <summary>"value ± error" with the error to two significant digits and the value to the same place.</summary>
    public static string ValueWithError(double value, double error)
    {
        var inv = CultureInfo.InvariantCulture;
        if (!double.IsFinite(value)) return value.ToString(inv);
        if (!(error > 0) || !double.IsFinite(error)) return value.ToString("G6", inv);
        int decimals = 1 - (int)Math.Floor(Math.Log10(error));
        double magnitude = Math.Max(Math.Abs(value), error);
        if (decimals < 0 || decimals > 8 || magnitude >= 1e7)
        {
            return value.ToString("G4", inv) + " ± " + error.ToString("G2", inv);
        }
        string format = "F" + decimals.ToString(inv);
        return value.ToString(format, inv) + " ± " + error.ToString(format, inv);
    }

    /// <summary>Evenly spaced indices, at most <paramref name="max"/> of <paramref name="n"/>.</summary>
    public static int[] Subsample(int n, int max)
    {
        if (max <= 0) return Array.Empty<int>();
        if (n <= max) return Enumerable.Range(0, n).ToArray();
        var result = new int[max];
        for (int k = 0; k < max; k++) result[k] = (int)((long)k * n / max);
        return result;
    }
}
