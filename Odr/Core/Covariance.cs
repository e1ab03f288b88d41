namespace Odr.Core;

/// <summary>DODVCV: the covariance matrix of beta, (JᵀJ)⁻¹ in the weighted metric with the deltas
/// eliminated, its rank, the residual variance and the parameters' standard errors.</summary>
internal sealed partial class Solver
{
    /// <summary>Computes vcv (np×np, not scaled by the residual variance), sd, rvar and idf from the
    /// Jacobian at the solution. Returns 0 or an ODRPACK error code.</summary>
    private int ComputeCovariance(double rss)
    {
        int code = ComputeStep(0, forCovariance: true, out _);
        if (code != 0) return code;
        int ld = n * q;
        int kp = StepColumns - final.RankDeficiency; // parameters held on a bound count as fixed
        var r = tfjacb.AsSpan();
        if (kp > 0) Linpack.CholeskyInverse(r, ld, kp);

        // Degrees of freedom: observations whose Jacobian rows are not all zero, less the rank.
        final.DegreesOfFreedom = 0;
        for (int i = 0; i < n; i++)
        {
            bool nonzero = false;
            for (int idx = i * q * np; idx < (i + 1) * q * np && !nonzero; idx++)
            {
                // Only the packed columns carry the free parameters' derivatives.
                if ((idx % np) < npp && point.BetaJacobian[idx] != 0) nonzero = true;
            }
            if (!nonzero && isOdr)
            {
                for (int idx = i * q * m; idx < (i + 1) * q * m; idx++)
                {
                    if (point.DeltaJacobian[idx] != 0) { nonzero = true; break; }
                }
            }
            if (nonzero) final.DegreesOfFreedom++;
        }
        if (final.DegreesOfFreedom > kp)
        {
            final.DegreesOfFreedom -= kp;
            final.ResidualVariance = rss / final.DegreesOfFreedom;
        }
        else
        {
            final.DegreesOfFreedom = 0;
            final.ResidualVariance = rss;
        }

        // Unpivot: packed covariance first, then spread to the full parameter vector.
        var packed = new double[npp * npp];
        for (int i = 0; i < kp; i++)
        {
            for (int j = i; j < kp; j++)
            {
                double v = r[j * ld + i];
                int a = kpvt[i], b = kpvt[j];
                packed[a * npp + b] = v;
                packed[b * npp + a] = v;
            }
        }
        Array.Clear(final.Vcv);
        Array.Clear(final.Sd);
        for (int a = 0; a < npp; a++)
        {
            for (int b = 0; b < npp; b++)
            {
                int ka = packedIndex[a], kb = packedIndex[b];
                final.Vcv[ka * np + kb] = packed[a * npp + b] / (scales.Beta[ka] * scales.Beta[kb]);
            }
        }
        // As DODVCV: the standard error from the scaled variance, then unscaled.
        for (int a = 0; a < npp; a++)
        {
            int k = packedIndex[a];
            final.Sd[k] = Math.Sqrt(final.ResidualVariance * packed[a * npp + a]) / scales.Beta[k];
        }
        return 0;
    }
}
