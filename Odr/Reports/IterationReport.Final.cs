using Odr.Core;
using static Odr.Reports.FortranFormat;

namespace Odr.Reports;

/// <summary>The final summary (DODPC3).</summary>
internal sealed partial class IterationReport
{
    /// <summary>DODPC3: stopping conditions, final sums of squares, the estimated parameters with
    /// their standard errors and 95% confidence intervals and, in the long report, the estimated
    /// errors epsilon and delta of every observation.</summary>
    private void FinalSummary(FitSnapshot s, int level)
    {
        var input = s.Input;
        int n = s.N, m = s.M, q = s.Q, np = s.NP;
        bool isodr = s.IsOdr, implicitFit = s.IsImplicit;
        bool anajac = input.Derivative is DerivativeKind.AnalyticChecked or DerivativeKind.AnalyticUnchecked;
        bool dovcv = input.VarCalc != 2;
        bool redoj = input.VarCalc == 0;
        bool didvcv = s.DidCovariance;
        int info = s.Info.Value;
        int d1 = s.Info.TenThousands, d2 = s.Info.Thousands, d3 = s.Info.Hundreds, d4 = s.Info.Tens, d5 = s.Info.Ones;

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

        var beta = s.Beta.AsSpan();
        var sd = s.Sd.AsSpan();
        var pivot = s.FinalPivot.AsSpan();
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
}
