namespace Odr.Core;

/// <summary>
/// Bounds on beta. Two methods (<see cref="BoundsMethod"/>):
/// <list type="bullet">
/// <item>ODRPACK95's (Zwolak, Boggs and Watson, ACM TOMS 33(4), 2007, algorithm 869): DODMN's loop that
/// clips each trial step onto the box after DODLM/DODSTP computed it as if unbounded
/// (<see cref="ProjectOntoBounds"/>), kept bit for bit.</item>
/// <item>The default active-set trust-region method, which reaches the constrained optimum: the
/// parameters held on a bound are left out of the step as fixed parameters are (ComputeStep puts
/// them after the free columns of the QR), so DODSTP's step in delta is the one that belongs to the
/// step in beta; a step that still crosses a bound is shortened, as a whole (beta and delta), to the
/// first crossing; the set is chosen again at every Jacobian by the sign of the gradient of the
/// weighted sum of squares (Nocedal and Wright, Numerical Optimization, 2nd ed., §16.5 and §18.5 on
/// active-set and projected methods for bound constraints; the KKT conditions are their §12.3).</item>
/// </list>
/// </summary>
internal sealed partial class Solver
{
    /// <summary>True for the active-set method with at least one finite bound on a free parameter;
    /// otherwise the method's code never runs and an unbounded fit is ODRPACK's bit for bit.</summary>
    private readonly bool activeSetBounds;

    /// <summary>Per free (packed) parameter: held on its bound for the current step.</summary>
    private readonly bool[] held;

    private int heldCount;

    /// <summary>Free (packed) parameters that take part in the step: those not held on a bound.</summary>
    private int StepColumns => npp - heldCount;

    /// <summary>The packed index of the r-th parameter that is not held.</summary>
    private int FreeColumn(int r)
    {
        for (int k = 0; k < npp; k++)
        {
            if (!held[k] && r-- == 0) return k;
        }
        throw new InvalidOperationException("No such free column.");
    }

    private bool AtLower(int k) => point.PackedBeta[k] <= lowerPacked[k];

    private bool AtUpper(int k) => point.PackedBeta[k] >= upperPacked[k];

    /// <summary>Half the gradient of the weighted sum of squares with respect to free parameter k at
    /// the current point, Σ fjacb·f over the weighted rows (deltas fixed: at the optimum over delta
    /// this is also the gradient of the problem reduced to beta).</summary>
    private double GradientOfSumOfSquares(int k)
    {
        double g = 0;
        for (int row = 0; row < n * q; row++) g += point.BetaJacobian[(row * np) + k] * point.Residuals[row];
        return g;
    }

    /// <summary>Chooses the held set after a Jacobian at the current point: a parameter on a bound is
    /// held when its gradient points out of the box (or is zero). Returns true when a parameter on a
    /// bound is left free, i.e. released (its gradient points into the box).</summary>
    private bool ChooseHeldSet()
    {
        bool released = false;
        heldCount = 0;
        for (int k = 0; k < npp; k++)
        {
            held[k] = false;
            bool lower = AtLower(k), upper = AtUpper(k);
            if (!lower && !upper) continue;
            double g = GradientOfSumOfSquares(k);
            // Lower bound: a positive gradient means the sum of squares falls as beta[k] goes down.
            bool outward = (lower && g >= 0) || (upper && g <= 0);
            if (outward)
            {
                held[k] = true;
                heldCount++;
            }
            else
            {
                released = true;
            }
        }
        return released;
    }

    /// <summary>The Jacobian in fjacb/fjacd was taken at the current point by
    /// <see cref="ReleasesParameterAtConvergence"/>: the next iteration starts from it.</summary>
    private bool jacobianAtCurrentPoint;

    /// <summary>The Jacobian in fjacb/fjacd was taken at the convergence point and no parameter was
    /// released: the covariance (VarCalc 0) needs no second evaluation there.</summary>
    private bool jacobianAtFinalPoint;

    /// <summary>At a convergence point of an active-set fit with a parameter on a bound: takes the
    /// Jacobian there and chooses the held set again. True when a parameter is released (its gradient
    /// points into the box), so the point is not yet the constrained optimum; its Jacobian is then kept
    /// for the next iteration. A Jacobian that cannot be evaluated leaves the convergence as it is (the
    /// covariance, which needs one too, reports the failure).</summary>
    private bool ReleasesParameterAtConvergence()
    {
        bool onBound = false;
        for (int k = 0; k < npp; k++) onBound |= AtLower(k) || AtUpper(k);
        if (!onBound) return false;
        if (EvaluateJacobian() != EvaluationStatus.Ok) return false;
        jacobianAtCurrentPoint = ChooseHeldSet();
        jacobianAtFinalPoint = !jacobianAtCurrentPoint;
        return jacobianAtCurrentPoint;
    }

    /// <summary>Holds every free parameter that sits on a bound and whose step would leave the box
    /// (zero room to move: the step must be computed again without it). Returns true when it held one.</summary>
    private bool HoldParametersSteppingOut()
    {
        bool any = false;
        for (int k = 0; k < npp; k++)
        {
            if (held[k]) continue;
            if ((point.Step[k] < 0 && AtLower(k)) || (point.Step[k] > 0 && AtUpper(k)))
            {
                held[k] = true;
                heldCount++;
                any = true;
            }
        }
        return any;
    }

    /// <summary>Shortens the step (s and, in ODR fits, t) to the first bound it crosses. Returns the
    /// packed index of the parameter that lands on its bound, or -1 when the step stays inside.</summary>
    private int ShortenStepToBounds()
    {
        double fraction = 1;
        int hit = -1;
        for (int k = 0; k < npp; k++)
        {
            double target = point.PackedBeta[k] + point.Step[k];
            double room;
            if (target < lowerPacked[k]) room = (lowerPacked[k] - point.PackedBeta[k]) / point.Step[k];
            else if (target > upperPacked[k]) room = (upperPacked[k] - point.PackedBeta[k]) / point.Step[k];
            else continue;
            if (room < fraction)
            {
                fraction = room;
                hit = k;
            }
        }
        if (hit < 0) return -1;
        for (int k = 0; k < npp; k++) point.Step[k] *= fraction;
        if (isOdr)
        {
            for (int i = 0; i < n * m; i++) point.DeltaStep[i] *= fraction;
        }
        return hit;
    }

    /// <summary>betan = betac + s for the active-set method: the parameter that the shortened step
    /// brings to a bound lands on it exactly, and rounding never leaves the box.</summary>
    private void TrialParametersInsideBounds(int hit)
    {
        for (int k = 0; k < npp; k++)
        {
            double b = point.PackedBeta[k] + point.Step[k];
            if (k == hit) b = point.Step[k] < 0 ? lowerPacked[k] : upperPacked[k];
            else if (b >= lowerPacked[k] && b <= upperPacked[k]) continue; // betan = betac + s already
            point.TrialBeta[k] = Math.Clamp(b, lowerPacked[k], upperPacked[k]);
            point.Step[k] = point.TrialBeta[k] - point.PackedBeta[k];
        }
    }

    /// <summary>At the end of an active-set fit: the parameters on a bound are held, so that the
    /// covariance treats them as fixed (inference conditional on the bound).</summary>
    private void HoldParametersOnBounds()
    {
        heldCount = 0;
        for (int k = 0; k < npp; k++)
        {
            held[k] = AtLower(k) || AtUpper(k);
            if (held[k]) heldCount++;
        }
    }

    /// <summary>Per parameter (full index): free, fixed, or on its lower or upper bound at the end.</summary>
    public ParameterStatus[] ParameterStatuses()
    {
        var status = new ParameterStatus[np];
        for (int k = 0; k < np; k++)
        {
            if (ifixb[k] == 0) status[k] = ParameterStatus.Fixed;
            else if (point.Beta[k] <= input.Lower[k]) status[k] = ParameterStatus.AtLowerBound;
            else if (point.Beta[k] >= input.Upper[k]) status[k] = ParameterStatus.AtUpperBound;
        }
        return status;
    }

    /// <summary>ODRPACK95's DODMN: projects the trial parameters into the bounds (used by
    /// <see cref="BoundsMethod.Odrpack95"/>, and as a no-op by unbounded fits). The delta step t is
    /// left as computed for the unclipped s; BOUND is written and never read, as in ODRPACK95.</summary>
    private void ProjectOntoBounds()
    {
        for (int i = 0; i < npp; i++)
        {
            if (lowerPacked[i] == upperPacked[i])
            {
                point.TrialBeta[i] = upperPacked[i];
                point.Step[i] = upperPacked[i] - point.PackedBeta[i];
                bound[i] = 3;
            }
            else if (point.TrialBeta[i] <= lowerPacked[i])
            {
                point.TrialBeta[i] = lowerPacked[i];
                point.Step[i] = lowerPacked[i] - point.PackedBeta[i];
                bound[i] = 2;
            }
            else if (point.TrialBeta[i] >= upperPacked[i])
            {
                point.TrialBeta[i] = upperPacked[i];
                point.Step[i] = upperPacked[i] - point.PackedBeta[i];
                bound[i] = 1;
            }
            else
            {
                bound[i] = 0;
            }
        }
    }
}
