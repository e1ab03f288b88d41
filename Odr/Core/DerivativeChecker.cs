namespace Odr.Core;

/// <summary>
/// The derivative checker (DJCK): compares the user's analytic Jacobians with finite differences at
/// one observation before the fit, as ODRPACK does for JOB digit 2 = 2. The per-derivative work
/// (DJCKM, DJCKZ, DJCKC, DJCKF, DPVB, DPVD) is in <see cref="DerivativeProbe"/>.
/// </summary>
internal sealed partial class Solver
{
    // ODRPACK's MSGB/MSGD: element 0 is the summary (0 all verified, 1 some questionable,
    // 2 some seriously wrong, -1 not checked), then the code of response l and parameter k
    // (input j) at 1 + l + k*q (1 + l + j*q).
    private int[] msgb = new[] { -1 };

    /// <summary>The checker took its Jacobian at beta itself (no bound moved it).</summary>
    private bool checkedAtBeta;
    private int[] msgd = new[] { -1 };
    private double[] derivativeDifferences = Array.Empty<double>();

    /// <summary>
    /// DJCK and the code after it in DODDRV. Returns 0 to go on with the fit (all derivatives
    /// verified, or some only questionable), 40000 + 1000 (fjacb) + 100 (fjacd) when some are
    /// seriously wrong, or 54000 when the model rejected a point of the check.
    /// The Jacobians evaluated here stay, raw, in fjacb/fjacd: the first iteration reuses them.
    /// </summary>
    private int CheckDerivatives(double epsmac)
    {
        double tolerance = Math.Pow(convergence.RelativeError, 0.25);
        convergence.ToleranceDigits = (int)Math.Max(1.0, 0.5 - Math.Log10(tolerance));
        msgb = new int[1 + q * np];
        msgd = new int[1 + q * m];
        derivativeDifferences = new double[q * (np + m)];

        // ODRPACK95: the check runs at a copy of beta moved away from the bounds.
        var checkBeta = (double[])point.Beta.Clone();
        int[] intervals = MoveAwayFromBounds(checkBeta);
        checkedAtBeta = checkBeta.AsSpan().SequenceEqual(point.Beta);

        double[] valuesAtStart = point.TrialValues;
        if (!checkBeta.AsSpan().SequenceEqual(point.Beta))
        {
            valuesAtStart = new double[n * q];
            if (model.Function(checkBeta, point.XPlusDelta, valuesAtStart) != EvaluationStatus.Ok) return StopCheck();

            // ODRPACK95 counts this evaluation in NJEV; it is a function evaluation.
            convergence.FunctionEvaluations++;
        }

        var status = model.JacobianBeta(checkBeta, point.XPlusDelta, point.BetaJacobian);
        if (status == EvaluationStatus.Ok && isOdr) status = model.JacobianX(checkBeta, point.XPlusDelta, point.DeltaJacobian);
        if (status != EvaluationStatus.Ok) return StopCheck();
        convergence.JacobianEvaluations++;

        var probe = new DerivativeProbe(model, m, q, checkBeta, point.XPlusDelta, differenceValues, convergence.CheckRow, convergence.RelativeError, tolerance, epsmac);
        int betaSummary = 0;
        int deltaSummary = 0;
        bool stopped = false;
        for (int l = 0; l < q && !stopped; l++)
        {
            double value = valuesAtStart[convergence.CheckRow * q + l];
            for (int k = 0; k < np && !stopped; k++)
            {
                int slot = 1 + l + k * q;
                if (ifixb[k] == 0)
                {
                    msgb[slot] = -1;
                    continue;
                }
                if (intervals[k] < 1)
                {
                    // The bounds are too close to take any step (ODRPACK95 writes this code at
                    // MSGB(1+J), a slip for the slot of response LQ and parameter J).
                    msgb[slot] = 9;
                    continue;
                }
                double typical = point.Beta[k] == 0 ? 1 / scales.Beta[k] : Math.Abs(point.Beta[k]);
                double forward = Scaling.RelativeStep(central: false, convergence.FunctionDigits, UserBetaStep(k));
                double derivative = point.BetaJacobian[(convergence.CheckRow * q + l) * np + k];
                if (!probe.Check(wrtBeta: true, k, l, typical, forward, forward, value, derivative, intervals[k], out int code, out double difference))
                {
                    stopped = true;
                    break;
                }
                msgb[slot] = code;
                derivativeDifferences[l * (np + m) + k] = difference;
                betaSummary = MergeVerdict(betaSummary, code);
            }

            if (!isOdr || stopped) continue;
            for (int j = 0; j < m; j++)
            {
                int slot = 1 + l + j * q;
                if (IsInputFixed(j))
                {
                    msgd[slot] = -1;
                    continue;
                }
                double xj = point.XPlusDelta[convergence.CheckRow * m + j];
                double typical = xj == 0 ? 1 / scales.Delta[convergence.CheckRow * m + j] : Math.Abs(xj);
                double userStep = input.Stpd?[convergence.CheckRow * m + j] ?? 0;
                double forward = Scaling.RelativeStep(central: false, convergence.FunctionDigits, userStep);
                double centralStep = Scaling.RelativeStep(central: true, convergence.FunctionDigits, userStep);
                double derivative = point.DeltaJacobian[(convergence.CheckRow * q + l) * m + j];
                if (!probe.Check(wrtBeta: false, j, l, typical, forward, centralStep, value, derivative, interval: 111, out int code, out double difference))
                {
                    stopped = true;
                    break;
                }
                msgd[slot] = code;
                derivativeDifferences[l * (np + m) + np + j] = difference;
                deltaSummary = MergeVerdict(deltaSummary, code);
            }
        }
        convergence.FunctionEvaluations += probe.FunctionEvaluations;
        if (stopped) return StopCheck();

        msgb[0] = betaSummary;
        msgd[0] = deltaSummary;

        // DODDRV: seriously wrong derivatives stop the run; questionable ones only show in INFO's
        // 1000 digit at the end (added by Finish).
        if (betaSummary == 2 || deltaSummary == 2) return 40000 + (betaSummary == 2 ? 1000 : 0) + (deltaSummary == 2 ? 100 : 0);
        return 0;
    }

    /// <summary>The model rejected a point during the check: ISTOP, INFO 54000, nothing verified.</summary>
    private int StopCheck()
    {
        convergence.ModelStop = 1;
        msgb[0] = -1;
        msgd[0] = -1;
        return 54000;
    }

    /// <summary>DJCKM's summary flag: 1–6 questionable, 7 and above seriously wrong.</summary>
    private static int MergeVerdict(int summary, int code)
    {
        if (code >= 7) return 2;
        if (code >= 1) return Math.Max(summary, 1);
        return summary;
    }

    /// <summary>DHSTEP's user step for beta: ODRPACK uses STPB only when its first entry is positive.</summary>
    private double UserBetaStep(int k) => input.Stpb is { } stpb && stpb[0] > 0 ? stpb[k] : 0;

    /// <summary>
    /// ODRPACK skips the check of ∂f/∂x_j when IFIXX fixes input j for every observation (an IFIXX
    /// given per input, LDIFX = 1). The solver only sees IFIXX expanded to n·m, so a column that
    /// is zero everywhere stands for that case.
    /// </summary>
    private bool IsInputFixed(int j)
    {
        if (ifixx is null) return false;
        for (int i = 0; i < n; i++)
        {
            if (ifixx[i * m + j] != 0) return false;
        }
        return true;
    }

    /// <summary>
    /// MOVE_BETA (ODRPACK95): moves the parameters of <paramref name="checkBeta"/> away from their
    /// bounds so that the checker's steps stay inside, and returns per parameter which checks the
    /// interval allows: 111 all, hundreds digit 0 no curvature check (DJCKC), tens digit 0 no
    /// recheck of a zero derivative (DJCKZ), 0 none. With infinite bounds nothing moves.
    /// </summary>
    private int[] MoveAwayFromBounds(double[] checkBeta)
    {
        var intervals = new int[np];
        double h1 = Math.Sqrt(convergence.RelativeError);
        double hc1 = Math.Pow(convergence.RelativeError, 1.0 / 3.0);
        for (int k = 0; k < np; k++)
        {
            intervals[k] = 111;
            double lower = input.Lower[k];
            double upper = input.Upper[k];
            double h0 = Scaling.RelativeStep(central: false, convergence.FunctionDigits, UserBetaStep(k));
            double h = Math.Max(10 * h1, Math.Min(100 * h0, 1));
            double hc = Math.Max(10 * hc1, Math.Min(100 * h0, 1));
            double bk = checkBeta[k];
            double typical = bk == 0 ? 1 / scales.Beta[k] : Math.Abs(bk);
            double right = (h * typical * Math.CopySign(1.0, bk) + bk) - bk;
            double left = (hc * typical * Math.CopySign(1.0, bk) + bk) - bk;

            // Outer interval: room for the central differences of the curvature check.
            if (lower + 2 * Math.Abs(left) > upper)
            {
                if (intervals[k] >= 100) intervals[k] -= 100;
            }
            else if (checkBeta[k] + left > upper || checkBeta[k] - left > upper)
            {
                checkBeta[k] = upper - Math.Abs(left);
            }
            else if (checkBeta[k] + left < lower || checkBeta[k] - left < lower)
            {
                checkBeta[k] = lower + Math.Abs(left);
            }

            // Middle interval: room for the larger forward step on both sides.
            if (lower + 2 * Math.Abs(right) > upper)
            {
                if (intervals[k] % 100 >= 10) intervals[k] -= 10;
            }
            else if (checkBeta[k] + right > upper || checkBeta[k] - right > upper)
            {
                checkBeta[k] = upper - Math.Abs(right);
            }
            else if (checkBeta[k] + right < lower || checkBeta[k] - right < lower)
            {
                checkBeta[k] = lower + Math.Abs(right);
            }

            // Inner interval: room for one forward step.
            if (lower + Math.Abs(right) > upper)
            {
                intervals[k] = 0;
            }
            else if (checkBeta[k] + right > upper)
            {
                checkBeta[k] = upper - right;
            }
            else if (checkBeta[k] + right < lower)
            {
                checkBeta[k] = lower - right;
            }
        }
        return intervals;
    }
}
