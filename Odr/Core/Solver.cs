namespace Odr.Core;

/// <summary>
/// The ODRPACK engine: state of one fit and its main loop. The loop itself (DODMN) is here; the
/// trust-region step (DODLM, DODSTP), the covariance (DODVCV), the Jacobians (DEVJAC, DJACFD, DJACCD,
/// DETAF) and the derivative checker (DJCK) live in their own files of this partial class.
/// All arrays are observation-major: x[i*m + j], f[i*q + l], fjacb[(i*q + l)*p + k].
/// </summary>
internal sealed partial class Solver
{
    private const double P0001 = 0.0001;
    private const double P1 = 0.1;
    private const double P25 = 0.25;
    private const double P5 = 0.5;
    private const double P75 = 0.75;

    private readonly SolverInput input;
    private readonly ModelEvaluator model;
    private readonly int n;
    private readonly int m;
    private readonly int q;
    private readonly int np;
    private readonly bool isOdr;
    private readonly bool isImplicit;
    private readonly bool analytic;
    private readonly bool central;
    private readonly bool check;
    private readonly bool doCovariance;
    private readonly bool redoJacobian;

    private readonly double[] x;
    private readonly double[] y;
    private readonly int[] ifixb;
    private readonly int[]? ifixx;
    private readonly int[] packedIndex; // free parameter k -> full index
    private readonly int npp;

    // Weights: we1 is the upper Cholesky factor of WE per observation; wd is WD itself.
    private BlockWeights we1 = null!;
    private bool weIsIdentity;
    private readonly BlockWeights wd;

    // Scalings.
    private readonly double[] ssf; // full np
    private readonly double[] ss; // packed npp
    private double[] tt = Array.Empty<double>(); // n*m (scratch: recomputed from x or scld by every Run/Restart)

    // Parameters (full and packed) and the trial, saved and step vectors.
    private readonly double[] beta;
    private readonly double[] beta0;
    private readonly double[] betac;
    private readonly double[] betan;
    private readonly double[] betas;
    private readonly double[] s;
    private readonly double[] lowerPacked;
    private readonly double[] upperPacked;

    private double[] delta;
    // Scratch borrowed from ScratchPool for the duration of Run/Restart (see BorrowScratch).
    private double[] deltan = Array.Empty<double>();
    private double[] deltas = Array.Empty<double>();
    private double[] t = Array.Empty<double>();
    private double[] xplusd = Array.Empty<double>();

    private double[] f = Array.Empty<double>(); // weighted residuals at the current point (scratch)
    private double[] fn; // model values at the trial point
    private bool fnBehind; // fn was swapped out by an accepted step: the last evaluated values are in fs
    private bool scratchHeld; // the scratch arrays are borrowed (BorrowScratch .. ReleaseScratch)
    private bool trialResidualsReady; // trialResiduals holds WE1·(fn − y) of the current trial point
    private double trialPnorm; // PNORM of the trial point (ODR fits whose trial pass forms it)
    private bool trialPnormReady; // trialPnorm belongs to the current trial point
    private double[] fs = Array.Empty<double>(); // model values at the current point (scratch: a restart starts from fn)
    // The Jacobians: scratch, except with VarCalc = 1, where the covariance of a restart that runs no
    // further iteration reuses the last iteration's Jacobians (ODRPACK keeps them in WORK).
    private readonly bool keepJacobians;
    private double[] fjacb = Array.Empty<double>(); // n*q*np (first npp columns packed after DEVJAC)
    private double[] fjacd = Array.Empty<double>(); // n*q*m

    // Work space for DODSTP.
    private double[] tfjacb = Array.Empty<double>(); // (n*q) x npp, column-major (scratch)
    private readonly double[] qraux;
    private readonly int[] kpvt;
    private readonly double[] qrWork;
    private readonly double[] conditionWork;
    private readonly bool fusesInputs; // TrialPoint forms the terms of all inputs in one pass
    private readonly double[] wdDeltaRow; // m: WD·δ of one observation

    private int[] bound;

    // Scalars of the iteration (ODRPACK's WORK entries).
    private double eta;
    private int neta;
    private int ntol;
    private int nrow;
    private double tau;
    private double alpha;
    private double rnorm;
    private double pnorm;
    private double actred;
    private double prered;
    private double olmavg;
    private double rcond;
    private int irank;
    private double partol;
    private double sstol;
    private double taufac;
    private int maxit;
    private int niter;
    private int nfev;
    private int njev;
    private int int2;
    private int istop;
    private int nnzw;
    private double wssDelta;
    private double wssEps;
    private double rvar;
    private int idf;
    private readonly double[] sd;
    private readonly double[] vcv; // np x np row-major
    private bool didCovariance;
    private double? parTolOverride;
    private int? maxItOverride;
    private int[] finalPivot = Array.Empty<int>();

    // Restart bookkeeping of the saved step (DODMN's RNORMS, ACTRS, PRERS are scalars).
    private double actrs;
    private double prers;
    private double rnorms;

    public Solver(SolverInput input, Model userModel)
    {
        this.input = input;
        n = input.N;
        m = input.M;
        q = input.Q;
        np = input.P;
        model = new ModelEvaluator(userModel, n, m, q, np, input.MaxDegreeOfParallelism, input.ParallelModel);
        x = input.X;
        ApplyCorrelatedErrors();
        isOdr = input.Fit != FitKind.OrdinaryLeastSquares;
        isImplicit = input.Fit == FitKind.ImplicitOdr;
        analytic = input.Derivative is DerivativeKind.AnalyticChecked or DerivativeKind.AnalyticUnchecked;
        central = input.Derivative == DerivativeKind.CentralDifference;
        check = input.Derivative == DerivativeKind.AnalyticChecked;
        doCovariance = input.VarCalc != 2;
        redoJacobian = input.VarCalc == 0;

        y = input.Y;
        ifixb = input.Ifixb ?? AllFree(np);
        ifixx = input.Ifixx;
        packedIndex = FreeIndices(ifixb);
        npp = packedIndex.Length;

        wd = input.Wd ?? BlockWeights.Identity(m);

        ssf = new double[np];
        ss = new double[npp];
        beta = new double[np];
        beta0 = new double[np];
        betac = new double[npp];
        betan = new double[npp];
        betas = new double[npp];
        s = new double[npp];
        lowerPacked = new double[npp];
        upperPacked = new double[npp];
        for (int k = 0; k < npp; k++)
        {
            lowerPacked[k] = input.Lower[packedIndex[k]];
            upperPacked[k] = input.Upper[packedIndex[k]];
        }
        bound = new int[npp];
        held = new bool[npp];
        bool anyFiniteBound = false;
        for (int k = 0; k < npp; k++) anyFiniteBound |= double.IsFinite(lowerPacked[k]) || double.IsFinite(upperPacked[k]);
        activeSetBounds = input.Bounds == BoundsMethod.ActiveSet && anyFiniteBound;

        delta = new double[n * m];
        fn = new double[n * q];
        keepJacobians = input.VarCalc == 1;
        if (keepJacobians)
        {
            fjacb = new double[n * q * np];
            fjacd = new double[n * q * m];
        }

        qraux = new double[Math.Max(npp, 1)];
        kpvt = new int[Math.Max(np, 1)];
        qrWork = new double[(3 * Math.Max(npp, 1)) + 1]; // DQRDC's norms, dot products and next norms
        conditionWork = new double[Math.Max(npp, 1)];
        wdDeltaRow = new double[m];
        // ODRPACK's WRK (n*q + n*m + np) held the fused pass's 2(m−1)n later terms when it was
        // large enough; the same condition keeps the choice (and the memory) as it was.
        fusesInputs = m > 1 && input.FuseInputs && 2L * (m - 1) * n <= ((long)n * q) + ((long)n * m) + np;
        sd = new double[np];
        vcv = new double[np * np];
    }

    // Plain loops rather than LINQ: a batch of thousands of small fits builds a solver for each.
    private static int[] AllFree(int count)
    {
        var flags = new int[count];
        Array.Fill(flags, 1);
        return flags;
    }

    private static int[] FreeIndices(int[] flags)
    {
        int free = 0;
        foreach (int f in flags)
        {
            if (f != 0) free++;
        }
        var indices = new int[free];
        free = 0;
        for (int k = 0; k < flags.Length; k++)
        {
            if (flags[k] != 0) indices[free++] = k;
        }
        return indices;
    }

    /// <summary>DSCLD (or the user's scld): the deltas' scale factors.</summary>
    private void ComputeDeltaScale()
    {
        if (!isOdr) return;
        if (input.Scld is null) Scaling.DeltaScale(n, m, x, tt);
        else input.Scld.AsSpan().CopyTo(tt);
    }

    /// <summary>True once the main loop (DODMN) has been entered: a fatal INFO then comes from the
    /// iterations, not from DODDRV's checks before them.</summary>
    public bool Iterated { get; private set; }

    /// <summary>ODRPACK's INFO after the last run.</summary>
    public int Info { get; private set; }

    /// <summary>Receives iteration reports, or null.</summary>
    public IterationObserver? Observer { get; set; }

    /// <summary>Cancellation checked once per iteration.</summary>
    public CancellationToken Cancellation { get; set; }

    /// <summary>
    /// DODDRV's set-up for a fresh run (validation of weights, scaling, first evaluation, noise
    /// estimate, derivative check), then the main loop. Returns INFO.
    /// </summary>
    public int Run(ReadOnlySpan<double> startBeta)
    {
        BorrowScratch();
        try
        {
            return RunWithScratch(startBeta);
        }
        finally
        {
            KeepLastModelValues();
        }
    }

    /// <summary>ODRPACK's FN holds the last evaluated model values (a restart starts from them); an
    /// accepted step swapped it with FS, so copy it back however the run ended.</summary>
    private void KeepLastModelValues()
    {
        if (!fnBehind) return;
        fs.AsSpan().CopyTo(fn);
        fnBehind = false;
    }

    private int RunWithScratch(ReadOnlySpan<double> startBeta)
    {
        startBeta.CopyTo(beta);
        int info = Initialize();
        if (info != 0)
        {
            Info = info;
            return info;
        }
        startBeta.CopyTo(beta0);
        fn.AsSpan().CopyTo(fs);
        info = Iterate(restart: false);
        Info = info;
        return info;
    }

    /// <summary>Continues a finished fit for up to <paramref name="moreIterations"/> further
    /// iterations (DODDRV's restart path, JOB digit 5 = 1).</summary>
    public int Restart(int moreIterations, double newPartol = -1, double newSstol = -1)
    {
        BorrowScratch();
        try
        {
            return RestartWithScratch(moreIterations, newPartol, newSstol);
        }
        finally
        {
            KeepLastModelValues();
        }
    }

    private int RestartWithScratch(int moreIterations, double newPartol, double newSstol)
    {
        ComputeDeltaScale();
        maxit = niter + (moreIterations >= 0 ? moreIterations : 10);
        if (niter < maxit) Info = 0;
        if (newPartol >= 0 && newPartol < 1) partol = newPartol;
        if (newSstol >= 0 && newSstol < 1) sstol = newSstol;
        olmavg *= niter;
        ResidualsFromModelValues(fn, f);
        wssEps = SumOfSquares(f);

        // DODDRV copies FN to FS and BETA to BETA0 on every call, restarts included: the next
        // Jacobian is taken around the model values of the last evaluated point.
        fn.AsSpan().CopyTo(fs);
        beta.AsSpan().CopyTo(beta0);
        Info = Iterate(restart: true);
        return Info;
    }

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
        rnorm = Math.Sqrt(wssEps + wssDelta);
        bool intdbl = false;
        bool lstep = true;
        double ratio = 0, dirder = 0, tsnorm = 0, rnormn = 0;
        int nlms;
        didCovariance = false;
        jacobianAtCurrentPoint = jacobianAtFinalPoint = false;

        Observer?.Initial(Snapshot());

        bool skipLoop = false;
        if (rnorm == 0)
        {
            info = 1;
            olmavg = 0;
            istop = 0;
            skipLoop = true;
        }
        else if (niter >= maxit)
        {
            info = restart ? Info : 4;
            istop = 0;
            skipLoop = true;
        }

        if (!skipLoop)
        {
            while (true)
            {
                // Start of an outer iteration: a new Jacobian at the current best point.
                Cancellation.ThrowIfCancellationRequested();
                niter++;
                model.Iteration = niter;
                rnorms = rnorm;
                int looped = 0;
                if (jacobianAtCurrentPoint)
                {
                    // The bound check at a convergence point took this Jacobian and chose the held set.
                    jacobianAtCurrentPoint = false;
                }
                else
                {
                    if (niter == 1 && analytic && check && !restart && CheckerJacobianServesFirstIteration())
                    {
                        // The checker's Jacobian at beta, packed and weighted as DEVJAC leaves one.
                        PackAndWeightJacobians();
                    }
                    else if (!(niter == 1 && analytic && check && !restart && OdrpackFirstJacobian))
                    {
                        var status = EvaluateJacobian();
                        if (status != EvaluationStatus.Ok)
                        {
                            istop = 1;
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
                    olmavg += nlms;

                    for (int k = 0; k < npp; k++) betan[k] = betac[k] + s[k];
                    if (activeSetBounds) TrialParametersInsideBounds(boundHit);
                    else ProjectOntoBounds();

                    // Trial deltas, x + delta, the scaled step length and the predicted reduction
                    // (the linearized residuals' sum of squares).
                    double sumLinear = TrialPoint(out tsnorm);
                    double temp1 = Math.Sqrt(sumLinear) / rnorm;
                    double temp2 = Math.Sqrt(alpha) * tsnorm / rnorm;
                    prered = temp1 * temp1 + temp2 * temp2 / P5;
                    dirder = -(temp1 * temp1 + temp2 * temp2);

                    // Evaluate the model at the trial point.
                    UnpackBeta(betan);
                    istop = 0;
                    var trial = model.Function(beta, xplusd, fn);
                    fnBehind = false;
                    trialResidualsReady = false;
                    if (trial == EvaluationStatus.Ok)
                    {
                        nfev++;
                        rnormn = Math.Sqrt(TrialSumOfSquares());
                        trialResidualsReady = true;
                    }
                    else
                    {
                        istop = 1;
                        rnormn = rnorm / (P1 * P75);
                    }

                    actred = P1 * rnormn < rnorm ? 1.0 - (rnormn / rnorm) * (rnormn / rnorm) : -1.0;
                    ratio = prered == 0 ? 0.0 : actred / prered;

                    if (intdbl && (ratio < P0001 || rnormn > rnorms))
                    {
                        // The doubled step was worse: go back to the saved one.
                        istop = 0;
                        tau *= P5;
                        alpha /= P5;
                        betas.AsSpan().CopyTo(betan);
                        deltas.AsSpan().CopyTo(deltan);
                        fs.AsSpan().CopyTo(fn);
                        trialResidualsReady = false;
                        actred = actrs;
                        prered = prers;
                        rnormn = rnorms;
                        ratio = P5;
                        boundHit = -1; // the saved step was not cut short (such steps are not doubled)
                    }
                    intdbl = false;

                    // Update the trust region.
                    if (ratio < P25)
                    {
                        double temp = actred >= 0 ? P5 : P5 * dirder / (dirder + P5 * actred);
                        if (P1 * rnormn >= rnorm || temp < P1) temp = P1;
                        tau = temp * Math.Min(tau, tsnorm / P1);
                        alpha /= temp;
                    }
                    else if (boundHit >= 0)
                    {
                        // A good step cut short by a bound: the trust region stays as it was (its
                        // radius was not what limited the step), and the step is not doubled.
                    }
                    else if (alpha == 0)
                    {
                        tau = tsnorm / P5;
                    }
                    else if (ratio >= P75 && nlms <= 11)
                    {
                        // Good step: try doubling it, keeping this one in reserve.
                        intdbl = true;
                        tau = tsnorm / P5;
                        alpha *= P5;
                        betan.AsSpan().CopyTo(betas);
                        deltan.AsSpan().CopyTo(deltas);
                        fn.AsSpan().CopyTo(fs);
                        actrs = actred;
                        prers = prered;
                        rnorms = rnormn;
                    }

                    if (intdbl && tau > 0)
                    {
                        int2++;
                        continue;
                    }

                    if (ratio >= P0001)
                    {
                        // Accept the step. The trial arrays become the current ones (a swap, not a
                        // copy: the next trial overwrites fn and deltan completely).
                        (fs, fn) = (fn, fs);
                        fnBehind = true;
                        if (trialResidualsReady) (f, trialResiduals) = (trialResiduals, f); // WE1 (fs - y) is formed already
                        else ResidualsFromModelValues(fs, f);
                        betan.AsSpan().CopyTo(betac);
                        if (isOdr) (delta, deltan) = (deltan, delta);
                        rnorm = rnormn;
                        pnorm = trialResidualsReady && trialPnormReady ? trialPnorm : ScaledNorm(betac, isOdr ? delta : null);
                        lstep = true;
                    }
                    else
                    {
                        lstep = false;
                    }

                    info = 0;
                    bool cnvss = rnorm == 0 || (Math.Abs(actred) <= sstol && prered <= sstol && P5 * ratio <= 1.0);
                    bool cnvpar = tau <= partol * pnorm && !isImplicit;
                    if (boundHit >= 0 && rnorm != 0)
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
                        UnpackBeta(betac);
                        Observer?.Iteration(IterationSnapshot());
                    }

                    if (info != 0) break;
                    if (lstep) break;
                }

                if (info != 0) break;
                if (niter >= maxit)
                {
                    info = 4;
                    jacobianAtCurrentPoint = false;
                    break;
                }
            }
        }

        // Label 150 of DODMN: final residuals, then the covariance matrix.
        if (istop > 0) info += 100;
        return Finish(info, stopped: false);
    }

    /// <summary>Completion of DODMN (labels 150 and 200): covariance, final sums of squares, INFO digits.</summary>
    private int Finish(int info, bool stopped)
    {
        if (!stopped)
        {
            UnpackBeta(betac);
            for (int i = 0; i < n * m; i++) xplusd[i] = x[i] + delta[i];
            if (activeSetBounds) HoldParametersOnBounds();
            if (doCovariance && istop == 0)
            {
                bool ok = true;
                if (redoJacobian && !jacobianAtFinalPoint) // (the bound check at convergence may have taken it)
                {
                    if (EvaluateJacobian() != EvaluationStatus.Ok)
                    {
                        istop = 1;
                        info = 51000;
                        ok = false;
                    }
                }
                if (ok && (redoJacobian || niter >= 1))
                {
                    ResidualsFromModelValues(fs, f);
                    double rss = isImplicit ? DeltaSumOfSquares(delta) : rnorm * rnorm;
                    int code = ComputeCovariance(rss);
                    if (code != 0) info = code;
                    else didCovariance = true;
                }
            }
        }

        // Rank bookkeeping for the report: which parameters were dropped.
        finalPivot = new int[np];
        for (int k = 0; k < np; k++) finalPivot[k] = ifixb[k] == 0 ? 0 : 1;
        if (redoJacobian || niter >= 1)
        {
            int[] packedFlags = new int[npp];
            for (int i = 0; i < npp; i++) packedFlags[kpvt[i]] = i <= StepColumns - irank - 1 ? 1 : (i < StepColumns ? -1 : 0);
            for (int k = 0; k < npp; k++) finalPivot[packedIndex[k]] = packedFlags[k];
        }

        olmavg = niter >= 1 ? olmavg / niter : 0.0;
        UnpackBeta(betac);
        for (int i = 0; i < n * m; i++) xplusd[i] = x[i] + delta[i];

        // Final weighted sums of squares from the current model values.
        ResidualsFromModelValues(fs, f);
        wssEps = SumOfSquares(f);
        wssDelta = isOdr ? DeltaSumOfSquares(delta) : 0.0;

        if (info <= 9 || info >= 60000)
        {
            if (msgb[0] == 1 || msgd[0] == 1) info += 1000;
            if (istop != 0) info += 100;
            if (irank >= 1) info += npp > irank ? 10 : 20;
        }
        Info = info;
        Observer?.Final(Snapshot());
        return info;
    }

}
