namespace Odr.Tests.Inference;

/// <summary>Goodness of fit and Wald intervals against R (nls, logLik, AIC, BIC, summary.nls's t) on
/// NIST StRD problems fitted by (weighted) least squares, and against closed forms.</summary>
public class GoodnessAndWaldTests
{
    public static IEnumerable<object[]> Cases => RReference.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogLikelihoodAicBicAndWaldMatchR(string name)
    {
        var c = RReference.Case(name);
        var odr = RReference.Fit(c);
        var o = odr.Output!;
        Assert.True(o.Converged, $"info {o.Info}");
        var rBeta = RReference.Doubles(c.GetProperty("beta"));
        var rSd = RReference.Doubles(c.GetProperty("sd_beta"));
        for (int k = 0; k < rBeta.Length; k++)
        {
            Assert.Equal(rBeta[k], o.Beta[k], 1e-6 * rSd[k]);
            Assert.Equal(rSd[k], o.SdBeta[k], 1e-5 * rSd[k]);
        }

        var inference = new FitInference(odr);
        var gof = inference.GoodnessOfFit();
        Assert.Equal(c.GetProperty("rss").GetDouble(), gof.ChiSquare, 1e-10 * gof.ChiSquare);
        Assert.Equal(c.GetProperty("df").GetInt32(), gof.DegreesOfFreedom);
        Assert.Equal(c.GetProperty("nobs").GetInt32(), gof.Observations);
        Assert.Equal(c.GetProperty("logLik_df").GetInt32(), gof.EstimatedParameters);
        Assert.Equal(c.GetProperty("logLik").GetDouble(), gof.LogLikelihood, 1e-9);
        Assert.Equal(c.GetProperty("AIC").GetDouble(), gof.Aic, 1e-9);
        Assert.Equal(c.GetProperty("BIC").GetDouble(), gof.Bic, 1e-9);
        Assert.False(gof.WeightsAreAbsolute);
        Assert.Null(gof.PValue);
        Assert.Equal(Math.Pow(c.GetProperty("sigma").GetDouble(), 2), gof.ReducedChiSquare, 1e-10 * gof.ReducedChiSquare);

        foreach (var level in c.GetProperty("intervals").EnumerateArray())
        {
            double l = level.GetProperty("level").GetDouble();
            var wald = RReference.Pairs(level.GetProperty("wald"));
            var ours = inference.WaldIntervals(l);
            Assert.Equal(IntervalMethod.Wald, ours.Method);
            Assert.Equal("wald", ours.MethodName);
            for (int k = 0; k < wald.Length; k++)
            {
                double half = (wald[k][1] - wald[k][0]) / 2;
                Assert.Equal(wald[k][0], ours[k].Lower, 2e-5 * half);
                Assert.Equal(wald[k][1], ours[k].Upper, 2e-5 * half);
            }
        }
    }

    [Fact]
    public void CorrelationIsCovarianceOverStandardErrors()
    {
        var odr = RReference.Fit(RReference.Case("Chwirut2"));
        var o = odr.Output!;
        var r = new FitInference(odr).CorrelationBeta();
        // From the standard errors, which ODRPACK computes on its own path (sqrt(res_var·diag)).
        for (int a = 0; a < 3; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                double expected = o.ResVar * o.CovBeta[a, b] / (o.SdBeta[a] * o.SdBeta[b]);
                Assert.Equal(expected, r[a, b], 1e-12);
                Assert.Equal(r[a, b], r[b, a]);
            }
            Assert.Equal(1.0, r[a, a]);
        }
    }

    [Fact]
    public void FixedParametersHaveNoIntervalAndNaNCorrelation()
    {
        var x = Enumerable.Range(0, 12).Select(i => (double)i).ToArray();
        var y = x.Select(v => 2 + 0.5 * v + 0.1 * Math.Sin(7 * v)).ToArray();
        var odr = new ODR(new Data(x, y), new Model((b, v) => b[0] + b[1] * v + b[2] * v * v), new[] { 2.0, 0.5, 0.0 }, ifixb: new[] { 1, 1, 0 });
        odr.SetJob(fitType: 2);
        odr.Run();
        var inference = new FitInference(odr);
        var wald = inference.WaldIntervals();
        Assert.True(wald[2].IsFixed);
        Assert.True(double.IsNaN(wald[2].Lower) && double.IsNaN(wald[2].Upper));
        Assert.False(wald[0].IsFixed);
        var r = inference.CorrelationBeta();
        Assert.True(double.IsNaN(r[2, 2]) && double.IsNaN(r[0, 2]));
        Assert.Equal(3, inference.GoodnessOfFit().EstimatedParameters); // two free + sigma
        // A line's intervals from the closed form: slope ± t·s/sqrt(Sxx), t exact at n − 2 dof.
        double mean = x.Average(), sxx = x.Sum(v => (v - mean) * (v - mean));
        double s = Math.Sqrt(odr.Output!.SumSquare / (x.Length - 2));
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, x.Length - 2, 0.975);
        Assert.Equal(odr.Output.Beta[1] + t * s / Math.Sqrt(sxx), wald[1].Upper, 1e-9);
    }

    [Fact]
    public void PValueIsTheChiSquareTailWithAbsoluteWeights()
    {
        // RealData with sy: the weights are 1/sy², absolute by default.
        var x = Enumerable.Range(0, 20).Select(i => 0.5 * i).ToArray();
        var noise = new[] { 0.3, -0.5, 0.1, 0.9, -1.2, 0.4, 0.0, -0.3, 0.8, -0.6, 1.1, -0.2, 0.5, -0.9, 0.2, 0.7, -0.4, 0.6, -1.0, 0.3 };
        var y = x.Select((v, i) => 1 + 2 * v + 0.2 * noise[i]).ToArray();
        var odr = new ODR(new RealData(x, y, sy: 0.2), Models.Unilinear, new[] { 2.0, 1.0 });
        odr.SetJob(fitType: 2);
        odr.Run();
        var gof = new FitInference(odr).GoodnessOfFit();
        Assert.True(gof.WeightsAreAbsolute);
        Assert.Equal(18, gof.DegreesOfFreedom);
        // scipy.stats.chi2.sf(chi2, 18) for the chi2 of this fit: computed from the definition with
        // MathNet's ChiSquared CDF, a different routine from the incomplete gamma used by the library.
        double expected = 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(18, gof.ChiSquare);
        Assert.Equal(expected, gof.PValue!.Value, 1e-12);
        // The χ² of a line fit by least squares with sy = 0.2 is Σ residual² / 0.04.
        Assert.Equal(odr.Output!.Eps.Cast<double>().Sum(e => e * e) / 0.04, gof.ChiSquare, 1e-9);
        Assert.False(new FitInference(odr).GoodnessOfFit(absoluteWeights: false).PValue.HasValue);
    }

    [Fact]
    public void OdrLogLikelihoodFollowsItsDefinition()
    {
        // ODR with sx and sy per observation: N = 2n, log det = Σ log(1/sx²) + Σ log(1/sy²).
        var x = new[] { 0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4 };
        var y = new[] { 5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5 };
        var sx = x.Select((_, i) => 0.1 + 0.02 * i).ToArray();
        var sy = x.Select((_, i) => 0.2 + 0.01 * i).ToArray();
        var odr = new ODR(new RealData(x, y, sx: sx, sy: sy), Models.Unilinear, new[] { -0.5, 6.0 });
        odr.Run();
        var gof = new FitInference(odr).GoodnessOfFit();
        int nn = 2 * x.Length;
        double logDet = sx.Sum(s => -2 * Math.Log(s)) + sy.Sum(s => -2 * Math.Log(s));
        double expected = -nn / 2.0 * (Math.Log(2 * Math.PI) + 1 - Math.Log(nn) + Math.Log(odr.Output!.SumSquare)) + logDet / 2;
        Assert.Equal(nn, gof.Observations);
        Assert.Equal(expected, gof.LogLikelihood, 1e-10);
        Assert.True(gof.WeightsAreAbsolute);
        Assert.Equal(-2 * expected + 2 * 3, gof.Aic, 1e-9);
        Assert.Equal(-2 * expected + 3 * Math.Log(nn), gof.Bic, 1e-9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void LevelOutsideTheOpenUnitIntervalIsRefused(double level)
    {
        var odr = RReference.Fit(RReference.Case("DanWood"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FitInference(odr).WaldIntervals(level));
        Assert.Contains("strictly between 0 and 1", e.Message);
    }

    [Fact]
    public void AFitThatWasNotRunIsRefused()
    {
        var odr = new ODR(new Data(new[] { 1.0, 2, 3 }, new[] { 1.0, 2, 3 }), Models.Unilinear, new[] { 1.0, 0 });
        Assert.Throws<InvalidOperationException>(() => new FitInference(odr));
    }
}
