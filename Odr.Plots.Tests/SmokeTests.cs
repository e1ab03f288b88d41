namespace Odr.Plots.Tests;

public class SmokeTests
{
    [Fact]
    public void WritesImages()
    {
        Directory.CreateDirectory("/tmp/plots");
        var (d, m, o) = Fits.Decay();
        FitPlot.Create(d, m, o).WithPredictionBand().WithResidualPanel().Title("Exponential decay").Save("/tmp/plots/decay.png");
        FitPlot.Create(d, m, o).Save("/tmp/plots/decay.svg");
        var (d2, m2, o2) = Fits.Ellipse();
        FitPlot.Create(d2, m2, o2).WithResidualPanel().Title("Ellipse").Save("/tmp/plots/ellipse.png");
        var (d3, m3, o3) = Fits.TwoResponses();
        FitPlot.Create(d3, m3, o3).WithResidualPanel().Save("/tmp/plots/two.png");
        var (d4, m4, o4) = Fits.Plane();
        FitPlot.Create(d4, m4, o4).Save("/tmp/plots/plane.png");
        FitPlot.Create(d4, m4, o4).AgainstInput(1).Save("/tmp/plots/plane1.png");
        Assert.True(File.Exists("/tmp/plots/plane1.png"));
    }
}
