using Xunit.Abstractions;

namespace Odr.Tests.Inference;

/// <summary>
/// Coverage by simulation, with fixed seeds: data sets drawn from known parameters with known error
/// standard deviations; the 95 % Wald and profile intervals must cover the true parameters in 93–97 %
/// of the data sets, the χ² p-values (absolute weights) must be uniform by a Kolmogorov–Smirnov test,
/// and the 95 % prediction interval at a new observed point (for ODR with its x error) must hold the
/// new observation in 93–97 % of the data sets.
/// </summary>
public class CoverageTests(ITestOutputHelper output)
{
    private const int DataSets = 300;

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void ExponentialDecayByLeastSquares()
    {
        var truth = new[] { 2.0, 0.4 };
        var x = Enumerable.Range(0, 12).Select(i => 0.5 * i).ToArray();
        var model = new Model((b, v) => b[0] * Math.Exp(-b[1] * v));
        const double sy = 0.08;
        Check(truth, DataSets, 20261205, r =>
        {
            var y = x.Select(v => truth[0] * Math.Exp(-truth[1] * v) + sy * Normal(r)).ToArray();
            var odr = new ODR(new RealData(x, y, sy: sy), model, truth);
            odr.SetJob(fitType: 2, deriv: 1);
            return odr;
        }, r => (2.2, truth[0] * Math.Exp(-truth[1] * 2.2) + sy * Normal(r)));
    }

    [Fact]
    public void StraightLineByOdr()
    {
        var truth = new[] { 1.0, -0.7 };
        var xi = Enumerable.Range(0, 15).Select(i => 0.4 * i).ToArray();
        var model = new Model((b, v) => b[0] + b[1] * v);
        const double sx = 0.1, sy = 0.15;
        Check(truth, DataSets, 4242, r =>
        {
            var x = xi.Select(v => v + sx * Normal(r)).ToArray();
            var y = xi.Select(v => truth[0] + truth[1] * v + sy * Normal(r)).ToArray();
            var odr = new ODR(new RealData(x, y, sx: sx, sy: sy), model, truth);
            odr.SetJob(deriv: 1);
            return odr;
        }, r => (3.0 + sx * Normal(r), truth[0] + truth[1] * 3.0 + sy * Normal(r)));
    }

    private void Check(double[] truth, int sets, int seed, Func<Random, ODR> make, Func<Random, (double X, double Y)> newPoint)
    {
        int predicted = 0;
        var newRng = new Random(seed + 1); // its own stream: the data sets do not depend on it
        var rng = new Random(seed);
        int p = truth.Length;
        var wald = new int[p];
        var profile = new int[p];
        var pValues = new List<double>();
        for (int s = 0; s < sets; s++)
        {
            var odr = make(rng);
            var o = odr.Run();
            Assert.True(o.Converged, $"data set {s}: info {o.Info}");
            var inference = new FitInference(odr);
            var w = inference.WaldIntervals(0.95);
            var pr = inference.ProfileIntervals(0.95);
            for (int k = 0; k < p; k++)
            {
                if (w[k].Lower <= truth[k] && truth[k] <= w[k].Upper) wald[k]++;
                Assert.True(pr[k].LowerFound && pr[k].UpperFound, $"data set {s}: {pr[k]}");
                if (pr[k].Lower <= truth[k] && truth[k] <= pr[k].Upper) profile[k]++;
            }
            pValues.Add(inference.GoodnessOfFit().PValue!.Value);
            var (x0, y0) = newPoint(newRng);
            var pi = inference.Predict(new[] { x0 })[0];
            if (pi.PredictionLower <= y0 && y0 <= pi.PredictionUpper) predicted++;
        }
        double ks = KolmogorovSmirnovPValue(pValues);
        output.WriteLine($"Wald coverage {string.Join(", ", wald.Select(c => (100.0 * c / sets).ToString("F1")))} %; profile {string.Join(", ", profile.Select(c => (100.0 * c / sets).ToString("F1")))} %; KS p = {ks:F3}; prediction {100.0 * predicted / sets:F1} %");
        for (int k = 0; k < p; k++)
        {
            Assert.InRange(100.0 * wald[k] / sets, 93, 97);
            Assert.InRange(100.0 * profile[k] / sets, 93, 97);
        }
        Assert.InRange(100.0 * predicted / sets, 93, 97);
        Assert.True(ks > 0.01, $"chi2 p-values not uniform: KS p = {ks}");
    }

    /// <summary>The one-sample Kolmogorov–Smirnov test against the uniform distribution: the
    /// statistic D = sup |Fₙ(u) − u| and Kolmogorov's asymptotic tail
    /// P(√n·D &gt; t) = 2 Σₖ (−1)^(k−1) exp(−2k²t²) with Stephens' correction t = D(√n + 0.12 + 0.11/√n).</summary>
    private static double KolmogorovSmirnovPValue(List<double> values)
    {
        var u = values.OrderBy(v => v).ToArray();
        int n = u.Length;
        double d = 0;
        for (int i = 0; i < n; i++) d = Math.Max(d, Math.Max((i + 1.0) / n - u[i], u[i] - (double)i / n));
        double sq = Math.Sqrt(n);
        double t = d * (sq + 0.12 + 0.11 / sq);
        double sum = 0;
        for (int k = 1; k <= 100; k++) sum += (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * t * t);
        return Math.Clamp(2 * sum, 0, 1);
    }
}
