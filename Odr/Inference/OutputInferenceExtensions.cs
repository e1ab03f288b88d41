namespace Odr;

/// <summary>Inference on an <see cref="Output"/> that needs nothing but the output itself.</summary>
public static class OutputInferenceExtensions
{
    /// <summary>
    /// The correlation matrix of the parameters, corr[a, b] = C[a, b] / sqrt(C[a, a]·C[b, b]) from
    /// <see cref="Output.CovBeta"/> (the scale of the covariance cancels). Rows and columns of
    /// parameters without variance (fixed by ifixb, dropped for rank deficiency, or a fit without
    /// covariance) are NaN.
    /// </summary>
    /// <param name="output">The fit's result.</param>
    /// <returns>A new p×p array.</returns>
    public static double[,] CorrelationBeta(this Output output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = output.CovBeta;
        int p = c.GetLength(0);
        var r = new double[p, p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                double va = c[a, a], vb = c[b, b];
                r[a, b] = va > 0 && vb > 0 ? (a == b ? 1.0 : Math.Clamp(c[a, b] / Math.Sqrt(va * vb), -1.0, 1.0)) : double.NaN;
            }
        }
        return r;
    }
}
