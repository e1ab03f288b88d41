namespace Odr.Tests.Reports;

/// <summary>The generated reports of reference cases against ODRPACK 2.01's own long reports
/// (Data/reports, copied from the reference set): same lines, same headings and columns, the same
/// integers, and numbers that agree to the printed precision.</summary>
public class ReferenceReportTests
{
    /// <summary>Cases whose arithmetic follows ODRPACK's: every number to its last printed digit.</summary>
    [Theory]
    [InlineData("ug_explicit_analytic_checked")]
    [InlineData("ug_multiresponse")]
    [InlineData("pearson_sxsy")]
    public void ReportMatchesOdrpackDigitForDigit(string name) => AssertMatches(name, ReportComparison.SamePath);

    /// <summary>Forward-difference and implicit cases whose iterates drift at the noise level: the
    /// layout must still be identical line for line, the summaries agree to 1e-5, the trace closely.</summary>
    [Theory]
    [InlineData("ug_explicit_forward_diff")]
    [InlineData("ug_implicit_ellipse")]
    [InlineData("nist_Misra1a_ols_start1")]
    public void ReportMatchesOdrpack(string name) => AssertMatches(name, ReportComparison.NearbyPath);

    private static void AssertMatches(string name, ReportComparison.Profile profile)
    {
        var actual = ReportComparison.SplitLines(ReportComparison.Generate(name));
        var expected = ReportComparison.ReferenceLines(name);
        var problems = ReportComparison.Compare(actual, expected, profile);
        Assert.True(problems.Count == 0, name + ":\n" + ReportComparison.Describe(problems));
    }
}
