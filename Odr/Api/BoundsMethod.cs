namespace Odr;

/// <summary>How a fit with bounds on beta (<see cref="ODR.Lower"/>, <see cref="ODR.Upper"/>) keeps the
/// parameters inside the box.</summary>
public enum BoundsMethod
{
    /// <summary>
    /// The default: an active-set trust-region method. After each Jacobian a parameter on a bound whose
    /// gradient of the weighted sum of squares points out of the box is held there, and the
    /// Levenberg-Marquardt step (the deltas eliminated in closed form) is computed without it, so the
    /// step in beta and the step in delta belong together; a step that would still cross a bound is
    /// shortened to the first crossing; a held parameter is released when its gradient points into the
    /// box. The fit ends at a point satisfying the Karush-Kuhn-Tucker conditions: the constrained
    /// optimum. A parameter that ends on a bound is reported in <see cref="Output.Status"/> and is
    /// treated as fixed there for the covariance, standard errors and degrees of freedom (inference
    /// conditional on the bound).
    /// </summary>
    ActiveSet = 0,

    /// <summary>
    /// ODRPACK95's own handling, bit for bit: every trial step is computed as if unbounded and then
    /// clipped onto the box, with the delta step left as it was. Known failure mode: when the optimum
    /// lies on a bound, the clipped step's predicted reduction no longer matches the step, the trust
    /// region shrinks and the fit stops short of the constrained optimum (often reporting convergence),
    /// or gives up with INFO 60000 when it starts on an active bound. Standard errors are computed as if
    /// every parameter were free. Kept for reproducing ODRPACK95's published results.
    /// </summary>
    Odrpack95 = 1,
}

/// <summary>Where a parameter ended, relative to <see cref="ODR.Ifixb"/> and the bounds.</summary>
public enum ParameterStatus
{
    /// <summary>Estimated, strictly inside its bounds (if any).</summary>
    Free = 0,

    /// <summary>Fixed by ifixb, or by lower = upper.</summary>
    Fixed = 1,

    /// <summary>Ended on its lower bound.</summary>
    AtLowerBound = 2,

    /// <summary>Ended on its upper bound.</summary>
    AtUpperBound = 3,
}
