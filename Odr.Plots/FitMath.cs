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
    /// <paramref name="grid"/> (other inputs at <paramref name="others"/>), with the confidence and
    /// prediction bands of <see cref="Prediction.Compute(Data, Model, Output, double[,], PredictionOptions?)"/>
    /// (the computation behind FitInference.Predict): value ± t·StandardError and ± t·PredictionStandardError.
    /// </summary>
    public static CurveBand Curve(Data data, Model model, Output output, double[] grid, int input, double[] others, int response, double? confidence, double? prediction)
    {
        int m = data.M, q = Responses(data, model), g = grid.Length;
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

        // The bands are Prediction.Compute's (the computation behind FitInference.Predict), one
        // implementation for the library and the plot; only the t quantiles differ per band.
        double[] se = new double[g], pse = new double[g];
        bool usable = output.DegreesOfFreedom > 0 && double.IsFinite(output.ResVar) && output.ResVar >= 0;
        if (usable)
        {
            var points = new double[m, g];
            for (int i = 0; i < g; i++)
            {
                for (int j = 0; j < m; j++) points[j, i] = x[i * m + j];
            }
            var options = new PredictionOptions { Response = response };
            IReadOnlyList<Prediction>? predictions = TryPredict(data, model, output, points, options);
            for (int i = 0; i < g; i++)
            {
                Prediction? pi = predictions is not null ? predictions[i] : TryPredict(data, model, output, Column(points, i), options)?[0];
                se[i] = pi?.StandardError ?? double.NaN;
                pse[i] = pi?.PredictionStandardError ?? double.NaN;
            }
        }
        else
        {
            Array.Fill(se, double.NaN);
            Array.Fill(pse, double.NaN);
        }

        double[]? cl = null, cu = null, pl = null, pu = null;
        if (confidence is double c) (cl, cu) = Band(fit, se, output.TQuantile(c));
        if (prediction is double pr) (pl, pu) = Band(fit, pse, output.TQuantile(pr));
        return new CurveBand(grid, fit, cl, cu, pl, pu);
    }

    /// <summary>Predictions at the points, or null where the model throws there (the band is then
    /// computed point by point so that one bad point does not hide the whole band).</summary>
    private static IReadOnlyList<Prediction>? TryPredict(Data data, Model model, Output output, double[,] points, PredictionOptions options)
    {
        try
        {
            return Prediction.Compute(data, model, output, points, options);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static double[,] Column(double[,] points, int i)
    {
        var one = new double[points.GetLength(0), 1];
        for (int j = 0; j < one.GetLength(0); j++) one[j, 0] = points[j, i];
        return one;
    }

    private static (double[] Lower, double[] Upper) Band(double[] fit, double[] standardError, double t)
    {
        var lower = new double[fit.Length];
        var upper = new double[fit.Length];
        for (int i = 0; i < fit.Length; i++)
        {
            double half = t * standardError[i];
            lower[i] = fit[i] - half;
            upper[i] = fit[i] + half;
        }
        return (lower, upper);
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
