namespace Odr.Core;

/// <summary>Correlated x–y errors (York et al. 2004) in the model evaluator: the correction
/// f(β, z) + c_i·(z − x_i) applied to every call, whole, chunked or a subset.</summary>
internal sealed partial class ModelEvaluator
{
    // The data's x and the slopes c_i of f(β, z) + c_i·(z − x_i); null slopes: no correction.
    private double[]? xyErrorSlopes;
    private double[] observedX = Array.Empty<double>();

    /// <summary>
    /// Correlated x–y errors (one input, one response): from now on every model value of observation i
    /// at z is f(β, z) + c_i·(z − x_i) and every ∂f/∂z gains c_i, so that ODRPACK's weighted sum of
    /// squares (with we = 1/((1 − r²)·sy²), wd = 1/sx²) is the quadratic form of (δ_i, ε_i) with the
    /// inverse of their covariance. Here and not in the user's callback because only this class knows
    /// which observations each call (whole, chunked or a subset) covers; the solver's step is unchanged.
    /// </summary>
    /// <param name="x">The data's x (observation i at [i]), from which z − x_i = δ_i is taken.</param>
    /// <param name="slopes">c_i = −r_i·sy_i/sx_i per observation.</param>
    public void CorrectForCorrelatedErrors(double[] x, double[] slopes)
    {
        if (m != 1 || q != 1) throw new InvalidOperationException("Correlated x–y errors need one input and one response.");
        if (x.Length != n || slopes.Length != n) throw new ArgumentException("x and the slopes need one value per observation.");
        observedX = x;
        xyErrorSlopes = slopes;
    }

    /// <summary>Adds the correlated-error correction (if any) to the values of observations
    /// [first, first + output.Length) of a call at <paramref name="z"/> (the same observations).</summary>
    private void Correct(int kind, ReadOnlySpan<double> z, int first, Span<double> output)
    {
        var c = xyErrorSlopes;
        if (c is null || kind == KindJacobianBeta) return;
        var cs = c.AsSpan(first, output.Length);
        if (kind == KindFunction)
        {
            var x0 = observedX.AsSpan(first, output.Length);
            for (int k = 0; k < output.Length; k++) output[k] += cs[k] * (z[k] - x0[k]);
        }
        else
        {
            for (int k = 0; k < output.Length; k++) output[k] += cs[k];
        }
    }
}
