namespace Odr.Plots.Tests;

/// <summary>Options out of range are refused with an ArgumentException naming the option (issue 20:
/// an Input the data lacks threw IndexOutOfRangeException deep in the drawing; a NaN CurveExtension
/// silently dropped the curve).</summary>
public class OptionCheckTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void AnInputTheDataLacksIsRefused(int input)
    {
        var (d, m, o) = Fits.Line();
        var fp = FitPlot.Create(d, m, o);
        var e = Assert.ThrowsAny<ArgumentException>(() => fp.With(opt => opt with { Layout = FitPlotLayout.AgainstInput, Input = input }).ToSvgString(400, 300));
        Assert.Contains("Input", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.1)]
    public void ACurveExtensionThatIsNotAFiniteFractionIsRefused(double extension)
    {
        var (d, m, o) = Fits.Line();
        var fp = FitPlot.Create(d, m, o);
        var e = Assert.ThrowsAny<ArgumentException>(() => fp.With(opt => opt with { CurveExtension = extension }).ToSvgString(400, 300));
        Assert.Contains("CurveExtension", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBandsUseTheIntervalsT()
    {
        // One Student t: the band's half-width at a parameter-only direction is the interval's t.
        var (_, _, o) = Fits.Line();
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, o.DegreesOfFreedom, 0.975);
        Assert.Equal(t, o.TQuantile(0.95), 1e-12);
        var ci = o.ConfidenceIntervals(0.95);
        Assert.Equal(t * o.SdBeta[0], (ci[0].Upper - ci[0].Lower) / 2, 1e-12);
    }
}
