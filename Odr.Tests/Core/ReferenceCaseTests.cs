using System.Text.Json;
using Odr.Tests.Support;

namespace Odr.Tests.Core;

/// <summary>Every case of odr-cases.json against ODRPACK's own results (scipy 1.10.1's ODRPACK 2.01).</summary>
public class ReferenceCaseTests
{
    public static IEnumerable<object[]> ScipyCases => ReferenceCases.Names(c => c.GetProperty("group").GetString() == "scipy_tests");

    public static IEnumerable<object[]> NistCases => ReferenceCases.Names(c => c.GetProperty("group").GetString() == "nist_ols");

    [Theory]
    [MemberData(nameof(ScipyCases))]
    public void ScipyCaseMatchesOdrpack(string name) => CheckAgainstOdrpack(name);

    /// <summary>
    /// The NIST problems against ODRPACK. Models built from + − × ÷ alone give bit-identical model values
    /// here and in the reference, and are held to the strict tolerances (beta 1e-6, sd 1e-5, iterations
    /// ±1). Models with exp, pow, sin, … cannot be: the reference evaluated them with numpy's vectorized
    /// (SVML) functions, which differ from the C library's (what .NET calls) in the last bit for some
    /// arguments, and the ill-conditioned NIST problems amplify that into a different path. There the
    /// verdict (INFO) must match and beta and sd_beta must agree with NIST's certified values to as many
    /// digits as ODRPACK's do, within one digit for beta and one and a half for sd_beta (capped at 6).
    /// </summary>
    [Theory]
    [MemberData(nameof(NistCases))]
    public void NistOlsCaseMatchesOdrpack(string name) => CheckAgainstOdrpack(name);

    public static IEnumerable<object[]> ArithmeticCases => ReferenceCases.Names(c =>
        !c.GetProperty("model").EnumerateArray().Any(m => TranscendentalCall.IsMatch(m.GetString()!)) && c.GetProperty("kind").GetString() == "explicit");

    /// <summary>Where the model is plain arithmetic (so its values here are bit-identical to numpy's),
    /// the port follows ODRPACK bit for bit: the same iterations, the same number of model evaluations
    /// and exactly the same beta.</summary>
    [Theory]
    [MemberData(nameof(ArithmeticCases))]
    public void ArithmeticModelsReproduceOdrpackBitForBit(string name)
    {
        var c = ReferenceCases.Get(name);
        var e = c.GetProperty("expected");
        var output = ReferenceCases.BuildOdr(c).Run();
        Assert.Equal(e.GetProperty("niter").GetInt32(), output.Iterations);
        Assert.Equal(e.GetProperty("nfev").GetInt32(), output.FunctionEvaluations);
        Assert.Equal(e.GetProperty("beta").Doubles(), output.Beta);

        // The per-observation results too: delta and eps exactly as ODRPACK's (Output computes eps
        // and xplus from the fitted values and the data when first read), and xplus = x + delta.
        if (!e.GetProperty("eps_truncated").GetBoolean()) Assert.Equal(e.GetProperty("eps").ToNdArray().Values.ToArray(), output.Eps.Cast<double>());
        if (!e.GetProperty("delta_truncated").GetBoolean()) Assert.Equal(e.GetProperty("delta").ToNdArray().Values.ToArray(), output.Delta.Cast<double>());
        var x = c.GetProperty("x").ToNdArray();
        var xs = x.Values.ToArray();
        Assert.Equal(xs.Length, output.XPlus.Length);
        int n = output.XPlus.GetLength(1);
        for (int j = 0; j < output.XPlus.GetLength(0); j++)
        {
            for (int i = 0; i < n; i++) Assert.Equal(xs[j * n + i] + output.Delta[j, i], output.XPlus[j, i]);
        }
    }

    /// <summary>NIST StRD: wherever ODRPACK converges, our beta agrees with the certified values to as
    /// many digits as ODRPACK's does (certified_lre), up to one digit and capped at 6: the worst
    /// parameter's log relative error is at least min(ODRPACK's worst, 6) − 1. (Per parameter and to half
    /// a digit this holds except on four exp/pow problems; see NistOlsCaseMatchesOdrpack.)</summary>
    [Theory]
    [MemberData(nameof(NistCases))]
    public void NistOlsCaseReachesCertifiedDigits(string name)
    {
        var c = ReferenceCases.Get(name);
        if (c.GetProperty("reference_quality").GetString() != "converged") return;
        var output = ReferenceCases.BuildOdr(c).Run();
        var certified = c.GetProperty("certified").GetProperty("beta").Doubles();
        var lre = c.GetProperty("certified_lre").GetProperty("beta").Doubles();
        double ours = certified.Select((v, k) => LogRelativeError(output.Beta[k], v)).Min();
        double required = Math.Min(lre.Min(), 6) - 1;
        Assert.True(ours >= required, $"worst parameter has {ours:F2} correct digits; ODRPACK's worst has {lre.Min():F2}");
    }

    private static readonly System.Text.RegularExpressions.Regex TranscendentalCall =
        new(@"\b(exp|log|pow|sin|cos|tan|atan|atan2)\s*\(", System.Text.RegularExpressions.RegexOptions.Compiled);

    internal static double LogRelativeError(double value, double certified)
    {
        if (value == certified) return 15;
        double rel = certified == 0 ? Math.Abs(value) : Math.Abs(value - certified) / Math.Abs(certified);
        return Math.Min(15, -Math.Log10(rel));
    }

    internal static void CheckAgainstOdrpack(string name)
    {
        var c = ReferenceCases.Get(name);
        var e = c.GetProperty("expected");
        var output = ReferenceCases.BuildOdr(c).Run();
        int info = e.GetProperty("info").GetInt32();
        string quality = c.GetProperty("reference_quality").GetString()!;
        Assert.Equal(info, output.Info);
        Assert.Equal(e.GetProperty("stopreason").EnumerateArray().Select(s => s.GetString()), output.StopReason);
        int niter = e.GetProperty("niter").GetInt32();
        if (quality == "iteration_limit")
        {
            Assert.Equal(niter, output.Iterations);
            if (niter > 10) return; // long non-converged runs: only the verdict is comparable
        }
        bool nist = c.GetProperty("group").GetString() == "nist_ols";
        bool transcendental = c.GetProperty("model").EnumerateArray().Any(m => TranscendentalCall.IsMatch(m.GetString()!));
        bool relaxed = nist && transcendental;
        double[] lreBeta = nist ? c.GetProperty("certified_lre").GetProperty("beta").Doubles() : Array.Empty<double>();
        double[] lreSd = nist ? c.GetProperty("certified_lre").GetProperty("sd_beta").Doubles() : Array.Empty<double>();
        if (!relaxed) Assert.InRange(output.Iterations, niter - 1, niter + 1);

        var beta = e.GetProperty("beta").Doubles();
        var sd = e.GetProperty("sd_beta").Doubles();
        if (relaxed)
        {
            // Path-dependent problems: as close to NIST's certified values as ODRPACK, within a digit.
            var certBeta = c.GetProperty("certified").GetProperty("beta").Doubles();
            var certSd = c.GetProperty("certified").GetProperty("sd_beta").Doubles();
            for (int k = 0; k < beta.Length; k++)
            {
                double b = LogRelativeError(output.Beta[k], certBeta[k]);
                double d = LogRelativeError(output.SdBeta[k], certSd[k]);
                if (lreBeta[k] >= 1) Assert.True(b >= Math.Min(lreBeta[k], 6) - 1, $"beta[{k}]: {b:F2} certified digits, ODRPACK {lreBeta[k]:F2}");
                // Standard errors of these problems hang on residuals near the data's last digit: half a
                // digit more slack, and no comparison where ODRPACK itself has no correct digit.
                if (lreSd[k] >= 1) Assert.True(d >= Math.Min(lreSd[k], 6) - 1.5, $"sd_beta[{k}]: {d:F2} certified digits, ODRPACK {lreSd[k]:F2}");
            }
            return;
        }
        for (int k = 0; k < beta.Length; k++)
        {
            AssertClose(beta[k], output.Beta[k], 1e-6, Math.Max(1e-3 * sd[k], 1e-12), $"beta[{k}]");
            AssertClose(sd[k], output.SdBeta[k], 1e-5, 1e-10 * (Math.Abs(beta[k]) + 1e-300), $"sd_beta[{k}]");
        }
        double resVar = e.GetProperty("res_var").GetDouble();
        double ss = e.GetProperty("sum_square").GetDouble();
        AssertClose(resVar, output.ResVar, 1e-5, 1e-20, "res_var");
        AssertClose(ss, output.SumSquare, 1e-5, 1e-20, "sum_square");
        Assert.Equal(e.GetProperty("idf").GetInt32(), output.DegreesOfFreedom);
        Assert.Equal(e.GetProperty("irank").GetInt32(), output.RankDeficiency);
    }

    internal static void AssertClose(double expected, double actual, double rel, double abs, string what)
    {
        double tol = Math.Max(rel * Math.Abs(expected), abs);
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tol:G3})");
    }
}
