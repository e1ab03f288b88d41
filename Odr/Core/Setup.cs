namespace Odr.Core;

/// <summary>DODDRV's set-up of a fresh run (DINIWK's tolerances and scales, DFCTRW's weight
/// factors, the first model evaluation, DETAF's noise estimate, the finite-difference room and the
/// derivative check) and its checks of the starting point.</summary>
internal sealed partial class Solver
{
    private int Initialize()
    {
        // DINIWK: tolerances, scales, starting delta.
        double epsmac = Math.Pow(2, -52);
        convergence.ParTolerance = convergence.ParTolOverride ?? (input.ParTol < 0 ? Math.Pow(epsmac, isImplicit ? 1.0 / 3.0 : 2.0 / 3.0) : Math.Min(input.ParTol, 1.0));
        convergence.SsTolerance = input.SsTol < 0 ? Math.Sqrt(epsmac) : Math.Min(input.SsTol, 1.0);
        convergence.TauFactor = input.TauFac <= 0 ? 1.0 : Math.Min(input.TauFac, 1.0);
        convergence.MaxIterations = convergence.MaxItOverride ?? (input.MaxIt < 0 ? 50 : input.MaxIt);

        if (input.Sclb is null) Scaling.BetaScale(point.Beta, scales.Beta);
        else input.Sclb.AsSpan().CopyTo(scales.Beta);
        for (int k = 0; k < npp; k++) scales.Packed[k] = scales.Beta[packedIndex[k]];

        ComputeDeltaScale();
        if (isOdr && input.DeltaInitialized && input.Delta0 is not null)
        {
            input.Delta0.AsSpan().CopyTo(point.Delta);
            if (ifixx != null)
            {
                for (int idx = 0; idx < n * m; idx++)
                {
                    if (ifixx[idx] == 0) point.Delta[idx] = 0;
                }
            }
        }

        region.Tau = -convergence.TauFactor;
        for (int k = 0; k < npp; k++) point.PackedBeta[k] = point.Beta[packedIndex[k]];

        int info = FactorWeights();
        if (info != 0) return info;

        for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + point.Delta[i];
        model.Iteration = 0;

        // NaN first, so that a model that leaves values unset is caught like one returning NaN.
        ArrayLoops.Fill(point.TrialValues, double.NaN);
        var start = model.Function(point.Beta, point.XPlusDelta, point.TrialValues);
        if (start == EvaluationStatus.NonFinite) throw NonFiniteAtStart(model.NonFiniteIndex);
        if (start != EvaluationStatus.Ok)
        {
            convergence.ModelStop = 1;
            return 52000;
        }
        convergence.FunctionEvaluations++;
        ResidualsFromModelValues(point.TrialValues, point.Residuals);

        region.ParameterNorm = ScaledNorm(point.PackedBeta, isOdr ? point.Delta : null);
        final.WssEps = SumOfSquares(point.Residuals);
        RefuseUnderflowingResiduals();
        final.WssDelta = isOdr ? DeltaSumOfSquares(point.Delta) : 0.0;

        convergence.CheckRow = SelectRow();
        if (input.NDigit < 2)
        {
            int status = EstimateNoise(epsmac);
            if (status != 0)
            {
                convergence.FunctionDigits = 0;
                convergence.RelativeError = 0;
                return status;
            }
        }
        else
        {
            convergence.FunctionDigits = Math.Min(input.NDigit, (int)(0.5 - Math.Log10(epsmac)));
            convergence.RelativeError = Math.Max(epsmac, Math.Pow(10, -input.NDigit));
        }

        if (!analytic || check)
        {
            for (int k = 0; k < np; k++)
            {
                double step = Scaling.BetaStep(central, input.Upper[k], scales.Beta[k], convergence.FunctionDigits, input.Stpb?[k] ?? 0);
                if (input.Upper[k] - Math.Abs(2 * step) < input.Lower[k]) return 90020;
            }
        }

        if (check)
        {
            int checkInfo = CheckDerivatives(epsmac);
            if (checkInfo != 0) return checkInfo;
        }
        return 0;
    }

    /// <summary>The sum of squares at the start is formed from squares of the weighted residuals: when
    /// they are all below √(smallest normal double) ≈ 1.5e-154 (data of order 1e-160, or weights of order
    /// 1e-300), their squares underflow, the sum is 0 or subnormal, and ODRPACK would report convergence
    /// at beta0 or a numerical error. Refused with the remedy instead.</summary>
    private void RefuseUnderflowingResiduals()
    {
        double largest = 0;
        foreach (double v in point.Residuals.AsSpan(0, n * q)) largest = Math.Max(largest, Math.Abs(v));
        const double SmallestSquarable = 1.4916681462400413e-154; // √(2.2250738585072014e-308)
        if (largest > 0 && largest < SmallestSquarable)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The weighted residuals at beta0 are at most {largest:G3} in size, too small to square in double precision (below 1.5e-154), so the sum of squares underflows; rescale y (and x) or the weights so that the residuals are of a normal size."), "data");
        }
    }

    /// <summary>The clear error for a model that is not finite at beta0 (or writes too few values).</summary>
    private ArgumentException NonFiniteAtStart(int index)
    {
        double value = point.TrialValues[index];
        string which = "observation " + (index / q).ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (q > 1 ? ", response " + (index % q).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        return new ArgumentException(double.IsNaN(value)
            ? $"The model returned NaN or left the value unset at beta0 for {which}; it must write all n·q = {n * q} values and be finite at the starting point."
            : $"The model returned {value} at beta0 for {which}; it must be finite at the starting point.", "beta0");
    }

    /// <summary>DFCTRW: factor WE into WE1 and check WD, counting observations with non-zero weight.</summary>
    private int FactorWeights()
    {
        int info = 0;
        if (isImplicit)
        {
            double penalty = input.ImplicitPenalty > 0 ? input.ImplicitPenalty : 10.0;
            SetImplicitPenalty(penalty);
            convergence.NonZeroWeights = n;
        }
        else
        {
            var we = input.We ?? BlockWeights.Identity(q);
            var factors = new double[we.IsShared ? we.BlockSize : n * we.BlockSize];
            int blocks = we.IsShared ? 1 : n;
            int nonzeroBlocks = 0;
            var dense = new double[q * q];
            for (int b = 0; b < blocks; b++)
            {
                bool nonzero = false;
                var block = we.Block(b);
                var target = factors.AsSpan(b * we.BlockSize, we.BlockSize);
                if (we.IsDiagonal)
                {
                    for (int l = 0; l < q; l++)
                    {
                        if (block[l] < 0) return 30010;
                        target[l] = Math.Sqrt(block[l]);
                        if (block[l] > 0) nonzero = true;
                    }
                }
                else
                {
                    block.CopyTo(dense);
                    if (Cholesky.Factor(dense, q, allowSemidefinite: true) != 0) return 30010;
                    dense.CopyTo(target);
                    for (int l = 0; l < q; l++)
                    {
                        if (dense[l * q + l] != 0) nonzero = true;
                    }
                }
                if (nonzero) nonzeroBlocks++;
            }
            we1 = new BlockWeights(q, we.IsDiagonal, we.IsShared, factors);
            weIsIdentity = we.IsDiagonal && we.IsShared && ArrayLoops.AllEqual(factors, 1.0);
            convergence.NonZeroWeights = we.IsShared ? (nonzeroBlocks > 0 ? n : 0) : nonzeroBlocks;
            if (convergence.NonZeroWeights < npp) info = 30020;
        }

        if (isOdr)
        {
            int blocks = wd.IsShared ? 1 : n;
            var dense = new double[m * m];
            for (int b = 0; b < blocks; b++)
            {
                if (wd.IsDiagonal)
                {
                    foreach (double w in wd.Block(b))
                    {
                        if (w <= 0) return Math.Max(30001, info + 1);
                    }
                }
                else
                {
                    wd.Block(b).CopyTo(dense);
                    if (Cholesky.Factor(dense, m, allowSemidefinite: false) != 0) return Math.Max(30001, info + 1);
                }
            }
        }
        return info;
    }
}
