namespace Odr.Core;

/// <summary>The Levenberg-Marquardt step: DODLM (choice of the LM parameter for the trust region
/// radius tau) and DODSTP (the step for one LM parameter, with each observation's delta block
/// eliminated in closed form so the cost is linear in n).</summary>
internal sealed partial class Solver : IChunkJob
{
    private const double P001 = 0.001;
    private const int JobStepRows = 0;
    private const int JobStepDeltas = 1;
    private const int JobLeastSquaresRows = 2;
    private const int JobWeightJacobians = 3;
    private const int JobForwardDifferences = 4;
    private const int JobResiduals = 5;

    // Per-observation work split into chunks (see ObservationChunks): set up on first use in a Run
    // or Restart, with scratch buffers of their own per chunk, so the iterations allocate nothing;
    // the buffers go back with the rest of the scratch (ReleaseScratch).
    private ObservationChunks workChunks;
    private ChunkScratch[]? chunkScratch;
    private bool[] chunkFailed = Array.Empty<bool>();
    private int jobKind;
    private double jobLm;
    private int jobKp;
    private double[] residualSource = Array.Empty<double>(); // JobResiduals: model values in, weighted residuals out
    private double[] residualTarget = Array.Empty<double>();

    /// <summary>Small per-observation buffers of one chunk, borrowed from <see cref="ScratchPool"/>
    /// with the solver's other scratch (a batch of small fits reuses one set per thread).</summary>
    private sealed class ChunkScratch
    {
        public ChunkScratch(int n, int m, int q, int np)
        {
            Lanes = ScratchPool.Rent(LaneScratchLength(m, q));
            VecQ = ScratchPool.Rent(q);
            Beta = ScratchPool.Rent(np);
            Values = ScratchPool.Rent(Math.Min(DifferenceBlock, n) * q);
        }

        /// <summary>Gives the buffers back; the chunk's scratch is not used afterwards.</summary>
        public void Release()
        {
            ScratchPool.Return(Lanes);
            ScratchPool.Return(VecQ);
            ScratchPool.Return(Beta);
            ScratchPool.Return(Values);
        }

        /// <summary>The model's parameter buffer for this chunk's evaluations.</summary>
        public double[] Beta { get; }

        /// <summary>Model values of one block of observations (finite differences).</summary>
        public double[] Values { get; }

        /// <summary>The one-observation kernels' small matrices and vectors.</summary>
        public double[] Lanes { get; }

        public double[] VecQ { get; }
    }

    /// <summary>Runs one kind of per-observation work over all observations: chunk by chunk in
    /// parallel when the fit is large enough, else in one serial pass. Returns false when a chunk
    /// failed (the lowest failing observation would have stopped the serial loop with the same code).</summary>
    private bool RunOverObservations(int kind, double lm = 0, int kp = 0)
    {
        if (chunkScratch is null)
        {
            workChunks = ObservationChunks.For(n, input.MaxDegreeOfParallelism);
            chunkScratch = new ChunkScratch[workChunks.Count];
            for (int c = 0; c < chunkScratch.Length; c++) chunkScratch[c] = new ChunkScratch(n, m, q, np);
            chunkFailed = new bool[workChunks.Count];
        }
        jobKind = kind;
        jobLm = lm;
        jobKp = kp;
        if (workChunks.Count == 1)
        {
            return RunObservations(kind, 0, n, lm, kp, chunkScratch[0]);
        }
        Array.Clear(chunkFailed);
        ChunkPool.Run(this, workChunks.Count);
        foreach (bool failed in chunkFailed)
        {
            if (failed) return false;
        }
        return true;
    }

    void IChunkJob.RunChunk(int chunk)
    {
        chunkFailed[chunk] = !RunObservations(jobKind, workChunks.Start(chunk), workChunks.Start(chunk + 1), jobLm, jobKp, chunkScratch![chunk]);
    }

    private bool RunObservations(int kind, int i0, int i1, double lm, int kp, ChunkScratch w) => kind switch
    {
        JobStepRows => StepRows(i0, i1, lm, kp, w),
        JobStepDeltas => StepDeltas(i0, i1, lm, w),
        JobLeastSquaresRows => LeastSquaresRows(i0, i1, kp),
        JobForwardDifferences => ForwardDifferenceRows(i0, i1, w),
        JobResiduals => ResidualRows(i0, i1, w),
        _ => WeightJacobianRows(i0, i1, w),
    };

    /// <summary>DODLM: finds alpha such that the scaled step length phi(alpha) is within 10 % of tau.
    /// Leaves the step in s (beta, packed) and t (delta). Returns 0 or an ODRPACK error code.</summary>
    private int TrustRegionStep(out int nlms)
    {
        nlms = 0;
        double alpha1 = 0;
        int code = ComputeStep(alpha1, forCovariance: false, out double phi1);
        if (code != 0) return code;
        if (region.Tau < 0) region.Tau = Math.Abs(region.Tau) * phi1;

        if (phi1 - region.Tau <= P1 * region.Tau)
        {
            // The Gauss-Newton step is inside the trust region.
            nlms = 1;
            region.LmParameter = 0;
            return 0;
        }

        phi1 -= region.Tau;
        double bot = 0;

        // Upper bound on alpha: ‖scaled gradient‖ / tau. Four parameters' sums share a pass over
        // the Jacobian, each summed in ODRPACK's order (responses, then observations).
        for (int k0 = 0; k0 < npp; k0 += 4)
        {
            int k1 = Math.Min(k0 + 1, npp - 1), k2 = Math.Min(k0 + 2, npp - 1), k3 = Math.Min(k0 + 3, npp - 1);
            double g0 = 0, g1 = 0, g2 = 0, g3 = 0;
            for (int l = 0; l < q; l++)
            {
                for (int i = 0; i < n; i++)
                {
                    int row = (i * q) + l;
                    double fv = point.Residuals[row];
                    var jac = point.BetaJacobian.AsSpan(row * np, npp);
                    g0 += jac[k0] * fv;
                    g1 += jac[k1] * fv;
                    g2 += jac[k2] * fv;
                    g3 += jac[k3] * fv;
                }
            }
            gradient[k0] = g0 / scales.Packed[k0];
            if (k0 + 1 < npp) gradient[k0 + 1] = g1 / scales.Packed[k0 + 1];
            if (k0 + 2 < npp) gradient[k0 + 2] = g2 / scales.Packed[k0 + 2];
            if (k0 + 3 < npp) gradient[k0 + 3] = g3 / scales.Packed[k0 + 3];
        }
        for (int k = 0; k < npp && heldCount > 0; k++)
        {
            if (held[k]) gradient[k] = 0; // held parameters do not move: the gradient is the free ones'
        }
        int len = npp;
        if (isOdr)
        {
            Span<double> wdDelta = wdDeltaRow;
            for (int i = 0; i < n; i++)
            {
                wd.Multiply(i, point.Delta.AsSpan(i * m, m), wdDelta);
                for (int j = 0; j < m; j++)
                {
                    double g = wdDelta[j];
                    for (int l = 0; l < q; l++) g += point.DeltaJacobian[(i * q + l) * m + j] * point.Residuals[i * q + l];
                    gradient[npp + (j * n) + i] = g / scales.Delta[i * m + j];
                }
            }
            len += n * m;
        }
        double top = Linpack.Norm2(gradient.AsSpan(0, len)) / region.Tau;

        double alpha2 = region.LmParameter;
        if (alpha2 > top || alpha2 == 0) alpha2 = P001 * top;

        for (int i = 1; i <= 10; i++)
        {
            code = ComputeStep(alpha2, forCovariance: false, out double phi2);
            if (code != 0) return code;
            phi2 -= region.Tau;
            if (Math.Abs(phi2) <= P1 * region.Tau || (alpha2 == bot && phi2 < 0))
            {
                nlms = i + 1;
                region.LmParameter = alpha2;
                return 0;
            }
            if (phi1 - phi2 == 0)
            {
                nlms = 12;
                region.LmParameter = alpha2;
                return 0;
            }
            double sa = phi2 * (alpha1 - alpha2) / (phi1 - phi2);
            if (phi2 < 0) top = Math.Min(top, alpha2);
            else bot = Math.Max(bot, alpha2);
            if (phi1 * phi2 > 0) bot = Math.Max(bot, alpha2 - sa);
            else top = Math.Min(top, alpha2 - sa);

            double alphan = alpha2 - sa * (phi1 + region.Tau) / region.Tau;
            if (alphan >= top || alphan <= bot) alphan = Math.Max(P001 * top, Math.Sqrt(top * bot));
            alpha1 = alpha2;
            alpha2 = alphan;
            phi1 = phi2;
        }
        nlms = 12;
        region.LmParameter = alpha2;
        return 0;
    }

    /// <summary>
    /// DODSTP: the step (s, t) for LM parameter <paramref name="lm"/>. With lm = 0 it also decides the
    /// numerical rank (pivoted QR and DTRCO against the noise level eta) and sets RCOND and IRANK;
    /// with <paramref name="forCovariance"/> it stops after the factorization, leaving R in tfjacb.
    /// Returns 0 or 60000 when a factorization fails.
    /// </summary>
    private int ComputeStep(double lm, bool forCovariance, out double phi)
    {
        phi = 0;
        int ld = n * q;
        int kp;
        int columns = StepColumns; // held parameters (bounds) sit after the free columns, left out
        if (lm == 0)
        {
            kp = columns;
            if (heldCount == 0)
            {
                for (int k = 0; k < npp; k++) kpvt[k] = k;
            }
            else
            {
                int next = 0;
                for (int k = 0; k < npp; k++)
                {
                    if (!held[k]) kpvt[next++] = k;
                }
                for (int k = 0; k < npp; k++)
                {
                    if (held[k]) kpvt[next++] = k;
                }
            }
        }
        else
        {
            kp = columns >= 1 ? columns - final.RankDeficiency : columns;
        }

        if (isOdr)
        {
            if (!RunOverObservations(JobStepRows, lm, kp)) return 60000;
        }
        else
        {
            RunOverObservations(JobLeastSquaresRows, lm, kp);
        }

        // QR factorization of the reduced n·q × kp problem (pivoting only for lm = 0), with Qᵀ
        // applied to the right-hand side in the same passes.
        var a = tfjacb.AsSpan(0, ld * Math.Max(kp, 1));
        if (kp > 0) Linpack.QrDecompose(a, ld, ld, kp, qraux, kpvt.AsSpan(0, kp), qrWork, pivot: lm == 0, y: stepRhs.AsSpan(0, ld));
        if (lm == 0 && heldCount > 0)
        {
            // DQRDC numbers its pivots 0 … kp−1 among the columns it was given: map them back to the
            // free parameters (the held ones keep their places after them).
            for (int k = 0; k < kp; k++) kpvt[k] = FreeColumn(kpvt[k]);
        }

        if (lm != 0)
        {
            // Append sqrt(lm)·I below R and restore the triangle with Givens rotations.
            for (int k = 0; k < npp; k++) point.Step[k] = 0;
            Span<double> extra = qrWork;
            double sqrtLm = Math.Sqrt(lm);
            for (int k1 = 0; k1 < kp; k1++)
            {
                extra.Slice(0, kp).Clear();
                extra[k1] = sqrtLm;
                for (int k2 = k1; k2 < kp; k2++)
                {
                    double rkk = a[k2 * ld + k2];
                    double ek = extra[k2];
                    // ODRPACK95 links LINPACK's old DROTG, which differs from reference BLAS's in the
                    // last bit (for (3, 4): c = 0.6000000000000001 against 0.6); its compatibility
                    // method uses that one to reproduce ODRPACK95.
                    double co, si;
                    if (input.Bounds == BoundsMethod.Odrpack95) LinpackOdrpack95.Rotg(ref rkk, ref ek, out co, out si);
                    else Linpack.Rotg(ref rkk, ref ek, out co, out si);
                    a[k2 * ld + k2] = rkk;
                    extra[k2] = ek;
                    for (int j = k2 + 1; j < kp; j++)
                    {
                        double r = a[j * ld + k2], ex = extra[j];
                        a[j * ld + k2] = co * r + si * ex;
                        extra[j] = co * ex - si * r;
                    }
                    int target = kpvt[k1];
                    double temp = co * stepRhs[k2] + si * point.Step[target];
                    point.Step[target] = -si * stepRhs[k2] + co * point.Step[target];
                    stepRhs[k2] = temp;
                }
            }
        }

        if (npp >= 1 && lm == 0)
        {
            // Numerical rank: drop columns while R is too ill-conditioned for the noise level.
            kp = columns;
            while (kp >= 1)
            {
                final.InverseCondition = Linpack.TriangularConditionEstimate(a, ld, kp, conditionWork);
                if (final.InverseCondition > convergence.RelativeError) break;
                int imax = 0;
                for (int k = 1; k < kp; k++)
                {
                    if (Math.Abs(conditionWork[k]) > Math.Abs(conditionWork[imax])) imax = k;
                }
                if (imax != kp - 1)
                {
                    Linpack.MoveColumnToEnd(a, ld, imax, kp - 1, stepRhs);
                    int moved = kpvt[imax];
                    for (int i = imax; i < kp - 1; i++) kpvt[i] = kpvt[i + 1];
                    kpvt[kp - 1] = moved;
                }
                kp--;
            }
            final.RankDeficiency = columns - kp;
        }

        if (forCovariance) return 0;

        if (npp >= 1)
        {
            for (int i = kp; i < npp; i++) stepRhs[i] = 0;
            if (kp >= 1 && Linpack.SolveUpper(a, ld, kp, stepRhs) != 0) return 60000;
            for (int i = 0; i < npp; i++) point.Step[kpvt[i]] = stepRhs[i] / scales.Packed[kpvt[i]];
        }

        if (isOdr && !RunOverObservations(JobStepDeltas, lm)) return 60000;

        phi = ScaledNorm(point.Step, isOdr ? point.DeltaStep : null);
        return 0;
    }

    /// <summary>OLS rows [i0, i1) of the problem in ODRPACK's order (response-major), so the QR sees
    /// the same matrix.</summary>
    private bool LeastSquaresRows(int i0, int i1, int kp)
    {
        int ld = n * q;
        for (int l = 0; l < q; l++)
        {
            for (int i = i0; i < i1; i++)
            {
                int row = l * n + i, src = i * q + l;
                for (int k = 0; k < kp; k++)
                {
                    int col = kpvt[k];
                    tfjacb[k * ld + row] = point.BetaJacobian[src * np + col] / scales.Packed[col];
                }
                stepRhs[row] = -point.Residuals[src];
            }
        }
        return true;
    }
}
