namespace Odr.Core;

/// <summary>DODMN: the main loop of a run (Levenberg-Marquardt iterations with the trust-region
/// update and the stopping tests) and its completion (covariance, final sums, INFO).</summary>
internal sealed partial class Solver
{
    /// <summary>
    /// DODMN: the Levenberg-Marquardt main loop, then the covariance. Returns INFO.
    /// <para>The algorithm (Boggs, Byrd and Schnabel, "A stable and efficient algorithm for nonlinear
    /// orthogonal distance regression", SIAM J. Sci. Stat. Comput. 8(6), 1987; Boggs, Byrd, Rogers and
    /// Schnabel, "User's Reference Guide for ODRPACK Version 2.01", NISTIR 4834, 1992, §4): minimize
    /// S(β, δ) = Σᵢ εᵢᵀWEᵢεᵢ + δᵢᵀWDᵢδᵢ, εᵢ = f(xᵢ + δᵢ; β) − yᵢ, over β and all δ. Each outer
    /// iteration takes the Jacobians at the current point; the inner loop finds the trust-region step
    /// (s for β, t for δ) of radius τ by the Levenberg-Marquardt parameter α (DODLM), where each
    /// observation's δ block is eliminated in closed form so that only an (n·q) × p least-squares
    /// problem is factored (DODSTP); the step is accepted when the actual reduction of S is at least
    /// 1e-4 of the predicted one; τ shrinks after poor steps and doubles after good ones (a doubled
    /// step that does worse falls back to the saved one). Convergence: relative reductions of S below
    /// sstol (INFO 1) or τ below partol relative to the scaled parameters (INFO 2). Bounds on β
    /// (<see cref="BoundsMethod"/>) enter at three places: the held set after each Jacobian, the step's
    /// shortening to the box, and a check of the held set at convergence (Bounds.cs).</para>
    /// </summary>
    private int Iterate(bool restart)
    {
        Iterated = true;
        int info = 0;
        region.ResidualNorm = Math.Sqrt(final.WssEps + final.WssDelta);
        bool intdbl = false;
        bool lstep = true;
        double ratio = 0, dirder = 0, tsnorm = 0, rnormn = 0;
        int nlms;
        final.DidCovariance = false;
        jacobianAtCurrentPoint = jacobianAtFinalPoint = false;

        Observer?.Initial(Snapshot());

        bool skipLoop = false;
        if (region.ResidualNorm == 0)
        {
            info = 1;
            region.LmSteps = 0;
            convergence.ModelStop = 0;
            skipLoop = true;
        }
        else if (convergence.Iterations >= convergence.MaxIterations)
        {
            info = restart ? Info : 4;
            convergence.ModelStop = 0;
            skipLoop = true;
        }

        if (!skipLoop)
        {
            while (true)
            {
                // Start of an outer iteration: a new Jacobian at the current best point.
                Cancellation.ThrowIfCancellationRequested();
                convergence.Iterations++;
                model.Iteration = convergence.Iterations;
                region.SavedResidualNorm = region.ResidualNorm;
                int looped = 0;
                if (jacobianAtCurrentPoint)
                {
                    // The bound check at a convergence point took this Jacobian and chose the held set.
                    jacobianAtCurrentPoint = false;
                }
                else
                {
                    if (convergence.Iterations == 1 && analytic && check && !restart && CheckerJacobianServesFirstIteration())
                    {
                        // The checker's Jacobian at beta, packed and weighted as DEVJAC leaves one.
                        PackAndWeightJacobians();
                    }
                    else if (!(convergence.Iterations == 1 && analytic && check && !restart && OdrpackFirstJacobian))
                    {
                        var status = EvaluateJacobian();
                        if (status != EvaluationStatus.Ok)
                        {
                            convergence.ModelStop = 1;
                            return Finish(51000, stopped: true);
                        }
                    }
                    if (activeSetBounds) ChooseHeldSet();
                }

                while (true)
                {
                    // Compute a step; repeated when a step fails or is doubled.
                    if (looped > 100) return Finish(60000, stopped: true);
                    looped++;
                    Cancellation.ThrowIfCancellationRequested();
                    int stopCode = TrustRegionStep(out nlms);
                    if (stopCode != 0) return Finish(stopCode, stopped: true);
                    int boundHit = -1;
                    if (activeSetBounds)
                    {
                        // A parameter on a bound whose step leaves the box is held and the step
                        // computed again without it; then the step is shortened to the first bound.
                        while (HoldParametersSteppingOut())
                        {
                            stopCode = TrustRegionStep(out nlms);
                            if (stopCode != 0) return Finish(stopCode, stopped: true);
                        }
                        boundHit = ShortenStepToBounds();
                    }
                    region.LmSteps += nlms;

                    for (int k = 0; k < npp; k++) point.TrialBeta[k] = point.PackedBeta[k] + point.Step[k];
                    if (activeSetBounds) TrialParametersInsideBounds(boundHit);
                    else ProjectOntoBounds();

                    // Trial deltas, x + delta, the scaled step length and the predicted reduction
                    // (the linearized residuals' sum of squares).
                    double sumLinear = TrialPoint(out tsnorm);
                    double temp1 = Math.Sqrt(sumLinear) / region.ResidualNorm;
                    double temp2 = Math.Sqrt(region.LmParameter) * tsnorm / region.ResidualNorm;
                    region.PredictedReduction = temp1 * temp1 + temp2 * temp2 / P5;
                    dirder = -(temp1 * temp1 + temp2 * temp2);

                    // Evaluate the model at the trial point.
                    UnpackBeta(point.TrialBeta);
                    convergence.ModelStop = 0;
                    var trial = model.Function(point.Beta, point.XPlusDelta, point.TrialValues);
                    fnBehind = false;
                    trialResidualsReady = false;
                    if (trial == EvaluationStatus.Ok)
                    {
                        convergence.FunctionEvaluations++;
                        rnormn = Math.Sqrt(TrialSumOfSquares());
                        trialResidualsReady = true;
                    }
                    else
                    {
                        convergence.ModelStop = 1;
                        rnormn = region.ResidualNorm / (P1 * P75);
                    }

                    region.ActualReduction = P1 * rnormn < region.ResidualNorm ? 1.0 - (rnormn / region.ResidualNorm) * (rnormn / region.ResidualNorm) : -1.0;
                    ratio = region.PredictedReduction == 0 ? 0.0 : region.ActualReduction / region.PredictedReduction;

                    if (intdbl && (ratio < P0001 || rnormn > region.SavedResidualNorm))
                    {
                        // The doubled step was worse: go back to the saved one.
                        convergence.ModelStop = 0;
                        region.Tau *= P5;
                        region.LmParameter /= P5;
                        point.SavedBeta.AsSpan().CopyTo(point.TrialBeta);
                        point.SavedDelta.AsSpan().CopyTo(point.TrialDelta);
                        point.Values.AsSpan().CopyTo(point.TrialValues);
                        trialResidualsReady = false;
                        region.ActualReduction = region.SavedActualReduction;
                        region.PredictedReduction = region.SavedPredictedReduction;
                        rnormn = region.SavedResidualNorm;
                        ratio = P5;
                        boundHit = -1; // the saved step was not cut short (such steps are not doubled)
                    }
                    intdbl = false;

                    // Update the trust region.
                    if (ratio < P25)
                    {
                        double temp = region.ActualReduction >= 0 ? P5 : P5 * dirder / (dirder + P5 * region.ActualReduction);
                        if (P1 * rnormn >= region.ResidualNorm || temp < P1) temp = P1;
                        region.Tau = temp * Math.Min(region.Tau, tsnorm / P1);
                        region.LmParameter /= temp;
                    }
                    else if (boundHit >= 0)
                    {
                        // A good step cut short by a bound: the trust region stays as it was (its
                        // radius was not what limited the step), and the step is not doubled.
                    }
                    else if (region.LmParameter == 0)
                    {
                        region.Tau = tsnorm / P5;
                    }
                    else if (ratio >= P75 && nlms <= 11)
                    {
                        // Good step: try doubling it, keeping this one in reserve.
                        intdbl = true;
                        region.Tau = tsnorm / P5;
                        region.LmParameter *= P5;
                        point.TrialBeta.AsSpan().CopyTo(point.SavedBeta);
                        point.TrialDelta.AsSpan().CopyTo(point.SavedDelta);
                        point.TrialValues.AsSpan().CopyTo(point.Values);
                        region.SavedActualReduction = region.ActualReduction;
                        region.SavedPredictedReduction = region.PredictedReduction;
                        region.SavedResidualNorm = rnormn;
                    }

                    if (intdbl && region.Tau > 0)
                    {
                        region.Doublings++;
                        continue;
                    }

                    if (ratio >= P0001)
                    {
                        // Accept the step. The trial arrays become the current ones (a swap, not a
                        // copy: the next trial overwrites fn and deltan completely).
                        (point.Values, point.TrialValues) = (point.TrialValues, point.Values);
                        fnBehind = true;
                        if (trialResidualsReady) (point.Residuals, trialResiduals) = (trialResiduals, point.Residuals); // WE1 (fs - y) is formed already
                        else ResidualsFromModelValues(point.Values, point.Residuals);
                        point.TrialBeta.AsSpan().CopyTo(point.PackedBeta);
                        if (isOdr) (point.Delta, point.TrialDelta) = (point.TrialDelta, point.Delta);
                        region.ResidualNorm = rnormn;
                        region.ParameterNorm = trialResidualsReady && region.TrialParameterNormReady ? region.TrialParameterNorm : ScaledNorm(point.PackedBeta, isOdr ? point.Delta : null);
                        lstep = true;
                    }
                    else
                    {
                        lstep = false;
                    }

                    info = 0;
                    bool cnvss = region.ResidualNorm == 0 || (Math.Abs(region.ActualReduction) <= convergence.SsTolerance && region.PredictedReduction <= convergence.SsTolerance && P5 * ratio <= 1.0);
                    bool cnvpar = region.Tau <= convergence.ParTolerance * region.ParameterNorm && !isImplicit;
                    if (boundHit >= 0 && region.ResidualNorm != 0)
                    {
                        // A step cut short by a bound is small because of the bound, not because the
                        // fit converged: the next Jacobian decides whether the parameter stays there.
                        cnvss = cnvpar = false;
                    }
                    if (cnvss) info = 1;
                    if (cnvpar) info = 2;
                    if (cnvss && cnvpar) info = 3;
                    if (info != 0 && activeSetBounds && ReleasesParameterAtConvergence())
                    {
                        // A parameter on a bound now has its gradient pointing into the box: the point
                        // is not the constrained optimum, so the iterations go on without it held.
                        info = 0;
                        lstep = true;
                    }

                    if (info != 0 || lstep)
                    {
                        UnpackBeta(point.PackedBeta);
                        Observer?.Iteration(IterationSnapshot());
                    }

                    if (info != 0) break;
                    if (lstep) break;
                }

                if (info != 0) break;
                if (convergence.Iterations >= convergence.MaxIterations)
                {
                    info = 4;
                    jacobianAtCurrentPoint = false;
                    break;
                }
            }
        }

        // Label 150 of DODMN: final residuals, then the covariance matrix.
        if (convergence.ModelStop > 0) info += 100;
        return Finish(info, stopped: false);
    }

    /// <summary>Completion of DODMN (labels 150 and 200): covariance, final sums of squares, INFO digits.</summary>
    private int Finish(int info, bool stopped)
    {
        if (!stopped)
        {
            UnpackBeta(point.PackedBeta);
            for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + point.Delta[i];
            if (activeSetBounds) HoldParametersOnBounds();
            if (doCovariance && convergence.ModelStop == 0)
            {
                bool ok = true;
                if (redoJacobian && !jacobianAtFinalPoint) // (the bound check at convergence may have taken it)
                {
                    if (EvaluateJacobian() != EvaluationStatus.Ok)
                    {
                        convergence.ModelStop = 1;
                        info = 51000;
                        ok = false;
                    }
                }
                if (ok && (redoJacobian || convergence.Iterations >= 1))
                {
                    ResidualsFromModelValues(point.Values, point.Residuals);
                    double rss = isImplicit ? DeltaSumOfSquares(point.Delta) : region.ResidualNorm * region.ResidualNorm;
                    int code = ComputeCovariance(rss);
                    if (code != 0) info = code;
                    else final.DidCovariance = true;
                }
            }
        }

        // Rank bookkeeping for the report: which parameters were dropped.
        final.FinalPivot = new int[np];
        for (int k = 0; k < np; k++) final.FinalPivot[k] = ifixb[k] == 0 ? 0 : 1;
        if (redoJacobian || convergence.Iterations >= 1)
        {
            int[] packedFlags = new int[npp];
            for (int i = 0; i < npp; i++) packedFlags[kpvt[i]] = i <= StepColumns - final.RankDeficiency - 1 ? 1 : (i < StepColumns ? -1 : 0);
            for (int k = 0; k < npp; k++) final.FinalPivot[packedIndex[k]] = packedFlags[k];
        }

        region.LmSteps = convergence.Iterations >= 1 ? region.LmSteps / convergence.Iterations : 0.0;
        UnpackBeta(point.PackedBeta);
        for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + point.Delta[i];

        // Final weighted sums of squares from the current model values.
        ResidualsFromModelValues(point.Values, point.Residuals);
        final.WssEps = SumOfSquares(point.Residuals);
        final.WssDelta = isOdr ? DeltaSumOfSquares(point.Delta) : 0.0;

        if (info <= 9 || info >= 60000)
        {
            if (msgb[0] == 1 || msgd[0] == 1) info += 1000;
            if (convergence.ModelStop != 0) info += 100;
            if (final.RankDeficiency >= 1) info += npp > final.RankDeficiency ? 10 : 20;
        }
        Info = info;
        Observer?.Final(Snapshot());
        return info;
    }
}
