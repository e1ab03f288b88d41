namespace Odr.Tests.Api;

/// <summary>The predefined models: their values and analytic Jacobians against central differences,
/// and fits against scipy.odr's results for the same models.</summary>
public class ModelsTests
{
    public static IEnumerable<object[]> All => new[]
    {
        new object[] { "unilinear", Models.Unilinear, new[] { 1.5, -0.5 }, 1 },
        new object[] { "multilinear", Models.Multilinear, new[] { 0.5, 1.5, -2.0 }, 2 },
        new object[] { "exponential", Models.Exponential, new[] { 0.5, 0.3 }, 1 },
        new object[] { "quadratic", Models.Quadratic, new[] { 0.5, -1.0, 2.0 }, 1 },
        new object[] { "polynomial(3)", Models.Polynomial(3), new[] { 0.5, -1.0, 2.0, 0.25 }, 1 },
        new object[] { "polynomial([1, 4])", Models.Polynomial(new[] { 1, 4 }), new[] { 0.5, -1.0, 0.1 }, 1 },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void AnalyticJacobiansAgreeWithCentralDifferences(string name, Model model, double[] beta, int m)
    {
        int n = 7;
        var x = Enumerable.Range(0, n * m).Select(i => -1.3 + 0.37 * i).ToArray();
        int p = beta.Length;
        var jb = new double[n * p];
        var jd = new double[n * m];
        model.EvaluateJacobianBeta(beta, x, jb);
        model.EvaluateJacobianX(beta, x, jd);
        var fp = new double[n];
        var fm = new double[n];
        for (int k = 0; k < p; k++)
        {
            var bp = beta.ToArray(); bp[k] += 1e-6;
            var bm = beta.ToArray(); bm[k] -= 1e-6;
            model.Evaluate(bp, x, fp);
            model.Evaluate(bm, x, fm);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs((fp[i] - fm[i]) / 2e-6 - jb[i * p + k]) < 1e-6 * (1 + Math.Abs(jb[i * p + k])), $"{name}: dF/dB{k} at {i}");
        }
        for (int j = 0; j < m; j++)
        {
            var xp = x.ToArray(); var xm = x.ToArray();
            for (int i = 0; i < n; i++) { xp[i * m + j] += 1e-6; xm[i * m + j] -= 1e-6; }
            model.Evaluate(beta, xp, fp);
            model.Evaluate(beta, xm, fm);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs((fp[i] - fm[i]) / 2e-6 - jd[i * m + j]) < 1e-6 * (1 + Math.Abs(jd[i * m + j])), $"{name}: dF/dx{j} at {i}");
        }
    }

    [Fact]
    public void QuadraticFitMatchesScipy()
    {
        // scipy.odr 1.10.1: ODR(Data(x, y), quadratic, beta0=[1, 1, 1]).run()
        var x = new[] { 0.0, 1, 2, 3, 4, 5 };
        var y = new[] { 1.1, 2.9, 9.2, 19.1, 33.2, 50.8 };
        var o = new ODR(new Data(x, y), Models.Quadratic, new[] { 1.0, 1, 1 }).Run();
        Assert.Equal(2.0256683095518095, o.Beta[0], 1e-9);
        Assert.Equal(-0.11257791386864756, o.Beta[1], 1e-9);
        Assert.Equal(1.096818087395037, o.Beta[2], 1e-9);
    }

    [Fact]
    public void AnalyticAndFiniteDifferenceFitsAgree()
    {
        var x = new[] { 0.1, 0.5, 0.9, 1.3, 1.7, 2.1, 2.5 };
        var y = x.Select(v => 0.3 + Math.Exp(0.8 * v) + 0.01 * Math.Sin(7 * v)).ToArray();
        var fd = new ODR(new Data(x, y), Models.Exponential, new[] { 0.0, 0.5 }).Run();
        var odr = new ODR(new Data(x, y), Models.Exponential, new[] { 0.0, 0.5 });
        odr.SetJob(deriv: 2);
        var an = odr.Run();
        Assert.True(an.Converged && fd.Converged);
        Assert.Equal(0, an.DerivativeCheck!.BetaSummary);
        for (int k = 0; k < 2; k++) Assert.Equal(fd.Beta[k], an.Beta[k], 1e-6 * (1 + Math.Abs(fd.Beta[k])));
    }
}
