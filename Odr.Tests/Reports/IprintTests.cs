using System.Globalization;
using System.Text;
using Odr.Tests.Support;

namespace Odr.Tests.Reports;

/// <summary>IPRINT's digits (short, long, none, iteration step) and the report's destination.</summary>
public class IprintTests
{
    private const string Case = "ug_multiresponse"; // 5 parameters: long iteration lines wrap

    private static string Run(Action<ODR> setup, string name = Case)
    {
        var odr = ReferenceCases.BuildOdr(ReferenceCases.Get(name));
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        odr.ReportWriter = writer;
        setup(odr);
        odr.Run();
        return writer.ToString();
    }

    private static void AssertSame(string[] expected, string actual)
    {
        var problems = ReportComparison.Compare(ReportComparison.SplitLines(actual), expected);
        Assert.True(problems.Count == 0, ReportComparison.Describe(problems));
    }

    private static int IndexOf(string[] lines, string start) => Array.FindIndex(lines, l => l.StartsWith(start, StringComparison.Ordinal));

    [Fact]
    public void LongReportsEverywhereReproduceTheReference()
    {
        string text = Run(o => o.SetIprint(init: 2, iter: 2, iterStep: 1, final: 2));
        AssertSame(ReportComparison.ReferenceLines(Case), text);
    }

    [Fact]
    public void ShortReportsDropTheTablesAndTheBetaColumns()
    {
        var reference = ReportComparison.ReferenceLines(Case);
        int parameters = IndexOf(reference, " --- FUNCTION PARAMETER SUMMARY:");
        int iterations = IndexOf(reference, " *** ITERATION REPORTS");
        int residuals = IndexOf(reference, " --- ESTIMATED EPSILON");
        Assert.True(parameters > 0 && iterations > parameters && residuals > iterations);

        var expected = new List<string>();
        expected.AddRange(reference.Take(parameters - 1)); // initial summary up to the sums of squares
        for (int i = iterations - 1; i < residuals - 1; i++)
        {
            string line = reference[i];
            if (line.StartsWith(new string(' ', 60), StringComparison.Ordinal)) continue; // beta continuation
            foreach (var wide in new[] { "      BETA -------------->", "     INDEX           VALUE", "     -----           -----" })
            {
                if (line.EndsWith(wide, StringComparison.Ordinal)) line = line[..^wide.Length];
            }
            if (line.Length > 69 && char.IsDigit(line[4])) line = line[..69]; // iteration line without beta
            expected.Add(line);
        }

        string text = Run(o => o.SetIprint(init: 1, iter: 1, iterStep: 1, final: 1));
        AssertSame(expected.ToArray(), text);
        Assert.DoesNotContain("FUNCTION PARAMETER SUMMARY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BETA -------------->", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ESTIMATED EPSILON", text, StringComparison.Ordinal);
        Assert.Contains("95%  CONFIDENCE INTERVAL", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NoReportWritesNothing()
    {
        Assert.Equal(string.Empty, Run(o => o.SetIprint(0, 0, 0, 0)));
        Assert.Equal(string.Empty, Run(o => o.Iprint = 0));
    }

    [Fact]
    public void IterationStepReportsEveryKthIterationOnly()
    {
        var reference = ReportComparison.ReferenceLines(Case);
        int iterations = IndexOf(reference, " *** ITERATION REPORTS");
        int final = IndexOf(reference, " *** FINAL SUMMARY");
        var expected = new List<string>(reference.Take(4)); // ODRPACK's heading
        bool keep = true;
        for (int i = iterations - 1; i < final - 1; i++)
        {
            string line = reference[i];
            if (line.Length > 5 && char.IsDigit(line[4])) keep = int.Parse(line[..5], CultureInfo.InvariantCulture) % 3 == 1;
            else if (!line.StartsWith(new string(' ', 60), StringComparison.Ordinal)) keep = true;
            if (keep) expected.Add(line);
        }

        string text = Run(o => o.SetIprint(init: 0, iter: 2, iterStep: 3, final: 0));
        AssertSame(expected.ToArray(), text);
        Assert.DoesNotContain("INITIAL SUMMARY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FINAL SUMMARY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalSummaryAloneFollowsTheHeading()
    {
        var reference = ReportComparison.ReferenceLines(Case);
        int final = IndexOf(reference, " *** FINAL SUMMARY");
        var expected = reference.Take(4).Concat(reference.Skip(final - 1)).ToArray();
        AssertSame(expected, Run(o => o.SetIprint(final: 2)));
    }

    [Fact]
    public void ScreenCopyDigitsMapToShortAndLong()
    {
        // ODRPACK's 3-6 also copy to the screen; here odd digits are the short report, even the long one.
        Assert.Equal(Run(o => o.Iprint = 1111), Run(o => o.Iprint = 3513));
        Assert.Equal(Run(o => o.Iprint = 2212), Run(o => o.Iprint = 4214));
        Assert.Equal(Run(o => o.Iprint = 2212), Run(o => o.Iprint = 6216));
    }

    [Fact]
    public void ReportsGoToAnyTextWriter()
    {
        string viaStringWriter = Run(o => o.SetIprint(2, 2, 1, 2));

        var odr = ReferenceCases.BuildOdr(ReferenceCases.Get(Case));
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\n" })
        {
            odr.ReportWriter = writer;
            odr.SetIprint(2, 2, 1, 2);
            odr.Run();
        }
        string viaStream = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(viaStringWriter, viaStream);

        var lines = new LineCollector();
        odr.ReportWriter = lines;
        odr.Run();
        Assert.Equal(ReportComparison.SplitLines(viaStringWriter), lines.Lines.ToArray());
    }

    [Fact]
    public void RestartPrintsARestartSummary()
    {
        var odr = ReferenceCases.BuildOdr(ReferenceCases.Get("ug_explicit_analytic_checked"), maxitOverride: 3);
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        odr.ReportWriter = writer;
        odr.SetIprint(1, 1, 1, 1);
        var first = odr.Run();
        Assert.Equal(4, first.Info % 10);
        Assert.Contains("A=0 ==> FIT IS NOT A RESTART.", writer.ToString(), StringComparison.Ordinal);

        var restarted = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        odr.ReportWriter = restarted;
        odr.Restart(20);
        var lines = ReportComparison.SplitLines(restarted.ToString());
        Assert.Contains("          JOB = 10020", lines);
        Assert.Contains("                       A=1 ==> FIT IS A RESTART.", lines);
        Assert.StartsWith("    4 ", lines.First(l => l.Length > 5 && char.IsDigit(l[4])), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("         INFO =     1 ==>", StringComparison.Ordinal));
    }

    private sealed class LineCollector : TextWriter
    {
        private readonly StringBuilder current = new();

        public List<string> Lines { get; } = new();

        public override Encoding Encoding => Encoding.Unicode;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                Lines.Add(current.ToString().TrimEnd('\r'));
                current.Clear();
            }
            else
            {
                current.Append(value);
            }
        }
    }
}
