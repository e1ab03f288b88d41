using ScottPlot;
using SkiaSharp;

namespace Odr.Plots.Tests;

public class RenderingTests
{
    private static readonly FitPlotStyle Style = FitPlotStyle.Default;

    [Fact]
    public void CurvePixelsLieWhereTheCurveCoordinatesMap()
    {
        var (d, m, o) = Fits.Decay();
        var fp = FitPlot.Create(d, m, o);
        using var bmp = Imaging.Decode(fp.ToPngBytes(800, 600));
        int hits = 0, samples = 0, misses = 0;
        for (double x = 0.4; x <= 4.1; x += 0.05)
        {
            double y = o.Beta[0] * Math.Exp(-o.Beta[1] * x) + o.Beta[2];
            Pixel p = fp.Plot.GetPixel(new Coordinates(x, y));
            samples++;
            if (Imaging.ColourNear(bmp, p, Style.Curve)) hits++;

            // 30 px below the curve is not curve-coloured (only the band, observations or white).
            if (Imaging.ColourNear(bmp, new Pixel(p.X, p.Y + 30), Style.Curve, radius: 0, tolerance: 20)) misses++;
        }
        Assert.True(hits >= 0.9 * samples, $"curve colour found at {hits} of {samples} mapped points");
        Assert.True(misses <= 0.05 * samples, $"curve colour found 30 px off the curve at {misses} of {samples} points");
    }

    [Fact]
    public void CurvePixelsAreRightInStackedPanels()
    {
        var (d, m, o) = Fits.TwoResponses();
        var fp = FitPlot.Create(d, m, o).WithResidualPanel();
        Assert.Equal(4, fp.Panels.Count);
        Assert.NotNull(fp.ResidualPanel(1));
        using var bmp = Imaging.Decode(fp.ToPngBytes(800, 1000));
        int hits = 0, samples = 0;
        for (double x = 0.2; x <= 7; x += 0.1)
        {
            samples += 2;
            if (Imaging.ColourNear(bmp, fp.MainPanel(0).GetPixel(new Coordinates(x, o.Beta[0] + o.Beta[1] * x)), Style.Curve)) hits++;
            if (Imaging.ColourNear(bmp, fp.MainPanel(1).GetPixel(new Coordinates(x, o.Beta[0] - o.Beta[2] * x)), Style.Curve)) hits++;
        }
        Assert.True(hits >= 0.9 * samples, $"curve colour found at {hits} of {samples} mapped points");
        Assert.True(fp.MainPanel(1).GetPixel(new Coordinates(1, 0)).Y > 500, "the second response's panel lies in the lower half");
    }

    [Fact]
    public void ImplicitContourLiesOnTheFittedEllipse()
    {
        var (d, m, o) = Fits.Ellipse();
        var fp = FitPlot.Create(d, m, o);
        using var bmp = Imaging.Decode(fp.ToPngBytes(700, 600));
        int hits = 0, samples = 0;
        for (double t = 0; t < 2 * Math.PI; t += 0.05)
        {
            var c = new Coordinates(o.Beta[0] + o.Beta[2] * Math.Cos(t), o.Beta[1] + o.Beta[3] * Math.Sin(t));
            samples++;
            if (Imaging.ColourNear(bmp, fp.Plot.GetPixel(c), Style.Curve)) hits++;
        }
        Assert.True(hits >= 0.9 * samples, $"contour colour found at {hits} of {samples} points of the ellipse");
        var centre = fp.Plot.GetPixel(new Coordinates(o.Beta[0], o.Beta[1]));
        Assert.False(Imaging.ColourNear(bmp, centre, Style.Curve, radius: 3, tolerance: 20), "no contour at the ellipse's centre");
    }

    [Fact]
    public void ImplicitFitsShowProjectionsAndResidualPanels()
    {
        var (d, m, o) = Fits.Ellipse();
        var fp = FitPlot.Create(d, m, o).WithResidualPanel().WithLegend(false);
        Assert.Equal(2, fp.Panels.Count);
        Assert.Throws<InvalidOperationException>(() => fp.Curve());
        string svg = fp.ToSvgString(700, 800);

        // One residual segment per observation, from x to its projection x + delta on the contour.
        var segments = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Select(Imaging.Numbers).ToList();
        Assert.Equal(d.N, segments.Count);
        for (int i = 0; i < d.N; i++)
        {
            var to = fp.Plot.GetPixel(new Coordinates(o.XPlus[0, i], o.XPlus[1, i]));
            Assert.Equal(to.X, segments[i][2], 0.05);
            Assert.Equal(to.Y, segments[i][3], 0.05);
            double u = (o.XPlus[0, i] - o.Beta[0]) / o.Beta[2], v = (o.XPlus[1, i] - o.Beta[1]) / o.Beta[3];
            Assert.Equal(1.0, u * u + v * v, 1e-4);
        }
        Assert.Equal(d.N, Imaging.PathsWithStroke(svg, Imaging.Hex(Style.ErrorBars)).Count);
    }

    [Fact]
    public void ImplicitFitsWithoutTwoInputsAreRefused()
    {
        var data = new Data(new double[] { 1, 2, 3, 4 });
        var model = new Model((b, x) => x - b[0], isImplicit: true);
        var fit = new ODR(data, model, new[] { 2.0 }).Run();
        Assert.Throws<NotSupportedException>(() => FitPlot.Create(data, model, fit));
    }

    [Fact]
    public void OneErrorBarAndOneResidualSegmentPerObservation()
    {
        var (d, m, o) = Fits.Line(12);
        var fp = FitPlot.Create(d, m, o).WithLegend(false);
        string svg = fp.ToSvgString(800, 600);
        var bars = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.ErrorBars));
        var residuals = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals));
        Assert.Equal(d.N, bars.Count);
        Assert.Equal(d.N, residuals.Count);

        // Each residual segment runs from an observation (x, y) to its fitted point (x + delta, y + eps).
        var plot = fp.Plot;
        for (int i = 0; i < d.N; i++)
        {
            var from = plot.GetPixel(new Coordinates(d.GetX(0, i), d.GetY(0, i)));
            var to = plot.GetPixel(new Coordinates(o.XPlus[0, i], o.Y[0, i]));
            double[] v = Imaging.Numbers(residuals[i]);
            Assert.Equal(4, v.Length);
            Assert.Equal(from.X, v[0], 0.05);
            Assert.Equal(from.Y, v[1], 0.05);
            Assert.Equal(to.X, v[2], 0.05);
            Assert.Equal(to.Y, v[3], 0.05);

            // The error bar of observation i spans ±sx and ±sy around it.
            double[] b = Imaging.Numbers(bars[i]);
            double sx = ((RealData)d).Sx![i], sy = ((RealData)d).Sy![i];
            var left = plot.GetPixel(new Coordinates(d.GetX(0, i) - sx, d.GetY(0, i)));
            var top = plot.GetPixel(new Coordinates(d.GetX(0, i), d.GetY(0, i) + sy));
            Assert.Contains(b, value => Math.Abs(value - left.X) < 0.05);
            Assert.Contains(b, value => Math.Abs(value - top.Y) < 0.05);
        }
    }

    [Fact]
    public void WithoutResidualsNoSegmentsAreDrawn()
    {
        var (d, m, o) = Fits.Line(12);
        string svg = FitPlot.Create(d, m, o).WithResiduals(false).WithLegend(false).ToSvgString(600, 400);
        Assert.Empty(Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)));
        Assert.Equal(12, Imaging.PathsWithStroke(svg, Imaging.Hex(Style.ErrorBars)).Count);
    }

    [Fact]
    public void RenderingTwiceGivesIdenticalBytes()
    {
        var (d, m, o) = Fits.Decay();
        var fp = FitPlot.Create(d, m, o).WithPredictionBand().WithResidualPanel().Title("decay");
        byte[] a = fp.ToPngBytes(640, 480);
        byte[] b = fp.ToPngBytes(640, 480);
        byte[] c = FitPlot.Create(d, m, o).WithPredictionBand().WithResidualPanel().Title("decay").ToPngBytes(640, 480);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.Equal(fp.ToSvgString(640, 480), fp.ToSvgString(640, 480));

        string dir = Directory.CreateTempSubdirectory("odrplots").FullName;
        fp.Save(Path.Combine(dir, "a.png"), 640, 480);
        fp.Save(Path.Combine(dir, "b.png"), 640, 480);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.png")), File.ReadAllBytes(Path.Combine(dir, "b.png")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void SaveChoosesTheFormatFromTheExtension()
    {
        var (d, m, o) = Fits.Line();
        var fp = FitPlot.Create(d, m, o);
        string dir = Directory.CreateTempSubdirectory("odrplots").FullName;
        try
        {
            fp.Save(Path.Combine(dir, "fit.png"));
            fp.Save(Path.Combine(dir, "fit.SVG"));
            byte[] png = File.ReadAllBytes(Path.Combine(dir, "fit.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            using var bmp = Imaging.Decode(png);
            Assert.Equal((fp.DefaultWidth, fp.DefaultHeight), (bmp.Width, bmp.Height));
            string svg = File.ReadAllText(Path.Combine(dir, "fit.SVG"));
            Assert.Contains("<svg", svg);
            Assert.Throws<ArgumentException>(() => fp.Save(Path.Combine(dir, "fit.bmp")));
            Assert.False(File.Exists(Path.Combine(dir, "fit.bmp")));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TextIsSansSerifAndShowsTheParameters()
    {
        var (d, m, o) = Fits.Line();
        string svg = FitPlot.Create(d, m, o).Title("Line").XLabel("time").YLabel("distance").ToSvgString(800, 600);
        Assert.Contains("font-family=\"DejaVu Sans\"", svg);
        Assert.DoesNotContain("font-family=\"DejaVu Serif\"", svg);
        Assert.Contains(FitMath.ValueWithError(o.Beta[0], o.SdBeta[0]), svg);
        Assert.Contains(FitMath.ValueWithError(o.Beta[1], o.SdBeta[1]), svg);
        foreach (string text in new[] { "Line", "time", "distance", "95 % confidence band", "orthogonal residuals", "observations" })
        {
            Assert.Contains(text, svg);
        }
    }

    [Fact]
    public void OverlayDrawsBothCurvesAndNamesThem()
    {
        // Large errors in x: ordinary least squares flattens the slope, ODR does not.
        var (d, m, odr, olsFit) = Fits.OdrAndOls();
        const int n = 25;
        Assert.True(Math.Abs(odr.Beta[0] - olsFit.Beta[0]) > 0.2, "the two fits differ");

        var fp = FitPlot.Overlay(d, new FitLayer(m, odr, "ODR"), new FitLayer(m, olsFit, "OLS"));
        using var bmp = Imaging.Decode(fp.ToPngBytes(800, 600));
        var second = Style.OverlayCurves[0];
        int hitsOdr = 0, hitsOls = 0, onDash = 0, samples = 0;
        for (double t = 1; t <= 9; t += 0.1)
        {
            var pOdr = fp.Plot.GetPixel(new Coordinates(t, odr.Beta[0] * t + odr.Beta[1]));
            var pOls = fp.Plot.GetPixel(new Coordinates(t, olsFit.Beta[0] * t + olsFit.Beta[1]));
            if (Math.Abs(pOdr.Y - pOls.Y) < 12) continue;
            samples++;
            if (Imaging.ColourNear(bmp, pOdr, Style.Curve)) hitsOdr++;

            // The second fit's line is dashed: within a dash's length of every point, but not at every point.
            if (Imaging.ColourNear(bmp, pOls, second, radius: 7)) hitsOls++;
            if (Imaging.ColourNear(bmp, pOls, second, radius: 1)) onDash++;
        }
        Assert.True(samples >= 30, $"only {samples} points where the curves are apart");
        Assert.True(hitsOdr >= 0.85 * samples, $"ODR curve at {hitsOdr} of {samples}");
        Assert.True(hitsOls >= 0.85 * samples, $"OLS curve near {hitsOls} of {samples}");
        Assert.InRange(onDash, 0.3 * samples, 0.85 * samples);
        string svg = fp.ToSvgString(800, 600);
        Assert.Contains("ODR", svg);
        Assert.Contains("OLS", svg);

        // OLS residual segments are vertical (delta is zero); ODR's are not.
        var olsSegments = Imaging.PathsWithStroke(svg, Imaging.Hex(second)).Select(Imaging.Numbers).Where(v => v.Length == 4 && Math.Abs(v[1] - v[3]) > 1).ToList();
        Assert.True(olsSegments.Count >= n / 2, $"{olsSegments.Count} OLS segments");
        Assert.All(olsSegments, v => Assert.Equal(v[0], v[2], 0.01));
        var odrSegments = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Select(Imaging.Numbers).Where(v => v.Length == 4).ToList();
        Assert.Contains(odrSegments, v => Math.Abs(v[0] - v[2]) > 1);
    }

    [Fact]
    public void SeveralInputsDefaultToObservedVersusFitted()
    {
        var (d, m, o) = Fits.Plane();
        var fp = FitPlot.Create(d, m, o);
        Assert.Equal(FitPlotLayout.ObservedVersusFitted, fp.EffectiveLayout);
        using var bmp = Imaging.Decode(fp.ToPngBytes(600, 600));

        // The identity line is drawn in the curve colour.
        var limits = fp.Plot.Axes.GetLimits();
        int hits = 0;
        for (int k = 1; k < 20; k++)
        {
            double v = limits.Left + (limits.Right - limits.Left) * k / 20;
            if (Imaging.ColourNear(bmp, fp.Plot.GetPixel(new Coordinates(v, v)), Style.Curve)) hits++;
        }
        Assert.True(hits >= 17, $"identity line at {hits} of 19 points");

        var against = fp.AgainstInput(1);
        Assert.Equal(FitPlotLayout.AgainstInput, against.EffectiveLayout);
        string svg = against.WithLegend(false).ToSvgString(600, 400);
        Assert.Equal(d.N, Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => fp.AgainstInput(2));
    }

    [Fact]
    public void LargeDataRendersQuicklyWithSubsampledSegments()
    {
        const int n = 100_000;
        var rng = new Random(1);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = i * 1e-4 + 0.01 * Fits.Normal(rng);
            y[i] = 3 * i * 1e-4 - 2 + 0.05 * Fits.Normal(rng);
        }
        var data = new RealData(x, y, sx: 0.01, sy: 0.05);
        var model = new Model((b, t) => b[0] * t + b[1]);
        var fit = new ODR(data, model, new[] { 1.0, 0.0 }).Run();
        var fp = FitPlot.Create(data, model, fit).WithResidualPanel();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        byte[] png = fp.ToPngBytes(800, 800);
        watch.Stop();
        // About a second on an idle machine (Release); generous for loaded CI runners and Debug builds.
        Assert.True(watch.Elapsed.TotalSeconds < 8, $"rendering took {watch.Elapsed.TotalSeconds:F2} s");
        using var bmp = Imaging.Decode(png);
        Assert.Equal(800, bmp.Width);

        string svg = fp.WithResidualPanel(false).ToSvgString(800, 600);
        int segments = Imaging.PathsWithStroke(svg, Imaging.Hex(Style.Residuals)).Count;
        Assert.Equal(fp.Options.MaxSegments + 1, segments); // the subsample and the legend's symbol
        Assert.Contains("2,000 of 100,000 shown", svg);
    }
}
