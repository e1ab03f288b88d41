using ScottPlot;

namespace Odr.Plots.Tests;

/// <summary>
/// What a scientist reads off the pictures, checked against geometry rather than against the drawing
/// code: a circle is round on screen, the whole implicit curve is drawn and satisfies its equation,
/// OLS residuals are vertical and ODR residuals normal to the line in the weighted metric, axes carry
/// the variables' names.
/// </summary>
public class GeometryTests
{
    private static readonly FitPlotStyle Style = FitPlotStyle.Default;

    /// <summary>The implicit circle (x0 − b0)² + (x1 − b1)² = b2².</summary>
    private static readonly Model Circle = new(
        (b, x, f) =>
        {
            for (int i = 0; i < f.Length; i++)
            {
                double u = x[2 * i] - b[0], v = x[2 * i + 1] - b[1];
                f[i] = u * u + v * v - b[2] * b[2];
            }
        },
        isImplicit: true);

    /// <summary>Noisy points on the arc of the circle centred at (1, 2) with radius 5 between two angles.</summary>
    private static (RealData Data, Output Fit) CircleFit(double fromDegrees, double toDegrees, int n = 16)
    {
        var rng = new Random(4);
        var x = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            double a = (fromDegrees + (toDegrees - fromDegrees) * i / (n - 1)) * Math.PI / 180;
            x[0, i] = 1 + 5 * Math.Cos(a) + 0.05 * Fits.Normal(rng);
            x[1, i] = 2 + 5 * Math.Sin(a) + 0.05 * Fits.Normal(rng);
        }
        var data = new RealData(x, null, sx: new[] { 0.05, 0.05 });
        var fit = new ODR(data, Circle, new[] { 0.5, 1.5, 4.0 }).Run();
        Assert.True(Math.Abs(Math.Abs(fit.Beta[2]) - 5) < 0.5, $"the circle fit converged (radius {fit.Beta[2]})");
        return (data, fit);
    }

    private static double PixelsPerUnitX(Plot plot)
    {
        var limits = plot.Axes.GetLimits();
        return plot.LastRender.DataRect.Width / (limits.Right - limits.Left);
    }

    private static double PixelsPerUnitY(Plot plot)
    {
        var limits = plot.Axes.GetLimits();
        return plot.LastRender.DataRect.Height / (limits.Top - limits.Bottom);
    }

    [Theory]
    [InlineData(800, 600, false)]
    [InlineData(500, 900, false)]
    [InlineData(800, 800, true)]
    public void ACircleIsDrawnWithEqualAxisScales(int width, int height, bool residualPanel)
    {
        // No observation at 0°, 90°, 180° or 270°, where the scans cross the circle.
        var (d, o) = CircleFit(7.5, 352.5, 24);
        var fp = FitPlot.Create(d, Circle, o).WithResidualPanel(residualPanel);
        using var bmp = Imaging.Decode(fp.ToPngBytes(width, height));

        // The same number of pixels per unit on both axes, from ScottPlot's limits and data area.
        Assert.Equal(PixelsPerUnitX(fp.Plot), PixelsPerUnitY(fp.Plot), 0.005 * PixelsPerUnitX(fp.Plot));

        // And in the image: the drawn circle is as wide as it is tall (curve pixels on the horizontal and
        // vertical lines through its centre).
        var centre = fp.Plot.GetPixel(new Coordinates(o.Beta[0], o.Beta[1]));
        var area = fp.Plot.LastRender.DataRect;
        // Curve pixels are red, antialiased towards white: red well above green, green close to blue
        // (unlike the orange projections, the blue observations and the grey grid).
        static bool Red(SkiaSharp.SKColor c) => c.Red - c.Green > 80 && Math.Abs(c.Green - c.Blue) < 30;
        var across = Enumerable.Range((int)area.Left, (int)area.Width).Where(x => Red(bmp.GetPixel(x, (int)Math.Round(centre.Y)))).ToList();
        var down = Enumerable.Range((int)area.Top, (int)area.Height).Where(y => Red(bmp.GetPixel((int)Math.Round(centre.X), y))).ToList();
        Assert.NotEmpty(across);
        Assert.NotEmpty(down);
        double w = across.Max() - across.Min(), h = down.Max() - down.Min();
        Assert.True(w > 100, $"circle {w} px wide");
        Assert.Equal(w, h, 3.0);

        if (residualPanel)
        {
            // The residual panel follows the main panel's horizontal axis.
            var main = fp.Plot.Axes.GetLimits();
            var res = fp.ResidualPanel()!.Axes.GetLimits();
            Assert.Equal(main.Left, res.Left, 1e-9);
            Assert.Equal(main.Right, res.Right, 1e-9);
        }
    }

    [Fact]
    public void ExplicitFitsAndOptOutKeepIndependentScales()
    {
        var (d, o) = CircleFit(0, 360, 24);
        var fp = FitPlot.Create(d, Circle, o).WithEqualAxisScales(false);
        fp.ToPngBytes(800, 400);
        Assert.True(PixelsPerUnitX(fp.Plot) > 1.2 * PixelsPerUnitY(fp.Plot), "without equal scales the wide image stretches x");

        var (ld, lm, lo) = Fits.Decay();
        var line = FitPlot.Create(ld, lm, lo);
        line.ToPngBytes(800, 600);
        Assert.True(Math.Abs(PixelsPerUnitX(line.Plot) / PixelsPerUnitY(line.Plot) - 1) > 0.1, "explicit fits use the panel's shape");
    }

    [Fact]
    public void AnArcOfDataShowsTheWholeCircleAndItSatisfiesTheEquation()
    {
        // Data on a quarter of the circle only; the fitted circle is still drawn whole.
        var (d, o) = CircleFit(10, 80);
        var fp = FitPlot.Create(d, Circle, o).WithLegend(false).WithParameters(false);
        string svg = fp.ToSvgString(800, 600);
        var limits = fp.Plot.Axes.GetLimits();
        var points = new List<Coordinates>();
        foreach (double[] v in Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Curve)).Select(Imaging.Numbers))
        {
            for (int k = 0; k + 1 < v.Length; k += 2) points.Add(fp.Plot.GetCoordinates(new Pixel((float)v[k], (float)v[k + 1])));
        }
        Assert.True(points.Count > 200, $"{points.Count} contour points");
        double a = o.Beta[0], b = o.Beta[1], r = Math.Abs(o.Beta[2]);
        var angles = new List<double>();
        foreach (var p in points)
        {
            // On the fitted circle (to a fraction of a pixel) ...
            double distance = Math.Sqrt((p.X - a) * (p.X - a) + (p.Y - b) * (p.Y - b));
            Assert.Equal(r, distance, 0.01 * r);

            // ... and inside the axes, not cut off by them.
            Assert.InRange(p.X, limits.Left, limits.Right);
            Assert.InRange(p.Y, limits.Bottom, limits.Top);
            angles.Add(Math.Atan2(p.Y - b, p.X - a) * 180 / Math.PI);
        }

        // All the way round: no gap over 3° between neighbouring points.
        angles.Sort();
        double gap = 360 - (angles[^1] - angles[0]);
        for (int k = 1; k < angles.Count; k++) gap = Math.Max(gap, angles[k] - angles[k - 1]);
        Assert.True(gap < 3, $"largest gap in the drawn circle {gap:F1}°");
    }

    [Fact]
    public void AnOpenImplicitCurveCrossesTheWholePanel()
    {
        // The implicit line x1 − b0·x0 − b1 = 0 never closes: it is drawn from edge to edge of the panel.
        var rng = new Random(6);
        const int n = 12;
        var x = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            x[0, i] = i + 0.05 * Fits.Normal(rng);
            x[1, i] = 0.5 * i + 1 + 0.05 * Fits.Normal(rng);
        }
        var data = new RealData(x, null, sx: new[] { 0.05, 0.05 });
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < f.Length; i++) f[i] = xs[2 * i + 1] - b[0] * xs[2 * i] - b[1];
            },
            isImplicit: true);
        var fit = new ODR(data, model, new[] { 0.4, 0.8 }).Run();
        var fp = FitPlot.Create(data, model, fit).WithLegend(false).WithParameters(false);
        string svg = fp.ToSvgString(800, 600);
        var xs = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Curve)).Select(Imaging.Numbers).SelectMany(v => new[] { v[0], v[2] }).ToList();
        var area = fp.Plot.LastRender.DataRect;
        Assert.True(xs.Min() <= area.Left + 1 && xs.Max() >= area.Right - 1, $"the line spans {xs.Min():F0}–{xs.Max():F0} px of {area.Left:F0}–{area.Right:F0}");
        var limits = fp.Plot.Axes.GetLimits();
        Assert.True(limits.Right - limits.Left < 20, "the view stays on the data");
    }

    [Fact]
    public void AnImplicitModelThatFailsEverywhereDrawsTheDataWithoutACurve()
    {
        var (d, o) = CircleFit(0, 360, 24);
        var failing = new Model((b, x, f) => throw new InvalidOperationException("no value here"), isImplicit: true);
        var fp = FitPlot.Create(d, failing, o).WithLegend(false);
        string svg = fp.ToSvgString(600, 500);
        Assert.Empty(Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Curve)));
        Assert.Equal(d.N, Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Count);
    }

    [Fact]
    public void OrdinaryLeastSquaresResidualsAreVerticalAndSaySo()
    {
        var (d, m, _, ols) = Fits.OdrAndOls();
        var labelledPlot = FitPlot.Create(d, m, ols, "OLS").WithResidualPanel();
        var fp = labelledPlot.WithLegend(false);
        string svg = fp.ToSvgString(800, 800);
        var segments = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Select(Imaging.Numbers).ToList();
        Assert.Equal(d.N, segments.Count);
        foreach (double[] v in segments)
        {
            // Same x at both ends, and the end lies on the fitted line at that x.
            Assert.Equal(v[0], v[2], 0.01);
            var end = fp.Plot.GetCoordinates(new Pixel((float)v[2], (float)v[3]));
            Assert.Equal(ols.Beta[0] * end.X + ols.Beta[1], end.Y, 0.002 * (fp.Plot.Axes.GetLimits().Top - fp.Plot.Axes.GetLimits().Bottom));
        }

        string labelled = labelledPlot.ToSvgString(800, 800);
        Assert.Contains("vertical residuals", labelled);
        Assert.DoesNotContain("orthogonal residuals", labelled);
        Assert.Contains("ε·√w_ε", labelled);
        Assert.DoesNotContain("δ·√w_δ", labelled); // OLS estimates no δ: the residual panel shows none
    }

    [Fact]
    public void OdrResidualsOfALineAreNormalToItInTheWeightedMetric()
    {
        // For the line y = b0·x + b1 the weighted distance wd·δ² + we·ε² is smallest, along the line, where
        // wd·δ = −b0·we·ε: the segment (δ, ε) points along (−b0/wd, 1/we), not along the Euclidean normal.
        var (d, m, o) = Fits.Line();
        var fp = FitPlot.Create(d, m, o).WithLegend(false);
        string svg = fp.ToSvgString(800, 600);
        var segments = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Select(Imaging.Numbers).ToList();
        Assert.Equal(d.N, segments.Count);
        var sx = d.Sx!;
        var sy = d.Sy!;
        for (int i = 0; i < d.N; i++)
        {
            var from = fp.Plot.GetCoordinates(new Pixel((float)segments[i][0], (float)segments[i][1]));
            var to = fp.Plot.GetCoordinates(new Pixel((float)segments[i][2], (float)segments[i][3]));
            double delta = to.X - from.X, eps = to.Y - from.Y;
            double wd = 1 / (sx[i] * sx[i]), we = 1 / (sy[i] * sy[i]);
            double scale = Math.Abs(wd * delta) + Math.Abs(o.Beta[0] * we * eps);
            Assert.True(Math.Abs(wd * delta + o.Beta[0] * we * eps) < 0.03 * scale + 1e-9, $"observation {i}: wd·δ = {wd * delta:G4}, −b0·we·ε = {-o.Beta[0] * we * eps:G4}");
            Assert.Equal(o.Beta[0] * to.X + o.Beta[1], to.Y, 0.02);
        }
    }

    [Fact]
    public void AxesCarryTheGivenNames()
    {
        var (d, m, o) = Fits.TwoResponses();
        var fp = FitPlot.Create(d, m, o).WithNames(new[] { "time" }, new[] { "[A]", "[B]" }).WithResidualPanel();
        string svg = fp.ToSvgString(800, 1000);
        Assert.Equal("[A]", fp.MainPanel(0).Axes.Left.Label.Text);
        Assert.Equal("[B]", fp.MainPanel(1).Axes.Left.Label.Text);
        Assert.Equal("time", fp.MainPanel(1).Axes.Bottom.Label.Text);
        Assert.Equal("time", fp.ResidualPanel(1)!.Axes.Bottom.Label.Text);
        foreach (string name in new[] { "[A]", "[B]", "time" }) Assert.Contains(name, svg);

        // Without names the panels are y0 and y1, never "y [0]".
        var plain = FitPlot.Create(d, m, o);
        Assert.Equal("y0", plain.MainPanel(0).Axes.Left.Label.Text);
        Assert.Equal("y1", plain.MainPanel(1).Axes.Left.Label.Text);
        Assert.DoesNotContain("[0]", plain.ToSvgString(800, 1000));

        // Implicit fits: the two inputs name the two axes; a label set for an axis wins.
        var (ed, em, eo) = Fits.Ellipse();
        var ellipse = FitPlot.Create(ed, em, eo).WithNames(new[] { "east / m", "north / m" });
        Assert.Equal("east / m", ellipse.Plot.Axes.Bottom.Label.Text);
        Assert.Equal("north / m", ellipse.Plot.Axes.Left.Label.Text);
        Assert.Equal("north", ellipse.YLabel("north").Plot.Axes.Left.Label.Text);
        Assert.Equal("x1", FitPlot.Create(ed, em, eo).Plot.Axes.Left.Label.Text);

        // A names list that does not match the data is refused.
        Assert.Throws<ArgumentException>(() => fp.WithNames(new[] { "t", "u" }, new[] { "[A]", "[B]" }));
        Assert.Throws<ArgumentException>(() => fp.WithNames(new[] { "t" }, new[] { "[A]" }));
    }

    [Fact]
    public void OverlayLegendReadsObservationsThenEachFitInOrder()
    {
        var (d, m, odr, ols) = Fits.OdrAndOls();
        string svg = FitPlot.Overlay(d, new FitLayer(m, odr, "ODR"), new FitLayer(m, ols, "OLS")).ToSvgString(800, 600);
        string[] order = { "observations ± 1 σ", "ODR, 95 % confidence band", "orthogonal residuals (ODR)", "OLS, 95 % confidence band", "vertical residuals (OLS)" };
        var at = order.Select(t => svg.IndexOf(t, StringComparison.Ordinal)).ToArray();
        Assert.All(at, i => Assert.True(i >= 0));
        Assert.Equal(at.OrderBy(i => i), at);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void AnInputThatDoesNotExistIsRefused(int input)
    {
        var (d, m, o) = Fits.Line();
        var fp = FitPlot.Create(d, m, o);
        Assert.Throws<ArgumentOutOfRangeException>(() => fp.With(x => x with { Input = input, Layout = FitPlotLayout.AgainstInput }));
        Assert.Throws<ArgumentOutOfRangeException>(() => fp.WithOptions(new FitPlotOptions { Input = input }));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.1)]
    public void ACurveExtensionThatIsNotAFractionIsRefused(double extension)
    {
        var (d, m, o) = Fits.Line();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FitPlot.Create(d, m, o).With(x => x with { CurveExtension = extension }));
        Assert.Contains("CurveExtension", e.Message);
        Assert.Equal(0.2, FitPlot.Create(d, m, o).With(x => x with { CurveExtension = 0.2 }).Options.CurveExtension);
    }
}
