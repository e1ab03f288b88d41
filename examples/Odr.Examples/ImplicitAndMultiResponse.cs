using Odr.Plots;

namespace Odr.Examples;

/// <summary>
/// Example 3: an implicit fit (an ellipse f(beta, x) = 0, with no y at all) and a multi-response fit
/// (two measured responses that share their parameters).
/// </summary>
public static class ImplicitAndMultiResponse
{
    /// <summary>The ellipse parameters found by ODRPACK for the user's guide data (ODRPACK User's Guide, p. 49;
    /// scipy's test_implicit).</summary>
    public static IReadOnlyList<double> OdrpackEllipse { get; } =
        new[] { -0.9993809520739779, -2.9310484303081314, 0.08757304900776874, 0.016229971705401174, 0.07975379732926403 };

    /// <summary>Runs the example: prints both fits and writes implicit_ellipse.png and multi_response.png.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="outDir">Folder for the plots.</param>
    public static void Run(TextWriter output, string outDir)
    {
        Ellipse(output, outDir);
        output.WriteLine();
        TwoResponses(output, outDir);
    }

    private static void Ellipse(TextWriter output, string outDir)
    {
        // 20 points measured on an ellipse (ODRPACK User's Guide, p. 49). There is no response y: the
        // model is a constraint that the true points satisfy,
        //   f(beta, x) = B2·(x0 − B0)² + 2·B3·(x0 − B0)·(x1 − B1) + B4·(x1 − B1)² − 1 = 0,
        // and ODR finds the smallest corrections delta to both coordinates that put every point on it.
        double[,] points =
        {
            { 0.5, 1.2, 1.6, 1.86, 2.12, 2.36, 2.44, 2.36, 2.06, 1.74, 1.34, 0.9, -0.28, -0.78, -1.36, -1.9, -2.5, -2.88, -3.18, -3.44 },
            { -0.12, -0.6, -1.0, -1.4, -2.54, -3.36, -4.0, -4.75, -5.25, -5.64, -5.97, -6.32, -6.44, -6.44, -6.41, -6.25, -5.88, -5.5, -5.24, -4.86 },
        };
        var data = new Data(points); // x is [m = 2, n = 20]; no y makes the data implicit

        // Written for one observation: its two inputs in, the value of the constraint out (the
        // vectorized form, all observations in one call, is the same model; see Model's docs).
        var ellipse = new Model(
            inputs: 2,
            responses: 1,
            (b, x, f) =>
            {
                double u = x[0] - b[0], v = x[1] - b[1];
                f[0] = b[2] * u * u + 2 * b[3] * u * v + b[4] * v * v - 1;
            },
            isImplicit: true);

        // For an implicit model the ODR constructor sets fit type 1 (implicit) itself.
        var fit = new ODR(data, ellipse, beta0: new[] { -1.0, -3.0, 0.09, 0.02, 0.08 }).Run();
        output.WriteLine("Implicit fit of an ellipse (ODRPACK User's Guide data, 20 points):");
        fit.Pprint(output);
        output.WriteLine($"ODRPACK's solution: {Program.Format(OdrpackEllipse, "F6")}");
        double largest = fit.Beta.Zip(OdrpackEllipse).Max(p => Math.Abs(p.First - p.Second) / Math.Abs(p.Second));
        output.WriteLine($"Largest relative difference from ODRPACK: {largest:E1}");

        // Centre and semi-axes from the quadratic form [[B2, B3], [B3, B4]]: semi-axis = 1/sqrt(eigenvalue).
        double a = fit.Beta[2], c = fit.Beta[3], d = fit.Beta[4];
        double mean = (a + d) / 2, radius = Math.Sqrt(((a - d) / 2 * ((a - d) / 2)) + (c * c));
        double major = 1 / Math.Sqrt(mean - radius), minor = 1 / Math.Sqrt(mean + radius);
        double angle = 0.5 * Math.Atan2(2 * c, a - d) * 180 / Math.PI;
        output.WriteLine($"Centre ({fit.Beta[0]:F4}, {fit.Beta[1]:F4}), semi-axes {major:F4} and {minor:F4}, minor axis at {angle:F1}° to x0");

        // Implicit fits are drawn as the zero contour of f(beta, x) over the two inputs.
        string png = Path.Combine(outDir, "implicit_ellipse.png");
        FitPlot.Create(data, ellipse, fit, "ellipse")
            .Title("Implicit fit: f(beta, x) = 0")
            .XLabel("x0")
            .YLabel("x1")
            .Save(png);
        output.WriteLine($"Plot: {png}");
    }

    private static void TwoResponses(TextWriter output, string outDir)
    {
        // A first-order reaction A → B sampled 12 times: both concentrations are measured, and both
        // depend on the same two parameters, the initial amount A0 and the rate k:
        //   [A](t) = A0·exp(−k·t),   [B](t) = A0·(1 − exp(−k·t)).
        // Fitting them together (q = 2 responses) uses all 24 values for the two shared parameters.
        // The sampling times are uncertain too (sx = 0.1).
        double[] t = { -0.12, 0.43, 1.16, 1.41, 2.17, 2.5, 3.38, 3.84, 4.5, 4.86, 5.49, 5.97 };
        double[,] concentrations =
        {
            { 4.93, 3.62, 2.47, 1.84, 1.42, 0.98, 0.66, 0.72, 0.37, 0.2, 0.21, 0.08 }, // [A]
            { -0.04, 1.36, 2.6, 3.13, 3.67, 4.09, 4.5, 4.47, 4.57, 4.98, 4.66, 4.83 }, // [B]
        };
        // y is [q = 2, n = 12]; sy gives one standard deviation per response.
        var data = new RealData(t, concentrations, sx: 0.1, sy: new[] { 0.1, 0.1 });

        // Per observation: one input t in, two responses out ([A] in y[0], [B] in y[1]).
        var reaction = new Model(inputs: 1, responses: 2, (b, t, y) =>
        {
            double e = Math.Exp(-b[1] * t[0]);
            y[0] = b[0] * e;
            y[1] = b[0] * (1 - e);
        });

        var fit = new ODR(data, reaction, beta0: new[] { 4.0, 0.4 }).Run();
        output.WriteLine("Multi-response fit: A → B, both concentrations share A0 and k (q = 2):");
        fit.Pprint(output);
        output.WriteLine($"A0 = {fit.Beta[0]:F4} ± {fit.SdBeta[0]:F4} (true 5), k = {fit.Beta[1]:F4} ± {fit.SdBeta[1]:F4} (true 0.6)");

        // One panel per response, each with its curve and 95 % confidence band.
        string png = Path.Combine(outDir, "multi_response.png");
        FitPlot.Create(data, reaction, fit, "A → B")
            .WithConfidenceBand(0.95)
            .WithParameters(names: new[] { "A0", "k" })
            .Title("Two responses, shared parameters")
            .XLabel("t")
            .Save(png);
        output.WriteLine($"Plot: {png}");
    }
}
