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
internal sealed class IterationReport : IterationObserver
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

    public IterationReport(TextWriter writer, int iprint, Data data, Model model)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _ = data;
        _ = model;
        this.writer = writer;
        if (iprint < 0) iprint = 2001; // ODRPACK's default report
        initialLevel = Level(iprint % 10000 / 1000);
        iterationLevel = Level(iprint % 1000 / 100);
        iterationStep = iprint % 100 / 10;
        finalLevel = Level(iprint % 10);
    }

    /// <summary>DODMN's mapping of an IPRINT digit to the report printed (0 none, 1 short, 2 long).</summary>
    internal static int Level(int digit) => digit switch
    {
        <= 0 => 0,
        >= 6 => 2,
        _ => 2 - (digit % 2),
    };

    public override void Initial(Solver solver)
    {
        int pass = passes++;
        if (solver.IsImplicit)
        {
            penaltyPending = true;
            lastImplicitPass = pass > 0 && solver.Iterations >= solver.MaxIterations;
            if (pass > 0) return;
        }
        if (initialLevel == 0) return;
        Heading();
        Line();
        Line(" *** INITIAL SUMMARY FOR FIT BY METHOD OF ", Method(solver), " ***");
        InitialSummary(solver, initialLevel, restart: solver.Iterations > 0 && !solver.IsImplicit);
    }

    public override void Iteration(Solver solver)
    {
        if (iterationLevel == 0 || iterationStep == 0) return;
        if (iterationStep != 1 && solver.Iterations % iterationStep != 1) return;
        Heading();
        if (firstIteration)
        {
            Line();
            Line(" *** ITERATION REPORTS FOR FIT BY METHOD OF ", Method(solver), " ***");
        }
        IterationLine(solver, iterationLevel);
        firstIteration = false;
        penaltyPending = false;
    }

    public override void Final(Solver solver)
    {
        if (finalLevel == 0) return;
        if (solver.IsImplicit && !lastImplicitPass) return;
        Heading();
        Line();
        Line(" *** FINAL SUMMARY FOR FIT BY METHOD OF ", Method(solver), " ***");
        FinalSummary(solver, finalLevel);
    }

    private static string Method(Solver solver) => solver.IsOdr ? "ODR" : "OLS";

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

    /// <summary>DODPC1: problem size, control values, stopping criteria, initial sums of squares and,
    /// in the long report, the parameter, explanatory variable and response tables.</summary>
    private void InitialSummary(Solver s, int level, bool restart)
    {
        var input = s.Input;
        int n = s.N, m = s.M, q = s.Q, np = s.NP;
        bool isodr = s.IsOdr, implicitFit = s.IsImplicit;
        bool anajac = input.Derivative is DerivativeKind.AnalyticChecked or DerivativeKind.AnalyticUnchecked;
        bool chkjac = input.Derivative == DerivativeKind.AnalyticChecked;
        bool cdjac = input.Derivative == DerivativeKind.CentralDifference;
        bool dovcv = input.VarCalc != 2;
        bool redoj = input.VarCalc == 0;
        int msgb1 = s.Msgb.Length > 0 ? s.Msgb[0] : -1;
        int msgd1 = s.Msgd.Length > 0 ? s.Msgd[0] : -1;
        bool questionable = chkjac && (msgb1 >= 1 || msgd1 >= 1);

        Line();
        Line(" --- PROBLEM SIZE:");
        Line("            N = ", I(n, 5), "          (NUMBER WITH NONZERO WEIGHT = ", I(s.NonZeroWeights, 5), ")");
        Line("           NQ = ", I(q, 5));
        Line("            M = ", I(m, 5));
        Line("           NP = ", I(np, 5), "          (NUMBER UNFIXED = ", I(s.Npp, 5), ")");

        int job = s.Job + (restart ? 10000 : 0);
        int job1 = job / 10000, job2 = job % 10000 / 1000, job3 = job % 1000 / 100, job4 = job % 100 / 10, job5 = job % 10;
        Line();
        Line(" --- CONTROL VALUES:");
        Line("          JOB = ", I(job, 5, 5));
        Line("              = ABCDE, WHERE");
        Line("                       A=", I(job1, 1), restart ? " ==> FIT IS A RESTART." : " ==> FIT IS NOT A RESTART.");
        if (isodr)
        {
            Line("                       B=", I(job2, 1), input.DeltaInitialized ? " ==> DELTAS ARE INITIALIZED BY USER." : " ==> DELTAS ARE INITIALIZED TO ZERO.");
        }
        else
        {
            Line("                       B=", I(job2, 1), " ==> DELTAS ARE FIXED AT ZERO SINCE E=", I(job5, 1), ".");
        }
        if (dovcv)
        {
            Line("                       C=", I(job3, 1), " ==> COVARIANCE MATRIX WILL BE COMPUTED USING");
            Line(redoj
                ? "                               DERIVATIVES RE-EVALUATED AT THE SOLUTION."
                : "                               DERIVATIVES FROM THE LAST ITERATION.");
        }
        else
        {
            Line("                       C=", I(job3, 1), " ==> COVARIANCE MATRIX WILL NOT BE COMPUTED.");
        }
        if (anajac)
        {
            Line("                       D=", I(job4, 1), " ==> DERIVATIVES ARE SUPPLIED BY USER.");
            if (chkjac)
            {
                Line("                               DERIVATIVES WERE CHECKED.");
                Line(msgb1 >= 1 || msgd1 >= 1
                    ? "                               RESULTS APPEAR QUESTIONABLE."
                    : "                               RESULTS APPEAR CORRECT.");
            }
            else
            {
                Line("                               DERIVATIVES WERE NOT CHECKED.");
            }
        }
        else if (cdjac)
        {
            Line("                       D=", I(job4, 1), " ==> DERIVATIVES ARE ESTIMATED BY CENTRAL DIFFERENCES.");
        }
        else
        {
            Line("                       D=", I(job4, 1), " ==> DERIVATIVES ARE ESTIMATED BY FORWARD DIFFERENCES.");
        }
        if (isodr)
        {
            Line("                       E=", I(job5, 1), implicitFit ? " ==> METHOD IS IMPLICIT ODR." : " ==> METHOD IS EXPLICIT ODR.");
        }
        else
        {
            Line("                       E=", I(job5, 1), " ==> METHOD IS EXPLICIT OLS.");
        }
        bool estimated = input.NDigit < 2;
        Line("       NDIGIT = ", I(Math.Abs(s.Neta), 5), estimated ? "          (ESTIMATED BY ODRPACK)" : "          (SUPPLIED BY USER)");
        Line("       TAUFAC = ", D(s.TauFactor, 12, 2));

        Line();
        Line(" --- STOPPING CRITERIA:");
        Line("        SSTOL = ", D(s.SsTolerance, 12, 2), "   (SUM OF SQUARES STOPPING TOLERANCE)");
        Line("       PARTOL = ", D(s.ParTolerance, 12, 2), "   (PARAMETER STOPPING TOLERANCE)");
        Line("        MAXIT = ", I(s.MaxIterations, 5), "          (MAXIMUM NUMBER OF ITERATIONS)");

        double wssdel = s.WeightedSumOfSquaresDelta, wsseps = s.WeightedSumOfSquaresEps;
        double wss = wssdel + wsseps;
        if (implicitFit)
        {
            Line();
            Line(" --- INITIAL SUM OF SQUARED WEIGHTED DELTAS =", Sp(17), D(wssdel, 17, 8));
            Line("         INITIAL PENALTY FUNCTION VALUE     =", D(wss, 17, 8));
            Line("                 PENALTY TERM               =", D(wsseps, 17, 8));
            Line("                 PENALTY PARAMETER          =", D(s.ImplicitPenaltyParameter, 10, 1));
        }
        else
        {
            Line();
            Line(" --- INITIAL WEIGHTED SUM OF SQUARES        =", Sp(17), D(wss, 17, 8));
            if (isodr)
            {
                Line("         SUM OF SQUARED WEIGHTED DELTAS     =", D(wssdel, 17, 8));
                Line("         SUM OF SQUARED WEIGHTED EPSILONS   =", D(wsseps, 17, 8));
            }
        }

        if (level < 2) return;

        // Function parameters.
        Line();
        Line(" --- FUNCTION PARAMETER SUMMARY:");
        Line();
        if (questionable)
        {
            Line("       INDEX         BETA(K)    FIXED           SCALE    DERIVATIVE");
            Line("                                                         ASSESSMENT");
            Line("         (K)                  (IFIXB)          (SCLB)              ");
        }
        else if (anajac)
        {
            Line("       INDEX         BETA(K)    FIXED           SCALE              ");
            Line("                                                                   ");
            Line("         (K)                  (IFIXB)          (SCLB)              ");
        }
        else
        {
            Line("       INDEX         BETA(K)    FIXED           SCALE    DERIVATIVE");
            Line("                                                          STEP SIZE");
            Line("         (K)                  (IFIXB)          (SCLB)        (STPB)");
        }
        Line();
        var beta = s.Beta;
        var ssf = s.BetaScale;
        for (int k = 0; k < np; k++)
        {
            string fixedText = input.Ifixb is { } ifixb && ifixb[k] == 0 ? "  YES" : "   NO";
            string head = Sp(7) + I(k + 1, 5) + D(beta[k], 16, 8) + Sp(4) + A(fixedText, 5) + D(ssf[0] < 0 ? Math.Abs(ssf[0]) : ssf[k], 16, 8) + Sp(1);
            if (anajac)
            {
                string assessment = questionable ? Assessment(s.Msgb, q, k) : Sp(13);
                Line(head, assessment);
            }
            else
            {
                double step = input.Stpb is { } stpb && stpb.Length > 0 && stpb[0] > 0
                    ? stpb[k]
                    : DefaultStep(cdjac, s.Neta);
                Line(head, D(step, 13, 5));
            }
        }

        // Explanatory variables.
        var x = input.X;
        if (isodr)
        {
            Line();
            Line(" --- EXPLANATORY VARIABLE AND DELTA WEIGHT SUMMARY:");
            Line();
            if (questionable)
            {
                Line("       INDEX      X(I,J)  DELTA(I,J)    FIXED     SCALE    WEIGHT    DERIVATIVE");
                Line("                                                                     ASSESSMENT");
                Line("       (I,J)                          (IFIXX)    (SCLD)      (WD)              ");
            }
            else if (anajac)
            {
                Line("       INDEX      X(I,J)  DELTA(I,J)    FIXED     SCALE    WEIGHT              ");
                Line("                                                                               ");
                Line("       (I,J)                          (IFIXX)    (SCLD)      (WD)              ");
            }
            else
            {
                Line("       INDEX      X(I,J)  DELTA(I,J)    FIXED     SCALE    WEIGHT    DERIVATIVE");
                Line("                                                                      STEP SIZE");
                Line("       (I,J)                          (IFIXX)    (SCLD)      (WD)        (STPD)");
            }
            Line();
            var delta = s.Delta;
            var tt = s.DeltaScale;
            var wd = s.DeltaWeights;
            for (int j = 0; j < m; j++)
            {
                foreach (int i in FirstAndLast(n))
                {
                    string index = IndexLabel(i == 0 ? "1," : "N,", j + 1, m);
                    string fixedText = input.Ifixx is { } ifixx && ifixx[i * m + j] == 0 ? "  YES" : "   NO";
                    string row = index + D(x[i * m + j], 12, 3) + D(delta[i * m + j], 12, 3) + Sp(4) + A(fixedText, 5)
                        + D(tt[i * m + j], 10, 2) + D(wd.Entry(i, j, j), 10, 2) + Sp(1);
                    if (anajac)
                    {
                        Line(row, questionable && i == 0 ? Assessment(s.Msgd, q, j) : Sp(13));
                    }
                    else
                    {
                        double step = input.Stpd is { } stpd ? stpd[i * m + j] : DefaultStep(cdjac, s.Neta);
                        Line(row, D(step, 13, 5));
                    }
                }
                if (j < m - 1) Line(" ");
            }
        }
        else
        {
            Line();
            Line(" --- EXPLANATORY VARIABLE SUMMARY:");
            Line();
            Line("       INDEX      X(I,J)");
            Line("       (I,J)            ");
            Line();
            for (int j = 0; j < m; j++)
            {
                foreach (int i in FirstAndLast(n))
                {
                    Line(IndexLabel(i == 0 ? "1," : "N,", j + 1, m), D(x[i * m + j], 12, 3));
                }
                if (j < m - 1) Line(" ");
            }
        }

        // Responses and their weights.
        if (!implicitFit)
        {
            var y = input.Y;
            var we = input.We;
            Line();
            Line(" --- RESPONSE VARIABLE AND EPSILON ERROR WEIGHT SUMMARY:");
            Line();
            Line("       INDEX      Y(I,L)      WEIGHT");
            Line("       (I,L)                    (WE)");
            Line();
            for (int l = 0; l < q; l++)
            {
                foreach (int i in FirstAndLast(n))
                {
                    double w = we?.Entry(i, l, l) ?? 1.0;
                    Line(IndexLabel(i == 0 ? "1," : "N,", l + 1, q), D(y[i * q + l], 12, 3), D(w, 12, 3));
                }
                if (l < q - 1) Line(" ");
            }
        }
    }

    /// <summary>DODPC2: the column heading before the first reported iteration, the penalty parameter
    /// at the start of each implicit pass, and one iteration line (with beta in the long report).</summary>
    private void IterationLine(Solver s, int level)
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
            + D(s.CurrentSumOfSquares, 12, 5) + D(s.ActualReduction, 13, 4) + D(s.PredictedReduction, 13, 4)
            + D(s.TauOverPNorm, 11, 3) + Sp(3) + gn;
        if (level == 1)
        {
            Line(head);
            return;
        }
        var beta = s.Beta;
        int np = s.NP;
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

    /// <summary>DODPC3: stopping conditions, final sums of squares, the estimated parameters with
    /// their standard errors and 95% confidence intervals and, in the long report, the estimated
    /// errors epsilon and delta of every observation.</summary>
    private void FinalSummary(Solver s, int level)
    {
        var input = s.Input;
        int n = s.N, m = s.M, q = s.Q, np = s.NP;
        bool isodr = s.IsOdr, implicitFit = s.IsImplicit;
        bool anajac = input.Derivative is DerivativeKind.AnalyticChecked or DerivativeKind.AnalyticUnchecked;
        bool dovcv = input.VarCalc != 2;
        bool redoj = input.VarCalc == 0;
        bool didvcv = s.DidCovariance;
        int info = s.Info;
        int d1 = info / 10000, d2 = info % 10000 / 1000, d3 = info % 1000 / 100, d4 = info % 100 / 10, d5 = info % 10;

        Line();
        Line(" --- STOPPING CONDITIONS:");
        if (info <= 9)
        {
            switch (info)
            {
                case 1:
                    Line("         INFO = ", I(info, 5), " ==> SUM OF SQUARES CONVERGENCE.");
                    break;
                case 2:
                    Line("         INFO = ", I(info, 5), " ==> PARAMETER CONVERGENCE.");
                    break;
                case 3:
                    Line("         INFO = ", I(info, 5), " ==> SUM OF SQUARES CONVERGENCE AND PARAMETER CONVERGENCE.");
                    break;
                case 4:
                    Line("         INFO = ", I(info, 5), " ==> ITERATION LIMIT REACHED.");
                    break;
                default:
                    Line("         INFO = ", I(info, 5), " ==> UNEXPECTED VALUE, PROBABLY INDICATING");
                    Line("                           INCORRECTLY SPECIFIED USER INPUT.");
                    break;
            }
        }
        else if (info <= 9999)
        {
            Line("         INFO = ", I(info, 5, 4));
            Line("              =  ABCD, WHERE A NONZERO VALUE FOR DIGIT A, B, OR C INDICATES WHY");
            Line("                       THE RESULTS MIGHT BE QUESTIONABLE, AND DIGIT D INDICATES");
            Line("                       THE ACTUAL STOPPING CONDITION.");
            if (d2 == 1) Line("                       A=1 ==> DERIVATIVES ARE QUESTIONABLE.");
            if (d3 == 1)
            {
                Line("                       B=1 ==> USER SET ISTOP TO NONZERO VALUE DURING LAST");
                Line("                               CALL TO SUBROUTINE FCN.");
            }
            if (d4 == 1) Line("                       C=1 ==> DERIVATIVES ARE NOT FULL RANK AT THE SOLUTION.");
            if (d4 == 2) Line("                       C=2 ==> DERIVATIVES ARE ZERO RANK AT THE SOLUTION.");
            switch (d5)
            {
                case 1:
                    Line("                       D=1 ==> SUM OF SQUARES CONVERGENCE.");
                    break;
                case 2:
                    Line("                       D=2 ==> PARAMETER CONVERGENCE.");
                    break;
                case 3:
                    Line("                       D=3 ==> SUM OF SQUARES CONVERGENCE AND PARAMETER CONVERGENCE.");
                    break;
                case 4:
                    Line("                       D=4 ==> ITERATION LIMIT REACHED.");
                    break;
                default:
                    Line("                       D=", I(d5, 1), " ==> UNEXPECTED VALUE, PROBABLY INDICATING");
                    Line("                               INCORRECTLY SPECIFIED USER INPUT.");
                    break;
            }
        }
        else
        {
            Line("         INFO = ", I(info, 5, 5));
            Line("              = ABCDE, WHERE A NONZERO VALUE FOR A GIVEN DIGIT INDICATES AN");
            Line("                       ABNORMAL STOPPING CONDITION.");
            if (d1 == 5)
            {
                Line("                       A=5 ==> USER STOPPED COMPUTATIONS IN SUBROUTINE FCN.");
                if (d2 != 0)
                {
                    Line("                       B=", I(d2, 1), " ==> COMPUTATIONS WERE STOPPED DURING THE");
                    Line("                                    FUNCTION EVALUATION.");
                }
                if (d3 == 3)
                {
                    Line("                       C=", I(d3, 1), " ==> COMPUTATIONS WERE STOPPED BECAUSE");
                    Line("                                    DERIVATIVES WITH RESPECT TO DELTA WERE");
                    Line("                                    COMPUTED BY SUBROUTINE FCN WHEN");
                    Line("                                    FIT IS OLS.");
                }
                else if (d3 != 0)
                {
                    Line("                       C=", I(d3, 1), " ==> COMPUTATIONS WERE STOPPED DURING THE");
                    Line("                                    JACOBIAN EVALUATION.");
                }
            }
            else if (d1 == 6)
            {
                Line("                       A=6 ==> NUMERICAL INSTABILITIES HAVE BEEN DETECTED,");
                Line("                               POSSIBLY INDICATING A DISCONTINUITY IN THE");
                Line("                               DERIVATIVES OR A POOR POOR CHOICE OF PROBLEM");
                Line("                               SCALE OR WEIGHTS.");
            }
            else
            {
                Line("                       A=", I(d1, 1), " ==> UNEXPECTED VALUE, PROBABLY INDICATING");
                Line("                               INCORRECTLY SPECIFIED USER INPUT.");
            }
        }

        Line("        NITER = ", I(s.Iterations, 5), "          (NUMBER OF ITERATIONS)");
        Line("         NFEV = ", I(s.FunctionEvaluations, 5), "          (NUMBER OF FUNCTION EVALUATIONS)");
        if (anajac) Line("         NJEV = ", I(s.JacobianEvaluations, 5), "          (NUMBER OF JACOBIAN EVALUATIONS)");
        Line("        IRANK = ", I(s.RankDeficiency, 5), "          (RANK DEFICIENCY)");
        Line("        RCOND = ", D(s.InverseConditionNumber, 12, 2), "   (INVERSE CONDITION NUMBER)");
        Line("        ISTOP = ", I(s.Istop, 5), "          (RETURNED BY USER FROM SUBROUTINE FCN)");

        double wssdel = s.WeightedSumOfSquaresDelta, wsseps = s.WeightedSumOfSquaresEps;
        double wss = s.WeightedSumOfSquares;
        if (implicitFit)
        {
            Line();
            Line(" --- FINAL SUM OF SQUARED WEIGHTED DELTAS = ", Sp(17), D(wssdel, 17, 8));
            Line("         FINAL PENALTY FUNCTION VALUE     = ", D(wss, 17, 8));
            Line("               PENALTY TERM               = ", D(wsseps, 17, 8));
            Line("               PENALTY PARAMETER          = ", D(s.ImplicitPenaltyParameter, 10, 1));
        }
        else
        {
            Line();
            Line(" --- FINAL WEIGHTED SUMS OF SQUARES       = ", Sp(17), D(wss, 17, 8));
            if (isodr)
            {
                Line("         SUM OF SQUARED WEIGHTED DELTAS   = ", D(wssdel, 17, 8));
                Line("         SUM OF SQUARED WEIGHTED EPSILONS = ", D(wsseps, 17, 8));
            }
        }
        if (didvcv)
        {
            Line();
            Line(" --- RESIDUAL STANDARD DEVIATION          = ", Sp(17), D(Math.Sqrt(s.ResidualVariance), 17, 8));
            Line("         DEGREES OF FREEDOM               =", I(s.DegreesOfFreedom, 5));
        }

        var beta = s.Beta;
        var sd = s.Sd;
        var pivot = s.FinalPivot;
        Line();
        Line(" --- ESTIMATED BETA(J), J = 1, ..., NP:");
        if (didvcv)
        {
            Line();
            Line("                     BETA      S.D. BETA    ---- 95%  CONFIDENCE INTERVAL ----");
            Line();
            double tval = StudentT.PercentPoint(0.975, s.DegreesOfFreedom);
            for (int j = 0; j < np; j++)
            {
                int status = j < pivot.Length ? pivot[j] : 1;
                string head = Sp(3) + I(j + 1, 5) + Sp(1) + D(beta[j], 16, 8);
                if (status >= 1)
                {
                    Line(head, Sp(3), D(sd[j], 12, 4), Sp(3), D(beta[j] - tval * sd[j], 16, 8), Sp(1), "TO", D(beta[j] + tval * sd[j], 16, 8));
                }
                else
                {
                    Line(head, Sp(6), status == 0 ? "    FIXED" : "  DROPPED");
                }
            }
            if (!redoj)
            {
                Line();
                Line("     N.B. STANDARD ERRORS AND CONFIDENCE INTERVALS ARE COMPUTED USING");
                Line("          DERIVATIVES CALCULATED AT THE BEGINNING OF THE LAST ITERATION,");
                Line("          AND NOT USING DERIVATIVES RE-EVALUATED AT THE FINAL SOLUTION.");
            }
        }
        else
        {
            if (dovcv)
            {
                Line();
                if (d1 <= 5)
                {
                    Line("     N.B. THE STANDARD ERRORS OF THE ESTIMATED BETAS WERE NOT COMPUTED BECAUSE");
                    Line("          THE DERIVATIVES WERE NOT AVAILABLE.  EITHER MAXIT IS 0 AND THE THIRD");
                    Line("          DIGIT OF JOB IS GREATER THAN 1, OR THE MOST RECENTLY TRIED VALUES OF");
                    Line("          BETA AND/OR X+DELTA WERE IDENTIFIED AS UNACCEPTABLE BY USER SUPPLIED");
                    Line("          SUBROUTINE FCN.");
                }
                else
                {
                    Line("     N.B. THE STANDARD ERRORS OF THE ESTIMATED BETAS WERE NOT COMPUTED.");
                    Line("          (SEE INFO ABOVE.)");
                }
            }
            if ((s.RankDeficiency == 0 && s.Npp == np) || s.Iterations == 0)
            {
                ValueListing(beta, np);
                Line();
                if (s.Iterations >= 1)
                {
                    Line("     N.B. NO PARAMETERS WERE FIXED BY THE USER OR DROPPED AT THE LAST");
                    Line("          ITERATION BECAUSE THEY CAUSED THE MODEL TO BE RANK DEFICIENT.");
                }
                else
                {
                    Line("     N.B. NO CHANGE WAS MADE TO THE USER SUPPLIED PARAMETER VALUES BECAUSE");
                    Line("          MAXIT=0.");
                }
            }
            else
            {
                Line();
                Line("                     BETA         STATUS");
                for (int j = 0; j < np; j++)
                {
                    int status = j < pivot.Length ? pivot[j] : 1;
                    string text = status >= 1 ? "ESTIMATED" : status == 0 ? "    FIXED" : "  DROPPED";
                    Line(Sp(3), I(j + 1, 5), Sp(1), D(beta[j], 16, 8), Sp(6), text);
                }
            }
        }

        if (level == 1) return;

        // Epsilon (unweighted, fitted minus observed; the model values for implicit fits) and delta.
        double[] fs = s.ModelValues.ToArray();
        double[] y = input.Y;
        double[] delta = s.Delta.ToArray();
        double Eps(int i, int l) => implicitFit ? fs[i * q + l] : fs[i * q + l] - y[i * q + l];

        if (implicitFit && m <= 4)
        {
            Line();
            Line(" --- ESTIMATED DELTA(I,*), I = 1, ..., N:");
            Line();
            Line("         I", string.Concat(Enumerable.Range(1, m).Select(j => "      DELTA(I," + I(j, 1) + ")")));
            Line();
            for (int i = 0; i < n; i++) Line(Sp(5), I(i + 1, 5), Row(Enumerable.Range(0, m).Select(j => delta[i * m + j])));
        }
        else if (isodr && q + m <= 4)
        {
            Line();
            Line(" --- ESTIMATED EPSILON(I) AND DELTA(I,*), I = 1, ..., N:");
            Line();
            Line(
                "         I",
                string.Concat(Enumerable.Range(1, q).Select(l => "    EPSILON(I," + I(l, 1) + ")")),
                string.Concat(Enumerable.Range(1, m).Select(j => "      DELTA(I," + I(j, 1) + ")")));
            Line();
            for (int i = 0; i < n; i++)
            {
                int row = i;
                Line(Sp(5), I(i + 1, 5), Row(Enumerable.Range(0, q).Select(l => Eps(row, l)).Concat(Enumerable.Range(0, m).Select(j => delta[row * m + j]))));
            }
        }
        else if (!isodr && q >= 2 && q <= 4)
        {
            Line();
            Line(" --- ESTIMATED EPSILON(I), I = 1, ..., N:");
            Line();
            Line("         I", string.Concat(Enumerable.Range(1, q).Select(l => "    EPSILON(I," + I(l, 1) + ")")));
            Line();
            for (int i = 0; i < n; i++)
            {
                int row = i;
                Line(Sp(5), I(i + 1, 5), Row(Enumerable.Range(0, q).Select(l => Eps(row, l))));
            }
        }
        else
        {
            if (!implicitFit)
            {
                for (int l = 0; l < q; l++)
                {
                    Line();
                    Line(" --- ESTIMATED EPSILON(I,", I(l + 1, 3), "), I = 1, ..., N:");
                    int col = l;
                    ValueListing(Enumerable.Range(0, n).Select(i => Eps(i, col)).ToArray(), n);
                }
            }
            if (isodr)
            {
                for (int j = 0; j < m; j++)
                {
                    Line();
                    Line(" --- ESTIMATED DELTA(I,", I(j + 1, 3), "), I = 1, ..., N:");
                    int col = j;
                    ValueListing(Enumerable.Range(0, n).Select(i => delta[i * m + col]).ToArray(), n);
                }
            }
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
