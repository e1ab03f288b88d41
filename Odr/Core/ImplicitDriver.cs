namespace Odr.Core;

/// <summary>
/// DODCNT: ODRPACK's driver for implicit fits (Boggs, Byrd, Donaldson and Schnabel, "Algorithm 676:
/// ODRPACK", ACM TOMS 15(4), 1989, §2; the penalty method of Boggs, Byrd and Schnabel, "A stable and
/// efficient algorithm for nonlinear orthogonal distance regression", SIAM J. Sci. Stat. Comput. 8(6),
/// 1987). An implicit model f(β, x + δ) = 0 is fitted as a sequence of explicit problems whose residuals
/// are f weighted by a penalty; each pass restarts from the previous one with the penalty multiplied by
/// 10, until the penalty reaches 1000 and the parameters stop moving.
/// </summary>
internal sealed partial class Solver
{
    /// <summary>DODDRV for an explicit or OLS fit, DODCNT's penalty passes for an implicit one.
    /// Returns INFO.</summary>
    public int RunFit(ReadOnlySpan<double> startBeta) =>
        isImplicit ? RunPenaltyPasses(startBeta) : Run(startBeta);

    private int RunPenaltyPasses(ReadOnlySpan<double> startBeta)
    {
        const double PenaltyCheck = 1000, PenaltyFactor = 10; // DODCNT's PCHECK, PFAC
        double penalty = input.ImplicitPenalty > 0 ? input.ImplicitPenalty : 10;
        double cnvtol = input.ParTol < 0 ? Math.Pow(Math.Pow(2, -52), 1.0 / 3.0) : Math.Min(input.ParTol, 1.0);
        int maxIterations = input.MaxIt >= 1 ? input.MaxIt : (input.MaxIt == 0 ? 0 : 100);
        bool done = maxIterations == 0;
        double[] passStart = startBeta.ToArray();
        int info = RunImplicitFirstPass(startBeta, cnvtol, maxIterations);
        while (true)
        {
            // DODCNT goes on to the next penalty pass whatever INFO a pass ended with; only a pass
            // that stopped before its iterations (DODDRV's checks, which leave MAXIT1 and TSTIMP
            // unset) ends the fit.
            if (done || (info >= 10000 && !Iterated)) return info;
            int remaining = convergence.MaxIterations - convergence.Iterations; // MAXIT1
            double change = 0; // TSTIMP: the largest relative change of a parameter over the pass
            for (int k = 0; k < np; k++)
            {
                double d = Math.Abs(point.Beta[k] - passStart[k]);
                change = Math.Max(change, point.Beta[k] == 0 ? d / scales.Beta[k] : d / Math.Abs(point.Beta[k]));
            }
            done = remaining <= 0 || (penalty >= PenaltyCheck && change <= cnvtol);
            point.Beta.AsSpan().CopyTo(passStart);
            if (done)
            {
                SetInfoForRestart(new InfoCode(info).WithStop(change <= cnvtol ? 2 : 4).Value);
                return Restart(0, cnvtol);
            }
            penalty *= PenaltyFactor;
            SetImplicitPenalty(penalty);
            SetInfoForRestart(info);
            info = Restart(remaining, cnvtol);
        }
    }

    /// <summary>First pass of an implicit fit (DODCNT): the explicit machinery with the penalty,
    /// the implicit convergence tolerance and the pass's iteration limit.</summary>
    private int RunImplicitFirstPass(ReadOnlySpan<double> startBeta, double convergenceTolerance, int maxIterations)
    {
        convergence.ParTolOverride = convergenceTolerance;
        convergence.MaxItOverride = maxIterations;
        return Run(startBeta);
    }

    /// <summary>Sets the INFO a restart keeps when it has no iterations left (DODCNT's final pass).</summary>
    private void SetInfoForRestart(int info) => Info = info;

    /// <summary>Sets a new implicit penalty before a restart (DODCNT).</summary>
    private void SetImplicitPenalty(double penalty)
    {
        we1 = new BlockWeights(q, diagonal: true, shared: true, BlockWeights.Filled(q, Math.Sqrt(penalty)));
        weIsIdentity = false;
    }
}
