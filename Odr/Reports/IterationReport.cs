using Odr.Core;
using static Odr.Reports.FortranFormat;

namespace Odr.Reports;

/// <summary>
/// ODRPACK's iprint-style computation reports (DODPCR with DODPHD, DODPC1, DODPC2 and DODPC3 of
/// ODRPACK 2.01), line for line: the heading, the initial summary, one line per reported iteration
/// and the final summary, each short or long as IPRINT's digits ask.
/// </summary>
/// <remarks>
/// IPRINT's digits, from the left, are the levels of the initial summary, the iteration reports,
/// the iteration step (report iteration k when the step is 1 or k mod step = 1) and the final
/// summary; a level is 0 (none), 1 (short), 2 (long), and 3–6 as in ODRPACK, which there also means
/// a second copy on the screen: here odd levels give the short report and even ones the long report
/// (6 long), all to the one writer. Implicit fits run as several penalized passes (ODRPACK's DODCNT):
/// the initial summary comes with the first pass, each pass's first iteration line is preceded by
/// its penalty parameter, and the final summary comes with the last pass only.
/// </remarks>
internal sealed partial class IterationReport : IterationObserver
{
    private const int PerLine = 4; // NPLM1 + 1 of DODPC3

    private readonly TextWriter writer;
    private readonly int initialLevel;
    private readonly int iterationLevel;
    private readonly int iterationStep;
    private readonly int finalLevel;

    private bool headingPending = true; // DODPHD's HEAD
    private bool firstIteration = true; // FSTITR
    private bool penaltyPending; // PRTPEN
    private int passes;
    private bool lastImplicitPass;

    public IterationReport(TextWriter writer, IprintCode iprint)
    {
        ArgumentNullException.ThrowIfNull(writer);
        this.writer = writer;
        initialLevel = iprint.InitialLevel;
        iterationLevel = iprint.IterationLevel;
        iterationStep = iprint.IterationStep;
        finalLevel = iprint.FinalLevel;
    }

    public override void Initial(FitSnapshot start)
    {
        int pass = passes++;
        if (start.IsImplicit)
        {
            penaltyPending = true;
            lastImplicitPass = pass > 0 && start.Iterations >= start.MaxIterations;
            if (pass > 0) return;
        }
        if (initialLevel == 0) return;
        Heading();
        Line();
        Line(" *** INITIAL SUMMARY FOR FIT BY METHOD OF ", Method(start.IsOdr), " ***");
        InitialSummary(start, initialLevel, restart: start.Iterations > 0 && !start.IsImplicit);
    }

    public override void Iteration(IterationSnapshot iteration)
    {
        if (iterationLevel == 0 || iterationStep == 0) return;
        if (iterationStep != 1 && iteration.Iterations % iterationStep != 1) return;
        Heading();
        if (firstIteration)
        {
            Line();
            Line(" *** ITERATION REPORTS FOR FIT BY METHOD OF ", Method(iteration.IsOdr), " ***");
        }
        IterationLine(iteration, iterationLevel);
        firstIteration = false;
        penaltyPending = false;
    }

    public override void Final(FitSnapshot end)
    {
        if (finalLevel == 0) return;
        if (end.IsImplicit && !lastImplicitPass) return;
        Heading();
        Line();
        Line(" *** FINAL SUMMARY FOR FIT BY METHOD OF ", Method(end.IsOdr), " ***");
        FinalSummary(end, finalLevel);
    }

    private static string Method(bool isOdr) => isOdr ? "ODR" : "OLS";

    /// <summary>DODPHD.</summary>
    private void Heading()
    {
        if (!headingPending) return;
        headingPending = false;
        Line(" ******************************************************* ");
        Line(" * ODRPACK VERSION 2.01 OF 06-19-92 (DOUBLE PRECISION) * ");
        Line(" ******************************************************* ");
        Line();
    }

    /// <summary>DODPC2: the column heading before the first reported iteration, the penalty parameter
    /// at the start of each implicit pass, and one iteration line (with beta in the long report).</summary>
    private void IterationLine(IterationSnapshot s, int level)
    {
        bool implicitFit = s.IsImplicit;
        if (firstIteration)
        {
            Line();
            Line();
            Line(implicitFit
                ? "         CUM.      PENALTY    ACT. REL.   PRED. REL."
                : "         CUM.                 ACT. REL.   PRED. REL.");
            string wide1 = level == 1 ? string.Empty : "      BETA -------------->";
            string wide2 = level == 1 ? string.Empty : "     INDEX           VALUE";
            string wide3 = level == 1 ? string.Empty : "     -----           -----";
            Line(implicitFit
                ? "  IT.  NO. FN     FUNCTION   SUM-OF-SQS   SUM-OF-SQS              G-N"
                : "  IT.  NO. FN     WEIGHTED   SUM-OF-SQS   SUM-OF-SQS              G-N", wide1);
            Line(implicitFit
                ? " NUM.   EVALS        VALUE    REDUCTION    REDUCTION  TAU/PNORM  STEP"
                : " NUM.   EVALS   SUM-OF-SQS    REDUCTION    REDUCTION  TAU/PNORM  STEP", wide2);
            Line(" ----  ------  -----------  -----------  -----------  ---------  ----", wide3);
            if (!implicitFit) Line();
        }
        if (penaltyPending && implicitFit)
        {
            Line();
            Line(" PENALTY PARAMETER VALUE = ", E(s.ImplicitPenaltyParameter, 10, 1));
        }

        string gn = s.IsGaussNewtonStep ? "YES" : " NO";
        string head = Sp(1) + I(s.Iterations, 4) + I(s.FunctionEvaluations, 8) + Sp(1)
            + D(s.SumOfSquares, 12, 5) + D(s.ActualReduction, 13, 4) + D(s.PredictedReduction, 13, 4)
            + D(s.TauOverPNorm, 11, 3) + Sp(3) + gn;
        if (level == 1)
        {
            Line(head);
            return;
        }
        var beta = s.Beta.AsSpan();
        int np = beta.Length;
        int k = Math.Min(3, np);
        if (k == 1)
        {
            Line(head, Sp(7), I(1, 3), D(beta[0], 16, 8));
        }
        else
        {
            Line(head, Sp(1), I(1, 3), " TO", I(k, 3), Values(beta, 0, k));
        }
        for (int j = 4; j <= np; j += 3)
        {
            k = Math.Min(j + 2, np);
            if (j == k) Line(Sp(76), I(j, 3), D(beta[j - 1], 16, 8));
            else Line(Sp(70), I(j, 3), " TO", I(k, 3), Values(beta, j - 1, k));
        }
    }

    /// <summary>DODPC3's INDEX/VALUE listing (formats 7100/7200, 8100/8200), four values a line.</summary>
    private void ValueListing(ReadOnlySpan<double> values, int count)
    {
        Line();
        Line(count == 1 ? "           INDEX           VALUE" : "           INDEX           VALUE -------------->");
        Line();
        for (int j = 1; j <= count; j += PerLine)
        {
            int k = Math.Min(j + PerLine - 1, count);
            if (k == j) Line(Sp(11), I(j, 5), D(values[j - 1], 16, 8));
            else Line(Sp(3), I(j, 5), " TO", I(k, 5), Values(values, j - 1, k));
        }
    }

    /// <summary>The derivative assessment of one parameter or input (the worst code over the responses).</summary>
    private static string Assessment(ReadOnlySpan<int> messages, int q, int column)
    {
        int worst = -1;
        for (int l = 0; l < q; l++)
        {
            int idx = 1 + l + column * q;
            if (idx < messages.Length) worst = Math.Max(worst, messages[idx]);
        }
        return worst <= -1 ? "    UNCHECKED" : worst == 0 ? "     VERIFIED" : " QUESTIONABLE";
    }

    /// <summary>DHSTEP's default relative step (forward or central differences).</summary>
    private static double DefaultStep(bool central, int neta) =>
        central ? Math.Pow(10, -Math.Abs(neta) / 3.0) : Math.Pow(10, -Math.Abs(neta) / 2.0 - 2.0);

    /// <summary>Rows 1 and n of DODPC1's tables (DO I=1,N,N-1).</summary>
    private static int[] FirstAndLast(int n) => n > 1 ? new[] { 0, n - 1 } : new[] { 0 };

    /// <summary>Formats 5110/5120: "1,j" or "N,j" with a one- or two-digit index.</summary>
    private static string IndexLabel(string prefix, int index, int count) =>
        count <= 9 ? Sp(9) + prefix + I(index, 1) : Sp(8) + prefix + I(index, 2);

    private static string Values(ReadOnlySpan<double> values, int from, int to)
    {
        var parts = new string[to - from];
        for (int i = from; i < to; i++) parts[i - from] = D(values[i], 16, 8);
        return string.Concat(parts);
    }

    private static string Row(IEnumerable<double> values) => string.Concat(values.Select(v => D(v, 16, 8)));

    private static string Sp(int count) => new(' ', count);

    private void Line() => writer.WriteLine();

    private void Line(string text) => writer.WriteLine(text);

    private void Line(params string[] parts) => writer.WriteLine(string.Concat(parts));
}
