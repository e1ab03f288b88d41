using ScottPlot;

namespace Odr.Plots.Tests;

public class BandTests
{
    [Fact]
    public void ConfidenceBandOfALineMatchesTheDeltaMethodAndContainsTheCurve()
    {
        var (d, m, o) = Fits.Line();
        var band = FitPlot.Create(d, m, o).WithPredictionBand(0.9).Curve();
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, o.DegreesOfFreedom, 0.975);
        Assert.NotNull(band.ConfidenceLower);
        Assert.NotNull(band.PredictionLower);
        for (int i = 0; i < band.X.Length; i++)
        {
            double x = band.X[i];
            double variance = o.ResVar * (x * x * o.CovBeta[0, 0] + 2 * x * o.CovBeta[0, 1] + o.CovBeta[1, 1]);
            double half = t * Math.Sqrt(variance);
            Assert.Equal(o.Beta[0] * x + o.Beta[1], band.Fit[i], 1e-9);
            Assert.Equal(half, band.ConfidenceUpper![i] - band.Fit[i], 1e-6 * half + 1e-12);
            Assert.Equal(half, band.Fit[i] - band.ConfidenceLower![i], 1e-6 * half + 1e-12);
            Assert.True(band.ConfidenceLower[i] < band.Fit[i] && band.Fit[i] < band.ConfidenceUpper[i]);
            Assert.True(band.PredictionLower![i] < band.Fit[i] && band.Fit[i] < band.PredictionUpper![i]);
            Assert.True(band.PredictionLower[i] < band.ConfidenceLower[i] && band.ConfidenceUpper[i] < band.PredictionUpper[i], "the prediction band contains the confidence band");
        }

        // The band is narrowest near the middle of the data and the curve runs a little beyond it.
        double[] widths = band.X.Select((_, i) => band.ConfidenceUpper![i] - band.ConfidenceLower![i]).ToArray();
        Assert.True(widths[widths.Length / 2] < widths[0] && widths[widths.Length / 2] < widths[^1]);
        double xmin = Enumerable.Range(0, d.N).Min(i => d.GetX(0, i)), xmax = Enumerable.Range(0, d.N).Max(i => d.GetX(0, i));
        Assert.True(band.X[0] < xmin && band.X[^1] > xmax);
    }

    [Fact]
    public void BandPixelsSurroundTheCurve()
    {
        var (d, m, o) = Fits.Decay();
        var fp = FitPlot.Create(d, m, o).WithResiduals(false).WithConfidenceBand(0.99);
        var band = fp.Curve();
        using var bmp = Imaging.Decode(fp.ToPngBytes(800, 600));
        int checkedPoints = 0;
        for (int i = 10; i < band.X.Length - 10; i += 20)
        {
            var lower = fp.Plot.GetPixel(new Coordinates(band.X[i], band.ConfidenceLower![i]));
            var upper = fp.Plot.GetPixel(new Coordinates(band.X[i], band.ConfidenceUpper![i]));
            var curve = fp.Plot.GetPixel(new Coordinates(band.X[i], band.Fit[i]));
            Assert.True(upper.Y < curve.Y && curve.Y < lower.Y, "the band's edges lie on both sides of the curve");
            var area = fp.Plot.LastRender.DataRect;
            if (lower.Y - upper.Y < 10 || upper.Y - 10 < area.Top || lower.Y > area.Bottom) continue;

            // Between the curve and each edge the pixels are the band's pale red.
            foreach (float y in new[] { (curve.Y + upper.Y) / 2, (curve.Y + lower.Y) / 2 })
            {
                var c = bmp.GetPixel((int)Math.Round(curve.X), (int)Math.Round(y));
                bool observation = Imaging.Near(c, FitPlotStyle.Default.Data, 60) || Imaging.Near(c, FitPlotStyle.Default.ErrorBars, 60);
                if (observation) continue;
                Assert.True(c.Red > 200 && c.Red > c.Green + 20 && c.Red > c.Blue + 20, $"band colour expected at ({curve.X}, {y}); got {c}");
                checkedPoints++;
            }

            // Well outside the band the background is not red.
            var outside = bmp.GetPixel((int)Math.Round(curve.X), (int)Math.Round(upper.Y - 8));
            Assert.False(outside.Red > outside.Green + 20, $"no band colour above the band at x = {band.X[i]}");
        }
        Assert.True(checkedPoints >= 6, $"only {checkedPoints} band pixels checked");
    }

    [Fact]
    public void NoDegreesOfFreedomMeansNoBandButStillAPlot()
    {
        var data = new RealData(new[] { 0.0, 1.0 }, new[] { 1.0, 3.0 }, sx: 0.1, sy: 0.1);
        var model = new Model((b, t) => b[0] * t + b[1]);
        var fit = new ODR(data, model, new[] { 1.0, 0.0 }).Run();
        var fp = FitPlot.Create(data, model, fit);
        var band = fp.Curve();
        Assert.All(band.ConfidenceUpper!, v => Assert.True(double.IsNaN(v)));
        string svg = fp.ToSvgString(400, 300);
        Assert.DoesNotContain("confidence band", svg);
        Assert.Contains("observations", svg);
    }

    [Theory]
    [InlineData(1.23456, 0.0123, "1.235 ± 0.012")]
    [InlineData(-250.0, 13.0, "-250 ± 13")]
    [InlineData(5.0, 0.0, "5")]
    [InlineData(123456789.0, 1234.0, "1.235E+08 ± 1.2E+03")]
    public void ParametersAreFormattedToTheirError(double value, double error, string expected) =>
        Assert.Equal(expected, FitMath.ValueWithError(value, error));
}
