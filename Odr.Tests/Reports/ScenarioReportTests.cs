using System.Globalization;
using System.Text.Json;
using Odr.Tests.Support;

namespace Odr.Tests.Reports;

/// <summary>Report layouts the reference set does not cover (short reports, an iteration step,
/// fixed parameters, covariance from the last iteration or none, MAXIT = 0 and 2, questionable
/// derivatives, OLS with two responses, rank deficiency with and without covariance), each against the report scipy 1.10.1's ODRPACK 2.01
/// writes for the same problem (Data/reports/extra: the problem as a reference-case JSON with its
/// IPRINT, the report, and gen_extra_reports.py / gen_rank_reports.py that made them).</summary>
public class ScenarioReportTests
{
    [Theory]
    [InlineData("short_explicit")]
    [InlineData("fixed_parameter")]
    [InlineData("varcalc1")]
    [InlineData("varcalc2")]
    [InlineData("varcalc2_fixed")]
    [InlineData("maxit0")]
    [InlineData("maxit2")]
    [InlineData("questionable_1_01")]
    [InlineData("ols_two_responses")]
    [InlineData("rank_deficient_ols")]
    [InlineData("rank_deficient_odr")]
    [InlineData("rank_deficient_novcv")]
    public void ReportMatchesOdrpack(string name) => AssertMatches(name, ReportComparison.SamePath);

    [Fact]
    public void ShortImplicitReportWithIterationStepMatchesOdrpack() => AssertMatches("short_implicit_step2", ReportComparison.NearbyPath);

    private static void AssertMatches(string name, ReportComparison.Profile profile)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Data", "reports", "extra");
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name + ".json")));
        var c = doc.RootElement;
        var odr = ReferenceCases.BuildOdr(c);
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        odr.ReportWriter = writer;
        odr.Iprint = c.GetProperty("iprint").GetInt32();
        var output = odr.Run();
        Assert.Equal(c.GetProperty("info").GetInt32(), output.Info);

        var expected = ReportComparison.SplitLines(File.ReadAllText(Path.Combine(dir, name + ".txt")));
        var problems = ReportComparison.Compare(ReportComparison.SplitLines(writer.ToString()), expected, profile);
        Assert.True(problems.Count == 0, name + ":\n" + ReportComparison.Describe(problems));
    }
}
