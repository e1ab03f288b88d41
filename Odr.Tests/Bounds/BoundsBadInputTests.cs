namespace Odr.Tests.Bounds;

/// <summary>Bad bounds get a clear error naming the parameter, or a documented behaviour.</summary>
public class BoundsBadInputTests
{
    private static ODR Pearson(double[] beta0, double[]? lower = null, double[]? upper = null) =>
        new(ActiveSetBoundsTests.Pearson(), ActiveSetBoundsTests.Line, beta0, lower: lower, upper: upper);

    [Fact]
    public void LowerAboveUpperIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Pearson(new[] { 5.0, -0.6 }, new[] { 0.0, 1 }, new[] { 10.0, 0 }).Run());
        Assert.Contains("lower[1]", e.Message);
    }

    [Theory]
    [InlineData(-0.4, "above its upper bound")]
    [InlineData(-2.0, "below its lower bound")]
    public void Beta0OutsideTheBoxIsRefused(double b1, string words)
    {
        var e = Assert.Throws<ArgumentException>(() => Pearson(new[] { 5.0, b1 }, new[] { 0.0, -1 }, new[] { 10.0, -0.5 }).Run());
        Assert.Contains("beta0[1]", e.Message);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void NaNBoundsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Pearson(new[] { 5.0, -0.6 }, new[] { 0.0, double.NaN }).Run());
        Assert.Contains("lower[1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => Pearson(new[] { 5.0, -0.6 }, upper: new[] { double.NaN, 0 }).Run());
        Assert.Contains("upper[0]", e.Message);
    }

    [Fact]
    public void EveryParameterFixedByEqualBoundsIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Pearson(new[] { 5.0, -0.6 }, new[] { 5.0, -0.6 }, new[] { 5.0, -0.6 }).Run());
        Assert.Contains("Every parameter is fixed", e.Message);
    }

    [Fact]
    public void EqualBoundsUnderTheOdrpack95MethodStopWithItsInfo()
    {
        // ODRPACK95's behaviour, documented on ODR.BoundsMethod: its noise estimate has no room (90010).
        var odr = Pearson(new[] { 5.0, -0.6 }, new[] { double.NegativeInfinity, -0.6 }, new[] { double.PositiveInfinity, -0.6 });
        odr.BoundsMethod = BoundsMethod.Odrpack95;
        Assert.Equal(90010, odr.Run().Info);
    }

    [Fact]
    public void ABoxTooNarrowForTheFiniteDifferenceStepStopsWith90020()
    {
        // Forward differences of beta[1] need room for a relative step of about 1.5e-8 inside the box;
        // ODRPACK95 refuses such a box before fitting (90020) and so does Odr, under both methods,
        // rather than differencing across a bound. Analytic derivatives need no room.
        foreach (var method in new[] { BoundsMethod.ActiveSet, BoundsMethod.Odrpack95 })
        {
            var odr = Pearson(new[] { 5.0, -0.6 }, new[] { double.NegativeInfinity, -0.6 - 1e-12 }, new[] { double.PositiveInfinity, -0.6 + 1e-12 });
            odr.BoundsMethod = method;
            Assert.Equal(90020, odr.Run().Info);
        }
    }
}
