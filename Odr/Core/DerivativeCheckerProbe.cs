namespace Odr.Core;

/// <summary>
/// Checks one analytic derivative ∂f_l/∂β_k or ∂f_l/∂x_j at one observation against finite
/// differences of the model (ODRPACK's DJCKM with DJCKZ, DJCKC, DJCKF, DPVB and DPVD, adapted from
/// STARPAC). The verdicts are ODRPACK's MSGB/MSGD codes:
/// 0 verified; 1 both zero; 2 one zero, the other nearly zero; 3 one zero, the other not;
/// 4 curvature too high or scale wrong; 5 curvature too high; 6 disagree but with 2 digits in common;
/// 7 seriously wrong; 8 bounds too close to look further.
/// </summary>
internal sealed class DerivativeProbe
{
    private const double Big = 1.0e19;
    private const double TwoDigits = 5.0e-2;

    private readonly ModelEvaluator model;
    private readonly int m;
    private readonly int q;
    private readonly double[] beta;
    private readonly double[] xplusd;
    private readonly int row;
    private readonly double eta;
    private readonly double tolerance;
    private readonly double epsmac;
    private readonly double[] values;

    // The derivative being checked.
    private bool wrtBeta;
    private int index;
    private int response;
    private double typical;
    private double valueAtStart;
    private double derivative;

    // State shared by DJCKM and the routines it calls.
    private int code;
    private double difference;
    private double finiteDifference;
    private double valueAtStep;
    private double firstStep;

    /// <param name="beta">The parameters at which to check; entries are stepped and restored.</param>
    /// <param name="xplusd">x + delta, n·m observation-major; entries are stepped and restored.</param>
    /// <param name="row">The observation checked (NROW, 0-based).</param>
    /// <param name="eta">Relative noise in the model values.</param>
    /// <param name="tolerance">The agreement tolerance, ETA^(1/4).</param>
    /// <param name="values">Scratch for the model values at a stepped point (n·q), written before it is read.</param>
    public DerivativeProbe(ModelEvaluator model, int m, int q, double[] beta, double[] xplusd, double[] values, int row, double eta, double tolerance, double epsmac)
    {
        this.model = model;
        this.m = m;
        this.q = q;
        this.beta = beta;
        this.xplusd = xplusd;
        this.row = row;
        this.eta = eta;
        this.tolerance = tolerance;
        this.epsmac = epsmac;
        this.values = values;
    }

    /// <summary>Successful model evaluations made so far.</summary>
    public int FunctionEvaluations { get; private set; }

    /// <summary>
    /// DJCKM: checks one derivative with three forward-difference steps (the initial one, a larger
    /// one, a smaller one), looking into any disagreement. Returns false when the model rejected a
    /// point (ISTOP).
    /// </summary>
    /// <param name="wrtBeta">True for ∂f/∂β_index, false for ∂f/∂x_index.</param>
    /// <param name="typical">Typical size of the variable (TYPJ).</param>
    /// <param name="forwardStep">Initial relative forward step (H0).</param>
    /// <param name="centralStep">Initial relative central step (HC0).</param>
    /// <param name="value">Model value of this response at the row (PV).</param>
    /// <param name="analytic">The user's derivative (D).</param>
    /// <param name="interval">MOVE_BETA's verdict on the bounds of this parameter (111 for x).</param>
    public bool Check(bool wrtBeta, int index, int response, double typical, double forwardStep, double centralStep, double value, double analytic, int interval, out int verdict, out double relativeDifference)
    {
        this.wrtBeta = wrtBeta;
        this.index = index;
        this.response = response;
        this.typical = typical;
        valueAtStart = value;
        derivative = analytic;
        verdict = code = 7;
        relativeDifference = difference = Big;

        double defaultForward = Math.Sqrt(eta);
        double defaultCentral = Math.Pow(eta, 1.0 / 3.0);
        double h = forwardStep;
        double hc = centralStep;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (attempt == 1)
            {
                h = Math.Max(10 * defaultForward, Math.Min(100 * forwardStep, 1));
                hc = Math.Max(10 * defaultCentral, Math.Min(100 * centralStep, 1));
            }
            else if (attempt == 2)
            {
                h = Math.Min(0.1 * defaultForward, Math.Max(0.01 * h, 2 * epsmac));
                hc = Math.Min(0.1 * defaultCentral, Math.Max(0.01 * hc, 2 * epsmac));
            }

            firstStep = RoundedStep(h * typical);
            if (!TryValueAt(firstStep, out valueAtStep)) return false;
            finiteDifference = (valueAtStep - valueAtStart) / firstStep;
            double gap = Math.Abs(finiteDifference - derivative);

            if (gap <= tolerance * Math.Abs(derivative))
            {
                // Agreement; ODRPACK still tries the other steps, which may only confirm it.
                difference = derivative == 0 || finiteDifference == 0 ? gap : gap / Math.Abs(derivative);
                code = derivative == 0 ? 1 : 0;
                continue;
            }

            // Disagreement: find out why.
            if (derivative == 0 || finiteDifference == 0)
            {
                if (interval >= 10 || !wrtBeta)
                {
                    if (!RecheckZero()) return false;
                }
                else
                {
                    code = 8;
                }
            }
            else if (interval >= 100 || !wrtBeta)
            {
                if (!CheckCurvature(hc)) return false;
            }
            else
            {
                code = 8;
            }
            if (code <= 2) break;
        }

        if (code >= 7 && difference <= TwoDigits) code = 6;
        verdict = code;
        relativeDifference = difference;
        return true;
    }

    /// <summary>DJCKZ: one derivative is zero and the other is not; recheck with a central difference
    /// of step 2·STP0.</summary>
    private bool RecheckZero()
    {
        if (!TryValueAt(-firstStep, out double valueBelow)) return false;
        double centralDifference = (valueAtStep - valueBelow) / (2 * firstStep);
        difference = Math.Min(Math.Abs(centralDifference - derivative), Math.Abs(finiteDifference - derivative));
        if (difference <= tolerance * Math.Abs(derivative))
        {
            code = derivative == 0 ? 1 : 0;
        }
        else if (difference * typical <= Math.Abs(valueAtStart * Math.Pow(epsmac, 1.0 / 3.0)))
        {
            code = 2;
        }
        else
        {
            code = 3;
        }
        return true;
    }

    /// <summary>DJCKC: is high curvature the cause of the disagreement? Estimates the curvature
    /// from a central second difference, tries finite precision (DJCKF), then a smaller step.</summary>
    private bool CheckCurvature(double hc)
    {
        double curvatureStep = RoundedStep(hc * typical);
        if (!TryValueAt(curvatureStep, out double valueAbove)) return false;
        if (!TryValueAt(-curvatureStep, out double valueBelow)) return false;

        double squaredStep = curvatureStep * curvatureStep;
        double curvature = Math.Abs((valueAbove - valueAtStart) + (valueBelow - valueAtStart)) / squaredStep;
        curvature += eta * (Math.Abs(valueAbove) + Math.Abs(valueBelow) + 2 * Math.Abs(valueAtStart)) / squaredStep;

        if (!CheckPrecision(curvature)) return false;
        if (code == 0) return true;

        double step = 2 * Math.Max(tolerance * Math.Abs(derivative) / curvature, epsmac);
        if (step < Math.Abs(10 * firstStep)) step = Math.Min(step, 0.01 * Math.Abs(firstStep));
        if (!TryDifferenceAt(ref step, out double gap)) return false;
        if (gap <= tolerance * Math.Abs(derivative))
        {
            code = 0;
        }
        else if (Math.Abs(step * (finiteDifference - derivative)) < 2 * eta * (Math.Abs(valueAtStart) + Math.Abs(valueAtStep)) + curvature * Math.Pow(epsmac * typical, 2))
        {
            // Finite precision may be the culprit (fudge factor 2).
            code = 5;
        }
        return true;
    }

    /// <summary>DJCKF: is finite precision the cause? Retries with a step sized from the estimated
    /// condition error.</summary>
    private bool CheckPrecision(double curvature)
    {
        double step = eta * (Math.Abs(valueAtStart) + Math.Abs(valueAtStep)) / (tolerance * Math.Abs(derivative));
        if (step > Math.Abs(0.1 * firstStep)) step = Math.Max(step, 100 * Math.Abs(firstStep));
        bool large = step > typical;
        if (large) step = typical;
        if (!TryDifferenceAt(ref step, out double gap)) return false;
        if (gap <= tolerance * Math.Abs(derivative))
        {
            code = 0;
        }
        else if (gap <= Math.Abs(2 * curvature * step) || large)
        {
            // Curvature may be the culprit (fudge factor 2), or the scale is wrong.
            code = large ? 4 : 5;
        }
        return true;
    }

    /// <summary>DJCKC's and DJCKF's retry: rounds <paramref name="step"/> as taken, evaluates there,
    /// and leaves the forward difference and its disagreement with the derivative (the smallest
    /// relative one kept in <c>difference</c>). False when the model rejects the point.</summary>
    private bool TryDifferenceAt(ref double step, out double gap)
    {
        gap = 0;
        step = RoundedStep(step);
        if (!TryValueAt(step, out valueAtStep)) return false;
        finiteDifference = (valueAtStep - valueAtStart) / step;
        gap = Math.Abs(finiteDifference - derivative);
        difference = Math.Min(difference, gap / Math.Abs(derivative));
        return true;
    }

    /// <summary>The step actually taken from the current value of the variable: (s·sign(v) + v) − v.</summary>
    private double RoundedStep(double size)
    {
        double v = CurrentVariable;
        return (size * Math.CopySign(1.0, v) + v) - v;
    }

    private double CurrentVariable => wrtBeta ? beta[index] : xplusd[row * m + index];

    /// <summary>DPVB/DPVD: the model value of the checked response at the row with the variable
    /// moved by <paramref name="step"/>; false when the model rejects the point. ODRPACK evaluates
    /// every row and reads this one; a model declared pure is evaluated at this row alone
    /// (<see cref="ModelEvaluator.FunctionAtRow"/>), which gives the same value, so the same verdict
    /// and fit (a full call per step was most of the check of a small fit). The one difference:
    /// another row that the model would reject at this step (a point within a step of 1e-8 or so of
    /// the start, never visited by the fit) no longer stops the check; a Fortran FCN could set ISTOP
    /// there, a non-finite value there does not touch ODRPACK's check either.</summary>
    private bool TryValueAt(double step, out double value)
    {
        double[] target = wrtBeta ? beta : xplusd;
        int position = wrtBeta ? index : row * m + index;
        double saved = target[position];
        target[position] = saved + step;
        var status = model.FunctionAtRow(beta, xplusd, row, values);
        target[position] = saved;
        value = values[row * q + response];
        if (status != EvaluationStatus.Ok) return false;
        FunctionEvaluations++;
        return true;
    }
}
