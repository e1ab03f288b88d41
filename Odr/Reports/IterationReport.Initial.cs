using Odr.Core;
using static Odr.Reports.FortranFormat;

namespace Odr.Reports;

/// <summary>The initial summary (DODPC1).</summary>
internal sealed partial class IterationReport
{
    /// <summary>DODPC1: problem size, control values, stopping criteria, initial sums of squares and,
    /// in the long report, the parameter, explanatory variable and response tables.</summary>
    private void InitialSummary(FitSnapshot s, int level, bool restart)
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

        var jobCode = s.Job with { Restart = restart };
        int job = jobCode.Value;
        int job1 = jobCode.Restart ? 1 : 0, job2 = jobCode.InitialDelta ? 1 : 0, job3 = (int)jobCode.Covariance, job4 = (int)jobCode.Derivative, job5 = (int)jobCode.Fit;
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
        var beta = s.Beta.AsSpan();
        var ssf = s.BetaScale.AsSpan();
        for (int k = 0; k < np; k++)
        {
            string fixedText = input.Ifixb is { } ifixb && ifixb[k] == 0 ? "  YES" : "   NO";
            string head = Sp(7) + I(k + 1, 5) + D(beta[k], 16, 8) + Sp(4) + A(fixedText, 5) + D(ssf[0] < 0 ? Math.Abs(ssf[0]) : ssf[k], 16, 8) + Sp(1);
            if (anajac)
            {
                string assessment = questionable ? Assessment(s.Msgb.AsSpan(), q, k) : Sp(13);
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
            var delta = s.Delta.Span;
            var tt = s.DeltaScale.Span;
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
                        Line(row, questionable && i == 0 ? Assessment(s.Msgd.AsSpan(), q, j) : Sp(13));
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
}
