namespace Odr.Core;

/// <summary>Jacobians: DEVJAC (analytic or finite differences, then fixed parameters packed out and
/// weights applied), DJACFD (forward), DJACCD (central) and DETAF (noise in the model values).</summary>
internal sealed partial class Solver
{
    /// <summary>DEVJAC: Jacobians at the current point (betac, delta); fjacb ends packed and weighted,
    /// fjacd weighted.</summary>
    private EvaluationStatus EvaluateJacobian()
    {
        UnpackBeta(point.PackedBeta);
        for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + point.Delta[i];
        EvaluationStatus status;
        if (analytic)
        {
            status = model.JacobianBeta(point.Beta, point.XPlusDelta, point.BetaJacobian);
            if (status == EvaluationStatus.Ok && isOdr) status = model.JacobianX(point.Beta, point.XPlusDelta, point.DeltaJacobian);
            if (status != EvaluationStatus.Ok) return status;
            convergence.JacobianEvaluations++;
            ZeroFixedInputColumns();
        }
        else
        {
            try
            {
                status = central ? CentralDifferences() : ForwardDifferences();
            }
            catch (OperationCanceledException)
            {
                // Cancelled between two of the differences' model calls: leave beta and x + delta as
                // they were (unstepped), so that a Restart continues from a consistent point.
                UnpackBeta(point.PackedBeta);
                for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + point.Delta[i];
                throw;
            }
            if (status != EvaluationStatus.Ok) return status;
        }
        PackAndWeightJacobians();
        return EvaluationStatus.Ok;
    }

    /// <summary>DEVJAC for analytic derivatives: the columns of fixed inputs (ifixx) in fjacd are zero.</summary>
    private void ZeroFixedInputColumns()
    {
        if (!isOdr || ifixx == null) return;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (ifixx[i * m + j] != 0) continue;
                for (int l = 0; l < q; l++) point.DeltaJacobian[(i * q + l) * m + j] = 0;
            }
        }
    }

    /// <summary>DEVJAC after the evaluation: the free columns of fjacb packed to the front and WE1
    /// applied to both Jacobians (nothing to do when every parameter is free and WE is the identity:
    /// multiplying by 1 changes no bit).</summary>
    private void PackAndWeightJacobians()
    {
        if (npp != np || !weIsIdentity) RunOverObservations(JobWeightJacobians);
    }

    /// <summary>
    /// Whether the first iteration of a fit with checked analytic derivatives takes the Jacobian the
    /// checker (DJCK) evaluated, made ready as DEVJAC leaves one (fixed inputs zeroed, then packed and
    /// weighted by the caller). ODRPACK (2.01 and 95) skips DEVJAC there and uses the checker's FJACB
    /// and FJACD as they are: not weighted by WE, not packed by IFIXB, and with ODRPACK95 taken at the
    /// point the checker moved away from the bounds. Its first step is then wrong whenever WE is not
    /// the identity or a parameter is fixed (with weights of 1e-10 the fit stops at beta0 with
    /// "parameter convergence"). Odr uses the checker's Jacobian when it was taken at beta and
    /// evaluates a fresh one otherwise; the compatibility method <see cref="BoundsMethod.Odrpack95"/>
    /// keeps ODRPACK's behaviour.
    /// </summary>
    private bool OdrpackFirstJacobian => input.Bounds == BoundsMethod.Odrpack95 || input.OdrpackCheckedFirstJacobian;

    private bool CheckerJacobianServesFirstIteration()
    {
        if (OdrpackFirstJacobian || !checkedAtBeta) return false;
        ZeroFixedInputColumns();
        return true;
    }

    /// <summary>DEVJAC's packing and weighting for observations [i0, i1).</summary>
    private bool WeightJacobianRows(int i0, int i1, ChunkScratch w)
    {
        Span<double> scratch = w.VecQ;
        for (int i = i0; i < i1; i++)
        {
            for (int l = 0; l < q; l++)
            {
                var row = point.BetaJacobian.AsSpan((i * q + l) * np, np);
                for (int k = 0; k < npp; k++) row[k] = row[packedIndex[k]];
            }
            we1.MultiplyColumns(i, point.BetaJacobian.AsSpan(i * q * np, q * np), np, scratch);
            if (isOdr) we1.MultiplyColumns(i, point.DeltaJacobian.AsSpan(i * q * m, q * m), m, scratch);
        }
        return true;
    }

    /// <summary>Observations per block of the fused forward differences: a block's model values stay
    /// in the first-level cache between the evaluation and the difference quotients.</summary>
    private const int DifferenceBlock = 512;

    // The fused forward differences' plan: beta stepped in each free parameter, the steps, and which
    // inputs have free deltas (some fixed: per-observation check).
    private double[][] stepBetas = Array.Empty<double[]>();
    private double[] stepSizes = Array.Empty<double>();
    private bool[] inputFree = Array.Empty<bool>();
    private bool[] inputSomeFixed = Array.Empty<bool>();

    /// <summary>DJACFD: forward-difference Jacobians around fs. A pointwise model is differenced block
    /// by block of observations (every parameter's and input's evaluation of a block, then its quotients,
    /// while it is in cache; blocks in parallel): the same values as the column-by-column pass, which
    /// still runs for other models and, to report the failure ODRPACK would, when an evaluation fails.</summary>
    private EvaluationStatus ForwardDifferences()
    {
        if (model.EvaluatesSubsets && PlanForwardDifferences(out int evaluations))
        {
            // Blocks on several threads only for a model declared pure; the user's other callbacks
            // are called from one thread at a time (ODR.ParallelModelEvaluation).
            bool done = model.ConcurrentSubsets
                ? RunOverObservations(JobForwardDifferences)
                : ForwardDifferenceRows(0, n, serialDifferenceScratch ??= new ChunkScratch(n, m, q, np));
            if (done)
            {
                convergence.FunctionEvaluations += evaluations;
                return EvaluationStatus.Ok;
            }
        }
        return ForwardDifferencesByColumn();
    }

    /// <summary>The fused forward differences' buffers when they run on the calling thread.</summary>
    private ChunkScratch? serialDifferenceScratch;

    /// <summary>Makes every call of the user's model check <paramref name="cancellation"/> first (the
    /// derivative checker, finite differences and chunked calls included), so that a cancelled fit
    /// returns within one model call.</summary>
    internal void CancelModelCallsWith(CancellationToken cancellation) => model.Cancellation = cancellation;

    /// <summary>The steps of DJACFD for every free parameter; false when a step cannot stay inside the
    /// bounds (the column-by-column pass then reports it at the same evaluation as ODRPACK).</summary>
    private bool PlanForwardDifferences(out int evaluations)
    {
        evaluations = 0;
        if (stepBetas.Length != np)
        {
            stepBetas = new double[np][];
            for (int k = 0; k < np; k++) stepBetas[k] = new double[np];
            stepSizes = new double[np];
            inputFree = new bool[m];
            inputSomeFixed = new bool[m];
        }
        for (int k = 0; k < np; k++)
        {
            if (ifixb[k] == 0) continue;
            if (!TryForwardStep(k, out double stepped, out double h)) return false;
            point.Beta.AsSpan().CopyTo(stepBetas[k]);
            stepBetas[k][k] = stepped;
            stepSizes[k] = h;
            evaluations++;
        }
        if (isOdr)
        {
            for (int j = 0; j < m; j++)
            {
                inputFree[j] = InputHasFreeDelta(j, out inputSomeFixed[j]);
                if (inputFree[j]) evaluations++;
            }
        }
        return true;
    }

    /// <summary>DJACFD's step for parameter k: beta[k] + h, turned around at an upper and then a lower
    /// bound; false when neither direction stays inside the box.</summary>
    private bool TryForwardStep(int k, out double stepped, out double h)
    {
        double betak = point.Beta[k];
        double step = Scaling.BetaStep(central: false, betak, scales.Beta[k], convergence.FunctionDigits, input.Stpb?[k] ?? 0);
        h = (betak + step) - betak;
        stepped = betak + h;
        if (stepped > input.Upper[k])
        {
            step = -step;
            h = (betak + step) - betak;
            stepped = betak + h;
        }
        if (stepped < input.Lower[k])
        {
            step = -step;
            h = (betak + step) - betak;
            stepped = betak + h;
            if (stepped > input.Upper[k]) return false;
        }
        return true;
    }

    /// <summary>The fused forward differences for observations [i0, i1). False when an evaluation
    /// failed or threw (the caller then redoes the Jacobian column by column).</summary>
    private bool ForwardDifferenceRows(int i0, int i1, ChunkScratch w)
    {
        var values = w.Values;
        try
        {
            for (int c0 = i0; c0 < i1; c0 += DifferenceBlock)
            {
                int c1 = Math.Min(c0 + DifferenceBlock, i1), count = c1 - c0;
                for (int k = 0; k < np; k++)
                {
                    if (ifixb[k] == 0)
                    {
                        for (int row = c0 * q; row < c1 * q; row++) point.BetaJacobian[row * np + k] = 0;
                        continue;
                    }
                    if (model.FunctionOf(stepBetas[k], w.Beta, point.XPlusDelta, c0, count, values) != EvaluationStatus.Ok) return false;
                    double h = stepSizes[k];
                    for (int row = c0 * q; row < c1 * q; row++) point.BetaJacobian[row * np + k] = (values[row - c0 * q] - point.Values[row]) / h;
                }
                if (!isOdr) continue;
                for (int j = 0; j < m; j++)
                {
                    if (!inputFree[j])
                    {
                        for (int i = c0; i < c1; i++)
                        {
                            for (int l = 0; l < q; l++) point.DeltaJacobian[(i * q + l) * m + j] = 0;
                        }
                        continue;
                    }
                    EvaluationStatus status;
                    StepInput(j, central: false, c0, c1);
                    try
                    {
                        status = model.FunctionOf(point.Beta, w.Beta, point.XPlusDelta, c0, count, values);
                    }
                    finally
                    {
                        RestoreXPlusD(j, c0, c1);
                    }
                    if (status != EvaluationStatus.Ok) return false;
                    bool someFixed = inputSomeFixed[j];
                    for (int i = c0; i < c1; i++)
                    {
                        bool fixedHere = someFixed && ifixx![i * m + j] == 0;
                        for (int l = 0; l < q; l++)
                        {
                            int row = i * q + l;
                            point.DeltaJacobian[row * m + j] = fixedHere ? 0 : (values[row - c0 * q] - point.Values[row]) / inputSteps[i];
                        }
                    }
                }
            }
            return true;
        }
        catch (Exception)
        {
            // Reported by the column-by-column pass, which meets the failure in ODRPACK's order.
            return false;
        }
    }

    /// <summary>DJACFD column by column: each parameter's, then each input's evaluation over all observations.</summary>
    private EvaluationStatus ForwardDifferencesByColumn()
    {
        for (int k = 0; k < np; k++)
        {
            if (ifixb[k] == 0)
            {
                for (int row = 0; row < n * q; row++) point.BetaJacobian[row * np + k] = 0;
                continue;
            }
            double betak = point.Beta[k];
            if (!TryForwardStep(k, out double stepped, out double h)) return EvaluationStatus.Rejected;
            point.Beta[k] = stepped;
            var status = model.Function(point.Beta, point.XPlusDelta, differenceValues);
            point.Beta[k] = betak;
            if (status != EvaluationStatus.Ok) return status;
            convergence.FunctionEvaluations++;
            for (int row = 0; row < n * q; row++) point.BetaJacobian[row * np + k] = (differenceValues[row] - point.Values[row]) / h;
        }

        if (!isOdr) return EvaluationStatus.Ok;
        for (int j = 0; j < m; j++)
        {
            if (!InputHasFreeDelta(j, out bool someFixed))
            {
                ZeroDeltaColumn(j);
                continue;
            }
            StepInput(j, central: false);
            var status = model.Function(point.Beta, point.XPlusDelta, differenceValues);
            RestoreXPlusD(j);
            if (status != EvaluationStatus.Ok) return status;
            convergence.FunctionEvaluations++;
            for (int i = 0; i < n; i++)
            {
                bool fixedHere = someFixed && ifixx![i * m + j] == 0;
                for (int l = 0; l < q; l++)
                {
                    int row = i * q + l;
                    point.DeltaJacobian[row * m + j] = fixedHere ? 0 : (differenceValues[row] - point.Values[row]) / inputSteps[i];
                }
            }
        }
        return EvaluationStatus.Ok;
    }

    /// <summary>DJACCD: central-difference Jacobians.</summary>
    private EvaluationStatus CentralDifferences()
    {
        var plus = centralPlusValues;
        for (int k = 0; k < np; k++)
        {
            if (ifixb[k] == 0)
            {
                for (int row = 0; row < n * q; row++) point.BetaJacobian[row * np + k] = 0;
                continue;
            }
            double betak = point.Beta[k];
            double h = (betak + Scaling.BetaStep(central: true, betak, scales.Beta[k], convergence.FunctionDigits, input.Stpb?[k] ?? 0)) - betak;
            double lower = input.Lower[k], upper = input.Upper[k];
            double bplus = betak + h;
            if (bplus > upper) bplus = upper;
            else if (bplus < lower) bplus = lower;
            if (bplus - 2 * h < lower) bplus = lower + 2 * h;
            else if (bplus - 2 * h > upper) bplus = upper + 2 * h;
            if (bplus > upper || bplus < lower)
            {
                point.Beta[k] = betak;
                return EvaluationStatus.Rejected;
            }

            point.Beta[k] = bplus;
            if (bplus == betak) point.Values.AsSpan().CopyTo(plus);
            else
            {
                var status = model.Function(point.Beta, point.XPlusDelta, plus);
                if (status != EvaluationStatus.Ok) { point.Beta[k] = betak; return status; }
                convergence.FunctionEvaluations++;
            }
            point.Beta[k] = bplus - 2 * h;
            if (point.Beta[k] == betak) point.Values.AsSpan().CopyTo(differenceValues);
            else
            {
                var status = model.Function(point.Beta, point.XPlusDelta, differenceValues);
                if (status != EvaluationStatus.Ok) { point.Beta[k] = betak; return status; }
                convergence.FunctionEvaluations++;
            }
            point.Beta[k] = betak;
            for (int row = 0; row < n * q; row++) point.BetaJacobian[row * np + k] = (plus[row] - differenceValues[row]) / (2 * h);
        }

        if (!isOdr) return EvaluationStatus.Ok;
        for (int j = 0; j < m; j++)
        {
            if (!InputHasFreeDelta(j, out bool someFixed))
            {
                ZeroDeltaColumn(j);
                continue;
            }
            StepInput(j, central: true);
            var status = model.Function(point.Beta, point.XPlusDelta, plus);
            if (status != EvaluationStatus.Ok) { RestoreXPlusD(j); return status; }
            convergence.FunctionEvaluations++;
            for (int i = 0; i < n; i++) point.XPlusDelta[i * m + j] = x[i * m + j] + point.Delta[i * m + j] - inputSteps[i];
            status = model.Function(point.Beta, point.XPlusDelta, differenceValues);
            RestoreXPlusD(j);
            if (status != EvaluationStatus.Ok) return status;
            convergence.FunctionEvaluations++;
            for (int i = 0; i < n; i++)
            {
                bool fixedHere = someFixed && ifixx![i * m + j] == 0;
                for (int l = 0; l < q; l++)
                {
                    int row = i * q + l;
                    point.DeltaJacobian[row * m + j] = fixedHere ? 0 : (plus[row] - differenceValues[row]) / (2 * inputSteps[i]);
                }
            }
        }
        return EvaluationStatus.Ok;
    }

    /// <summary>fjacd column j is zero: input j is fixed in every observation.</summary>
    private void ZeroDeltaColumn(int j)
    {
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < q; l++) point.DeltaJacobian[(i * q + l) * m + j] = 0;
        }
    }

    /// <summary>DJACFD/DJACCD's step for input j of every observation (relative to |x + delta|, or to
    /// the scale when that is 0); moves xplusd by it and leaves it in inputSteps.</summary>
    private void StepInput(int j, bool central) => StepInput(j, central, 0, n);

    private void StepInput(int j, bool central, int i0, int i1)
    {
        double[]? stpd = input.Stpd;
        double defaultStep = Scaling.RelativeStep(central, convergence.FunctionDigits, 0);
        for (int i = i0; i < i1; i++)
        {
            double xv = point.XPlusDelta[i * m + j];
            double typical = xv == 0 ? 1 / scales.Delta[i * m + j] : Math.Abs(xv);
            double rel = stpd is null ? defaultStep : Scaling.RelativeStep(central, convergence.FunctionDigits, stpd[i * m + j]);
            double h = xv + Math.CopySign(1.0, xv) * typical * rel;
            inputSteps[i] = h - xv;
            point.XPlusDelta[i * m + j] = xv + inputSteps[i];
        }
    }

    private void RestoreXPlusD(int j) => RestoreXPlusD(j, 0, n);

    private void RestoreXPlusD(int j, int i0, int i1)
    {
        for (int i = i0; i < i1; i++) point.XPlusDelta[i * m + j] = x[i * m + j] + point.Delta[i * m + j];
    }

    /// <summary>Whether any observation's input j is free to move, and whether some are fixed.</summary>
    private bool InputHasFreeDelta(int j, out bool someFixed)
    {
        someFixed = false;
        if (ifixx == null) return true;
        bool anyFree = false;
        for (int i = 0; i < n; i++)
        {
            if (ifixx[i * m + j] == 0) someFixed = true;
            else anyFree = true;
        }
        return anyFree;
    }
}
