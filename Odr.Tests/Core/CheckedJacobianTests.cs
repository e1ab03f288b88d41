namespace Odr.Tests.Core;

/// <summary>
/// With checked analytic derivatives (JOB deriv 2) ODRPACK's first iteration takes the checker's
/// Jacobian as the model returned it, without the weights WE and without packing out fixed
/// parameters, so its first step is wrong whenever either applies (ODRPACK 2.01 and 95 alike). Odr
/// prepares that Jacobian as every other iteration's: a checked fit then follows the unchecked
/// fit's path exactly.
/// </summary>
public class CheckedJacobianTests
{
    private static readonly double[] X = { 1, 2, 3, 4, 5, 6, 7 };
    private static readonly double[] Y = { 2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8 };

    private static Model Line => new((b, t) => b[0] + b[1] * t, (b, t, g) => { g[0] = 1; g[1] = t; }, (b, t) => b[1]);

    [Theory]
    [InlineData(1e-10)]
    [InlineData(1e-12)]
    [InlineData(1e8)]
    public void TinyOrHugeWeightsGiveTheLeastSquaresLine(double weight)
    {
        var odr = new ODR(new Data(X, Y, we: weight), Line, new[] { 0.0, 1.0 });
        odr.SetJob(fitType: 2, deriv: 2);
        var o = odr.Run();

        // Closed form: a constant weight leaves ordinary least squares.
        double mx = X.Average(), my = Y.Average();
        double b1 = X.Zip(Y, (x, y) => (x - mx) * (y - my)).Sum() / X.Sum(x => (x - mx) * (x - mx));
        double b0 = my - b1 * mx;
        Assert.True(o.Converged, string.Join("; ", o.StopReason));
        Assert.Equal(b0, o.Beta[0], 1e-9);
        Assert.Equal(b1, o.Beta[1], 1e-10);
    }

    public static TheoryData<string> Problems => new() { "weighted ODR", "fixed parameter", "weighted OLS with a fixed parameter", "fixed inputs" };

    [Theory]
    [MemberData(nameof(Problems))]
    public void CheckedFollowsTheUncheckedPathBitForBit(string problem)
    {
        Output Fit(int deriv)
        {
            var we = X.Select(x => 0.5 + 0.1 * x).ToArray();
            var wd = X.Select(x => 2.0 + 0.3 * x).ToArray();
            var model = new Model((b, t) => b[0] * Math.Exp(b[1] * t) + b[2], (b, t, g) =>
            {
                double e = Math.Exp(b[1] * t);
                g[0] = e;
                g[1] = b[0] * t * e;
                g[2] = 1;
            }, (b, t) => b[0] * b[1] * Math.Exp(b[1] * t));
            var y = X.Select(x => 1.5 * Math.Exp(0.3 * x) - 0.5 + 0.05 * Math.Sin(7 * x)).ToArray();
            ODR odr = problem switch
            {
                "weighted ODR" => new ODR(new Data(X, y, we, wd), model, new[] { 1.0, 0.25, 0.0 }),
                "fixed parameter" => new ODR(new Data(X, y), model, new[] { 1.0, 0.25, -0.5 }, ifixb: new[] { 1, 1, 0 }),
                "weighted OLS with a fixed parameter" => new ODR(new Data(X, y, we), model, new[] { 1.5, 0.25, 0.0 }, ifixb: new[] { 0, 1, 1 }, job: 2),
                _ => new ODR(new Data(X, y, we, wd, fix: new[] { 0, 1, 1, 0, 1, 1, 1 }), model, new[] { 1.0, 0.25, 0.0 }),
            };
            odr.SetJob(deriv: deriv);
            return odr.Run();
        }

        var unchecked_ = Fit(3);
        var checked_ = Fit(2);
        Assert.Equal(unchecked_.Beta, checked_.Beta);
        Assert.Equal(unchecked_.SdBeta, checked_.SdBeta);
        Assert.Equal(unchecked_.Iterations, checked_.Iterations);
        Assert.Equal(unchecked_.JacobianEvaluations, checked_.JacobianEvaluations); // the checker's replaces the first
    }
}

/// <summary>Data so small that the squares of the residuals underflow: ODRPACK reports convergence at
/// beta0 (data of order 1e-200: "sum of squares convergence" after 0 iterations) or a numerical
/// error; Odr refuses with the remedy.</summary>
public class UnderflowTests
{
    [Theory]
    [InlineData(1e-310)]
    [InlineData(1e-200)]
    [InlineData(1e-160)]
    public void ResidualsTooSmallToSquareAreRefused(double scale)
    {
        var x = new[] { 1 * scale, 2 * scale, 3 * scale, 4 * scale, 5 * scale };
        var y = x.Select((v, i) => 2 * v * (1 + 0.01 * i)).ToArray();
        var odr = new ODR(new Data(x, y), new Model((b, t) => b[0] * t, (b, t, g) => g[0] = t, (b, t) => b[0]), new[] { 1.0 });
        odr.SetJob(deriv: 2);
        var e = Assert.Throws<ArgumentException>(() => odr.Run());
        Assert.Contains("too small to square", e.Message);
        Assert.Contains("rescale", e.Message);
    }

    [Fact]
    public void TheSameDataRescaledFits()
    {
        var x = new[] { 1.0, 2, 3, 4, 5 };
        var y = x.Select((v, i) => 2 * v * (1 + 0.01 * i)).ToArray();
        var o = new ODR(new Data(x, y), new Model((b, t) => b[0] * t), new[] { 1.0 }).Run();
        Assert.True(o.Converged);
        Assert.InRange(o.Beta[0], 2.0, 2.1);
    }
}

/// <summary>Error bars show y's own standard deviation, also when x and y errors are correlated
/// (the eps weight is then the completed square's 1/((1 − r²)·sy²)).</summary>
public class YErrorWeightTests
{
    [Fact]
    public void CorrelatedDataKeepTheirOwnSy()
    {
        var data = new RealData(new[] { 1.0, 2, 3 }, new[] { 1.0, 2, 3 }, sx: 0.1, sy: 0.5, rxy: 0.6);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(4.0, data.YErrorWeight(0, i), 1e-12);
            Assert.Equal(4.0 / 0.64, data.EpsWeight(0, i), 1e-12);
        }
    }
}
