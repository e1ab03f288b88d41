namespace Odr.Plots.Tests;

public class BandPredictTests
{
    /// <summary>The plot's bands and FitInference.Predict are one implementation: at every grid point
    /// the plot's confidence and prediction bands are Predict's intervals at the same level.</summary>
    [Fact]
    public void PlotBandsAreFitInferencePredictIntervals()
    {
        var (d, m, _) = Fits.Line();
        var odr = new ODR(d, m, new[] { 1.0, 0.0 });
        var o = odr.Run();
        var band = FitPlot.Create(d, m, o).WithPredictionBand(0.9).Curve();
        double level = new FitPlotOptions().ConfidenceLevel!.Value;
        var inference = new FitInference(odr, o);
        var ci = inference.Predict(band.X, new PredictionOptions { Level = level });
        var pi = inference.Predict(band.X, new PredictionOptions { Level = 0.9 });
        for (int i = 0; i < band.X.Length; i++)
        {
            Assert.Equal(ci[i].Value, band.Fit[i], 1e-12);
            Assert.Equal(ci[i].ConfidenceLower, band.ConfidenceLower![i], 1e-12);
            Assert.Equal(ci[i].ConfidenceUpper, band.ConfidenceUpper![i], 1e-12);
            Assert.Equal(pi[i].PredictionLower, band.PredictionLower![i], 1e-12);
            Assert.Equal(pi[i].PredictionUpper, band.PredictionUpper![i], 1e-12);
        }
    }
}
