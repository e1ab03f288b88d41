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

    [Theory]
    [MemberData(nameof(NistCases))]
    public void NistOlsCaseMatchesOdrpack(string name) => CheckAgainstOdrpack(name);

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
        Assert.InRange(output.Iterations, niter - 1, niter + 1);

        var beta = e.GetProperty("beta").Doubles();
        var sd = e.GetProperty("sd_beta").Doubles();
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
