namespace Odr.Core;

/// <summary>DODMN's trial point: the trial deltas and x + delta, the scaled step length (TSNORM), the
/// predicted reduction (the linearized residuals' sum of squares), and the trial point's weighted sum
/// of squares and PNORM, each summed in ODRPACK's order, fused into as few passes over the
/// observations as keep the bits.</summary>
internal sealed partial class Solver
{
    /// <summary>deltan = delta + t, x + deltan, and returns Σ(fjacb·s + fjacd·t)² + Σ tᵀWD t with
    /// tsnorm = ‖(ss·s, tt·t)‖ (DODMN's PRERED and TSNORM). With one input these are one pass (one
    /// response: the linearized residuals too); every sum keeps ODRPACK's order, so the bits do not
    /// change.</summary>
    private double TrialPoint(out double stepNorm)
    {
        double deltaSum = 0, sumLinear = 0;
        bool linearDone = false;
        if (isOdr && m == 1)
        {
            var norm = default(Linpack.Norm2Accumulator);
            for (int k = 0; k < npp; k++) norm.Add(scales.Packed[k] * point.Step[k]);
            double[] w = wd.Values;
            bool shared = wd.IsShared;
            // The linearized prediction's sum of squares runs over response 0 of every observation,
            // then response 1 …. When the Jacobians are too large for the caches, the pass below forms
            // every response's terms (response 0's squares join the sum here, the others' wait in
            // laterResponseTerms, and join it after the pass, in that order), so the
            // Jacobians are read once; smaller ones are re-read from cache by the loop further down,
            // which is then faster (tworesp n = 1e4: 2.6 % slower fused, 1e5 and 1e6 faster).
            linearDone = q == 1 || (long)n * q * np >= input.FusedPredictionMinEntries;
            double[] later = laterResponseTerms;
            for (int i = 0; i < n; i++)
            {
                double ti = point.DeltaStep[i];
                double dn = point.Delta[i] + ti;
                point.TrialDelta[i] = dn;
                point.XPlusDelta[i] = x[i] + dn;
                deltaSum += ti * ((shared ? w[0] : w[i]) * ti);
                norm.Add(scales.Delta[i] * ti);
                for (int l = 0; linearDone && l < q; l++)
                {
                    int row = (i * q) + l;
                    double v = 0;
                    var jb = point.BetaJacobian.AsSpan(row * np, npp);
                    for (int k = 0; k < npp; k++) v += jb[k] * point.Step[k];
                    v += point.DeltaJacobian[row] * ti;
                    if (l == 0) sumLinear += v * v;
                    else later[((l - 1) * n) + i] = v * v;
                }
            }
            if (linearDone)
            {
                for (int r = 0; r < (q - 1) * n; r++) sumLinear += later[r];
            }
            stepNorm = norm.Result;
        }
        else if (isOdr && FusesInputs)
        {
            sumLinear = TrialPointSeveralInputs(out deltaSum, out stepNorm);
            linearDone = true;
        }
        else
        {
            if (isOdr)
            {
                for (int i = 0; i < n * m; i++) point.TrialDelta[i] = point.Delta[i] + point.DeltaStep[i];
            }
            for (int i = 0; i < n * m; i++) point.XPlusDelta[i] = x[i] + (isOdr ? point.TrialDelta[i] : 0.0);
            stepNorm = ScaledNorm(point.Step, isOdr ? point.DeltaStep : null);
            if (isOdr) deltaSum = DeltaSumOfSquares(point.DeltaStep);
        }
        if (!linearDone)
        {
            for (int l = 0; l < q; l++)
            {
                for (int i = 0; i < n; i++)
                {
                    int row = i * q + l;
                    double v = 0;
                    var jb = point.BetaJacobian.AsSpan(row * np, npp);
                    for (int k = 0; k < npp; k++) v += jb[k] * point.Step[k];
                    if (isOdr)
                    {
                        var jd = point.DeltaJacobian.AsSpan(row * m, m);
                        for (int j = 0; j < m; j++) v += jd[j] * point.DeltaStep[i * m + j];
                    }
                    sumLinear += v * v;
                }
            }
        }
        if (isOdr) sumLinear += deltaSum;
        return sumLinear;
    }

    /// <summary>ODR fits of several inputs whose sums over inputs run in one pass over the observations
    /// (TrialPointSeveralInputs, TrialSumOfSquares): the scratch array laterInputTerms holds the terms of inputs
    /// 1 … m−1 of two sums until the pass has summed input 0's.</summary>
    private bool FusesInputs => fusesInputs;

    /// <summary>TrialPoint for m &gt; 1 in one pass over the observations, in ODRPACK's order: TSNORM,
    /// Σ tᵀWD t and the linearized prediction's sum of squares each run input by input (response by
    /// response), so input 0's (response 0's) terms are summed in the pass and the others' are kept
    /// (in laterInputTerms and laterResponseTerms) and summed after it, in order. The separate passes read t, tt and the
    /// Jacobians once per input; at n = 1e6 those reads come from memory.</summary>
    private double TrialPointSeveralInputs(out double deltaSum, out double stepNorm)
    {
        var norm = default(Linpack.Norm2Accumulator);
        for (int k = 0; k < npp; k++) norm.Add(scales.Packed[k] * point.Step[k]);
        var laterLinear = laterResponseTerms.AsSpan(0, (q - 1) * n);
        double sumLinear = 0;
        deltaSum = 0;
        for (int i = 0; i < n; i++)
        {
            int o = i * m;
            var ti = point.DeltaStep.AsSpan(o, m);
            for (int j = 0; j < m; j++)
            {
                double dn = point.Delta[o + j] + ti[j];
                point.TrialDelta[o + j] = dn;
                point.XPlusDelta[o + j] = x[o + j] + dn;
            }
            AddInputTerms(i, ti, ref norm, ref deltaSum);
            for (int l = 0; l < q; l++)
            {
                int row = (i * q) + l;
                double v = 0;
                var jb = point.BetaJacobian.AsSpan(row * np, npp);
                for (int k = 0; k < npp; k++) v += jb[k] * point.Step[k];
                var jd = point.DeltaJacobian.AsSpan(row * m, m);
                for (int j = 0; j < m; j++) v += jd[j] * ti[j];
                if (l == 0) sumLinear += v * v;
                else laterLinear[((l - 1) * n) + i] = v * v;
            }
        }
        AddLaterInputTerms(ref norm, ref deltaSum);
        foreach (double v in laterLinear) sumLinear += v;
        stepNorm = norm.Result;
        return sumLinear;
    }

    /// <summary>The weighted sum of squares at the trial point (residuals left in trialResiduals). With one
    /// input, δᵀWD δ and the trial point's PNORM (used if the step is accepted) come in one pass (one
    /// response: the residuals too).</summary>
    private double TrialSumOfSquares()
    {
        region.TrialParameterNormReady = isOdr && (m == 1 || FusesInputs);
        if (isOdr && m > 1 && region.TrialParameterNormReady)
        {
            ResidualsFromModelValues(point.TrialValues, trialResiduals);
            return SumOfSquares(trialResiduals) + TrialDeltaSumAndNorm();
        }
        if (!(isOdr && m == 1))
        {
            ResidualsFromModelValues(point.TrialValues, trialResiduals);
            double ss2 = SumOfSquares(trialResiduals);
            if (isOdr) ss2 += DeltaSumOfSquares(point.TrialDelta);
            return ss2;
        }

        bool residualsHere = q == 1;
        if (!residualsHere) ResidualsFromModelValues(point.TrialValues, trialResiduals);
        var norm = default(Linpack.Norm2Accumulator);
        for (int k = 0; k < npp; k++) norm.Add(scales.Packed[k] * point.TrialBeta[k]);
        double[] w = wd.Values, we = we1.Values;
        bool wdShared = wd.IsShared, weShared = we1.IsShared, weDiagonal = we1.IsDiagonal;
        double sumEps = 0, deltaSum = 0;
        for (int i = 0; i < n; i++)
        {
            if (residualsHere)
            {
                double raw = isImplicit ? point.TrialValues[i] : point.TrialValues[i] - y[i];
                double wr = (weShared ? we[0] : we[i]) * raw;
                double r = weDiagonal ? wr : 0 + wr; // BlockWeights.Multiply: a full 1×1 block sums from 0
                trialResiduals[i] = r;
                sumEps += r * r;
            }
            double dn = point.TrialDelta[i];
            deltaSum += dn * ((wdShared ? w[0] : w[i]) * dn);
            norm.Add(scales.Delta[i] * dn);
        }
        region.TrialParameterNorm = norm.Result;
        if (!residualsHere) sumEps = SumOfSquares(trialResiduals);
        return sumEps + deltaSum;
    }

    /// <summary>δᵀWD δ of the trial deltas and the trial point's PNORM for m &gt; 1 in one pass, input 0's
    /// terms summed there and the other inputs' kept in laterInputTerms and summed after it (ODRPACK's input-major
    /// order, as DeltaSumOfSquares and ScaledNorm sum them).</summary>
    private double TrialDeltaSumAndNorm()
    {
        var norm = default(Linpack.Norm2Accumulator);
        for (int k = 0; k < npp; k++) norm.Add(scales.Packed[k] * point.TrialBeta[k]);
        double deltaSum = 0;
        for (int i = 0; i < n; i++) AddInputTerms(i, point.TrialDelta.AsSpan(i * m, m), ref norm, ref deltaSum);
        AddLaterInputTerms(ref norm, ref deltaSum);
        region.TrialParameterNorm = norm.Result;
        return deltaSum;
    }

    /// <summary>Observation i's terms of ‖tt·v‖ (DNRM2) and vᵀWD v for an m-vector v (a step t or the
    /// deltas): input 0's join the sums now, inputs 1 … m−1 wait in laterInputTerms (the scaled terms in its first
    /// (m−1)·n elements, the weighted squares in the next (m−1)·n; see <see cref="FusesInputs"/>) for
    /// <see cref="AddLaterInputTerms"/>, so both sums keep ODRPACK's input-major order.</summary>
    private void AddInputTerms(int i, ReadOnlySpan<double> v, ref Linpack.Norm2Accumulator norm, ref double deltaSum)
    {
        int o = i * m, later = (m - 1) * n;
        norm.Add(scales.Delta[o] * v[0]);
        deltaSum += v[0] * wd.MultiplyRow(i, 0, v);
        for (int j = 1; j < m; j++)
        {
            laterInputTerms[((j - 1) * n) + i] = scales.Delta[o + j] * v[j];
            laterInputTerms[later + ((j - 1) * n) + i] = v[j] * wd.MultiplyRow(i, j, v);
        }
    }

    /// <summary>Adds the terms <see cref="AddInputTerms"/> kept, input by input, after input 0's.</summary>
    private void AddLaterInputTerms(ref Linpack.Norm2Accumulator norm, ref double deltaSum)
    {
        int later = (m - 1) * n;
        foreach (double v in laterInputTerms.AsSpan(0, later)) norm.Add(v);
        foreach (double v in laterInputTerms.AsSpan(later, later)) deltaSum += v;
    }
}
