namespace Odr.Tests.Inference;

/// <summary>Predictions against closed forms (straight line) and against reparametrized fits, whose
/// Wald interval of the curve's value at a point is the delta-method interval computed another way.</summary>
public class PredictionTests
{
    private static readonly double[] X = { 0.0, 0.9, 1.8, 2.6, 3.3, 4.4, 5.2, 6.1, 6.5, 7.4 };
    private static readonly double[] Y = { 5.9, 5.4, 4.4, 4.6, 3.5, 3.7, 2.8, 2.8, 2.4, 1.5 };

    private static readonly Model Line = new((b, x) => b[0] + b[1] * x);

    [Fact]
    public void OrdinaryLeastSquaresLineMatchesTheClosedForm()
    {
        var odr = new ODR(new Data(X, Y), Line, new[] { 6.0, -0.5 }, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(fitType: 2);
        var o = odr.Run();
        int n = X.Length;
        double mean = X.Average(), sxx = X.Sum(v => (v - mean) * (v - mean));
        double s2 = o.SumSquare / (n - 2);
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 2, 0.95);
        var at = new[] { -1.0, 0.0, 3.7, 10.0 };
        var pred = new FitInference(odr).Predict(at, new PredictionOptions { Level = 0.90 });
        for (int i = 0; i < at.Length; i++)
        {
            double x0 = at[i];
            double fit = o.Beta[0] + o.Beta[1] * x0;
            double se = Math.Sqrt(s2 * (1.0 / n + (x0 - mean) * (x0 - mean) / sxx));
            double pse = Math.Sqrt(s2 * (1 + 1.0 / n + (x0 - mean) * (x0 - mean) / sxx));
            Assert.Equal(fit, pred[i].Value, 1e-12);
            Assert.Equal(se, pred[i].StandardError, 1e-7 * se);
            Assert.Equal(pse, pred[i].PredictionStandardError, 1e-7 * pse);
            Assert.Equal(fit - t * se, pred[i].ConfidenceLower, 1e-7);
            Assert.Equal(fit + t * pse, pred[i].PredictionUpper, 1e-7);
            Assert.Equal(x0, pred[i].X[0]);
        }
    }

    /// <summary>Refitting y = c + b·(x − x0) makes c the curve's value at x0, and its Wald interval the
    /// confidence interval of the curve there: for ODR as for OLS, since the fitted line is the same.</summary>
    [Theory]
    [InlineData(2, -1.0)]
    [InlineData(2, 4.2)]
    [InlineData(0, -1.0)]
    [InlineData(0, 4.2)]
    [InlineData(0, 9.0)]
    public void CurveIntervalOfALineIsTheWaldIntervalOfTheShiftedIntercept(int fitType, double x0)
    {
        var data = new RealData(X, Y, sx: X.Select((_, i) => 0.1 + 0.02 * i).ToArray(), sy: X.Select((_, i) => 0.2 + 0.01 * i).ToArray());
        var odr = new ODR(data, Line, new[] { 6.0, -0.5 }, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(fitType: fitType, deriv: 1);
        odr.Run();
        var shifted = new ODR(data, new Model((b, x) => b[0] + b[1] * (x - x0)), new[] { 6.0 - 0.5 * x0, -0.5 }, sstol: 1e-15, partol: 1e-15);
        shifted.SetJob(fitType: fitType, deriv: 1);
        shifted.Run();
        var wald = new FitInference(shifted).WaldIntervals(0.95)[0];
        var pred = new FitInference(odr).Predict(new[] { x0 })[0];
        double half = (wald.Upper - wald.Lower) / 2;
        Assert.Equal(wald.Estimate, pred.Value, 1e-7 * half);
        Assert.Equal(wald.Lower, pred.ConfidenceLower, 1e-6 * half);
        Assert.Equal(wald.Upper, pred.ConfidenceUpper, 1e-6 * half);
    }

    /// <summary>The same for a nonlinear model: y = A·exp(−k·x) against y = c·exp(−k·(x − x0)).</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void CurveIntervalOfAnExponentialIsTheWaldIntervalOfItsReparametrization(int fitType)
    {
        var x = Enumerable.Range(0, 15).Select(i => 0.3 * i).ToArray();
        var noise = new[] { 0.02, -0.03, 0.01, 0.04, -0.05, 0.02, 0.0, -0.01, 0.03, -0.02, 0.05, -0.01, 0.02, -0.04, 0.01 };
        var y = x.Select((v, i) => 3 * Math.Exp(-0.7 * v) + noise[i]).ToArray();
        var data = new RealData(x, y, sx: 0.02, sy: 0.03);
        const double x0 = 1.7;
        var odr = new ODR(data, new Model((b, v) => b[0] * Math.Exp(-b[1] * v)), new[] { 3.0, 0.7 }, sstol: 1e-15, partol: 1e-15);
        odr.SetJob(fitType: fitType, deriv: 1);
        odr.Run();
        var re = new ODR(data, new Model((b, v) => b[0] * Math.Exp(-b[1] * (v - x0))), new[] { 3 * Math.Exp(-0.7 * x0), 0.7 }, sstol: 1e-15, partol: 1e-15);
        re.SetJob(fitType: fitType, deriv: 1);
        re.Run();
        var wald = new FitInference(re).WaldIntervals(0.95)[0];
        var pred = new FitInference(odr).Predict(new[] { x0 })[0];
        double half = (wald.Upper - wald.Lower) / 2;
        Assert.Equal(wald.Estimate, pred.Value, 1e-7 * half);
        Assert.Equal(wald.Lower, pred.ConfidenceLower, 1e-5 * half);
        Assert.Equal(wald.Upper, pred.ConfidenceUpper, 1e-5 * half);
    }

    [Fact]
    public void PredictionIntervalOfAnOdrLineAddsTheNewPointsInputError()
    {
        var data = new RealData(X, Y, sx: 0.15, sy: 0.25);
        var odr = new ODR(data, Line, new[] { 6.0, -0.5 });
        var o = odr.Run();
        var inference = new FitInference(odr);
        double slope = o.Beta[1];
        // Given sigmas: var = curve + res_var·(sy² + slope²·sx²).
        var given = inference.Predict(new[] { 2.0, 5.0 }, new PredictionOptions { SigmaY = new[] { 0.3 }, SigmaX = new[] { 0.4 } });
        // Defaults for this data: the data's own sx = 0.15, sy = 0.25.
        var byDefault = inference.Predict(new[] { 2.0, 5.0 });
        for (int i = 0; i < 2; i++)
        {
            double curve = given[i].StandardError * given[i].StandardError;
            Assert.Equal(Math.Sqrt(curve + o.ResVar * (0.09 + slope * slope * 0.16)), given[i].PredictionStandardError, 1e-9);
            Assert.Equal(Math.Sqrt(curve + o.ResVar * (0.0625 + slope * slope * 0.0225)), byDefault[i].PredictionStandardError, 1e-9);
        }
        // Ordinary least squares leaves the new point's x exact by default.
        var ols = new ODR(data, Line, new[] { 6.0, -0.5 });
        ols.SetJob(fitType: 2);
        ols.Run();
        var p = new FitInference(ols).Predict(new[] { 2.0 })[0];
        Assert.Equal(Math.Sqrt(p.StandardError * p.StandardError + ols.Output!.ResVar * 0.0625), p.PredictionStandardError, 1e-9);
    }

    [Fact]
    public void TwoInputsAndAnalyticDerivatives()
    {
        // y = b0 + b1·x0 + b2·x1 by OLS: the curve's variance is gᵀ(s²(XᵀX)⁻¹)g with g = (1, x0, x1).
        var x = new double[2, 8];
        var y = new double[8];
        var noise = new[] { 0.1, -0.2, 0.05, 0.15, -0.1, 0.0, 0.2, -0.15 };
        for (int i = 0; i < 8; i++)
        {
            x[0, i] = i;
            x[1, i] = (i * 3) % 5;
            y[i] = 1 + 2 * x[0, i] - x[1, i] + noise[i];
        }
        var odr = new ODR(new Data(x, y), Models.Multilinear, new[] { 1.0, 2.0, -1.0 });
        odr.SetJob(fitType: 2, deriv: 2);
        var o = odr.Run();
        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(8, 3, (i, c) => c == 0 ? 1 : x[c - 1, i]);
        var inv = (design.TransposeThisAndMultiply(design)).Inverse();
        double s2 = o.SumSquare / 5;
        var pts = new double[,] { { 2.5, 9.0 }, { 1.0, 4.0 } };
        var pred = new FitInference(odr).Predict(pts);
        for (int i = 0; i < 2; i++)
        {
            var g = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray(new[] { 1, pts[0, i], pts[1, i] });
            double se = Math.Sqrt(s2 * (g * inv * g));
            Assert.Equal(se, pred[i].StandardError, 1e-9 * se);
            Assert.Equal(o.Beta[0] + o.Beta[1] * pts[0, i] + o.Beta[2] * pts[1, i], pred[i].Value, 1e-12);
        }
    }

    [Fact]
    public void BadPredictionInputIsRefused()
    {
        var odr = new ODR(new Data(X, Y), Line, new[] { 6.0, -0.5 });
        odr.Run();
        var inference = new FitInference(odr);
        Assert.Throws<ArgumentOutOfRangeException>(() => inference.Predict(new[] { 1.0 }, new PredictionOptions { Level = 1.5 }));
        Assert.Throws<ArgumentException>(() => inference.Predict(new[] { double.NaN }));
        Assert.Throws<ArgumentException>(() => inference.Predict(new[] { 1.0 }, new PredictionOptions { SigmaY = new[] { -1.0 } }));
        Assert.Throws<ArgumentException>(() => inference.Predict(new double[2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => inference.Predict(new[] { 1.0 }, new PredictionOptions { Response = 1 }));
    }
}
