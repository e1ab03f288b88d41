using Odr.Plots;

namespace Odr.Examples;

/// <summary>
/// Example 1: a straight line y = B0·x + B1 with errors in both x and y, and why its standard errors
/// are zero when the points lie exactly on the line.
/// </summary>
public static class StraightLine
{
    /// <summary>Runs the example: prints both fits and writes straight_line.png.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="outDir">Folder for the plot.</param>
    public static void Run(TextWriter output, string outDir)
    {
        // --- 1. Points exactly on the line y = x, with sx = 1 and sy = 5. ---
        // RealData takes standard deviations and turns them into weights 1/sx² and 1/sy².
        var exact = new RealData(x: new[] { 0.0, 1, 2, 3 }, y: new[] { 0.0, 1, 2, 3 }, sx: 1.0, sy: 5.0);

        // Models.Unilinear is scipy.odr.unilinear: y = B0*x + B1 (slope first).
        // The ready-made models carry analytic Jacobians; SetJob(deriv: 2) uses them. (With the default
        // forward differences the step for a parameter is proportional to its value, and the intercept
        // converges to about 1e-34 here, where a difference quotient no longer resolves its derivative.)
        var exactJob = new ODR(exact, Models.Unilinear, beta0: new[] { 1.5, 0.5 });
        exactJob.SetJob(deriv: 2);
        var exactFit = exactJob.Run();
        output.WriteLine("Points exactly on y = x (x = y = [0, 1, 2, 3], sx = 1, sy = 5):");
        exactFit.Pprint(output);
        output.WriteLine();

        // sd_beta is sqrt(res_var * diag(cov_beta)). res_var = sum_square / (n - p) measures the scatter
        // of the points about the fitted line; here there is none, so res_var = 0 and sd_beta = 0.
        // cov_beta is (JᵀWJ)⁻¹ from the weights alone and is NOT multiplied by res_var, so it is not zero.
        double[] absolute = Enumerable.Range(0, exactFit.Beta.Length).Select(k => Math.Sqrt(exactFit.CovBeta[k, k])).ToArray();
        output.WriteLine("Why is Beta Std Error zero?");
        output.WriteLine($"  The points lie exactly on the line, so every residual is 0: sum of squares = {exactFit.SumSquare:G3}");
        output.WriteLine($"  and the residual variance res_var = sum_square / (n - p) = {exactFit.ResVar:G3}, zero up to rounding.");
        output.WriteLine("  ODRPACK (and scipy.odr) report sd_beta = sqrt(res_var * diag(cov_beta)): the standard errors are");
        output.WriteLine("  scaled by the scatter actually seen about the fit, and there is none, so sd_beta = 0 (up to rounding).");
        output.WriteLine("  cov_beta is NOT scaled by res_var: it is the inverse of JᵀWJ computed from the weights 1/sx², 1/sy²,");
        output.WriteLine("  so it is not zero. If sx and sy are the true (absolute) uncertainties, use sqrt(diag(cov_beta)) as the");
        output.WriteLine($"  standard errors instead: {Program.Format(absolute, "F4")} (slope, intercept).");
        output.WriteLine();

        // --- 2. The same fit on noisy data: 10 points scattered about y = 2x + 1. ---
        double[] x = { -0.08, 1.15, 1.93, 2.91, 3.72, 4.94, 6.33, 7.13, 8.31, 9.07 };
        double[] y = { 1.24, 3.11, 4.0, 7.51, 9.3, 11.3, 11.99, 13.95, 16.47, 18.72 };
        var noisy = new RealData(x, y, sx: 0.3, sy: 0.6);
        var noisyJob = new ODR(noisy, Models.Unilinear, beta0: new[] { 1.0, 0.0 });
        noisyJob.SetJob(deriv: 2);
        var noisyFit = noisyJob.Run();
        output.WriteLine("Noisy points about y = 2x + 1 (sx = 0.3, sy = 0.6):");
        noisyFit.Pprint(output);
        var intervals = noisyFit.ConfidenceIntervals(0.95);
        output.WriteLine($"Slope     = {noisyFit.Beta[0]:F4} ± {noisyFit.SdBeta[0]:F4} (95 % interval {intervals[0].Lower:F3} to {intervals[0].Upper:F3}; true 2)");
        output.WriteLine($"Intercept = {noisyFit.Beta[1]:F4} ± {noisyFit.SdBeta[1]:F4} (95 % interval {intervals[1].Lower:F3} to {intervals[1].Upper:F3}; true 1)");
        output.WriteLine($"Now res_var = {noisyFit.ResVar:F4} > 0 and sd_beta = sqrt(res_var * diag(cov_beta)) = {Program.Format(Enumerable.Range(0, 2).Select(k => Math.Sqrt(noisyFit.ResVar * noisyFit.CovBeta[k, k])), "F4")}.");

        // The plot: the points with their error bars, the line, its 95 % confidence band and the
        // orthogonal residuals from each point to its fitted point (x + delta, y + eps).
        string png = Path.Combine(outDir, "straight_line.png");
        FitPlot.Create(noisy, Models.Unilinear, noisyFit, "ODR")
            .WithConfidenceBand(0.95)
            .WithParameters(names: new[] { "slope", "intercept" })
            .Title("Straight line with errors in x and y")
            .XLabel("x")
            .YLabel("y")
            .Save(png);
        output.WriteLine($"Plot: {png}");
    }
}
