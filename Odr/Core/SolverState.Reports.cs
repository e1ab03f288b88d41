namespace Odr.Core;

/// <summary>Read-only views of the solver's state that only the iprint-style reports need.</summary>
internal sealed partial class Solver
{
    /// <summary>The penalty parameter of the current pass of an implicit fit (ODRPACK's
    /// ABS(WE(1,1,1)) inside DODCNT's passes); 0 for explicit fits.</summary>
    public double ImplicitPenaltyParameter
    {
        get
        {
            if (!isImplicit || we1 is null) return 0.0;
            double factor = we1.Entry(0, 0, 0);
            return factor * factor;
        }
    }

    /// <summary>True when the last step was a Gauss-Newton step (Levenberg-Marquardt parameter 0).</summary>
    public bool IsGaussNewtonStep => alpha == 0;

    /// <summary>The trust-region radius relative to the scaled parameter norm (0 when the norm is 0),
    /// the TAU/PNORM column of ODRPACK's iteration reports.</summary>
    public double TauOverPNorm => pnorm != 0 ? tau / pnorm : 0.0;

    /// <summary>The delta weights in use (the identity when none were given).</summary>
    public BlockWeights DeltaWeights => wd;
}
