namespace Odr.Core;

/// <summary>
/// The ODRPACK engine: the state of one fit and DODDRV's entry points (Run, Restart). The state is
/// kept in named parts (Core/SolverParts.cs): the problem as given (here), the scales, the
/// iteration's points, the trust region, the convergence bookkeeping and the final statistics, with
/// the scratch arrays in SolverScratch.cs. The main loop (DODMN) is in MainLoop.cs; the trust-region
/// step (DODLM, DODSTP), the covariance (DODVCV), the Jacobians (DEVJAC, DJACFD, DJACCD, DETAF) and
/// the derivative checker (DJCK) live in their own files of this partial class.
/// All arrays are observation-major: x[i*m + j], f[i*q + l], fjacb[(i*q + l)*p + k].
/// </summary>
internal sealed partial class Solver
{
    private const double P0001 = 0.0001;
    private const double P1 = 0.1;
    private const double P25 = 0.25;
    private const double P5 = 0.5;
    private const double P75 = 0.75;

    // The problem as given, fixed for the solver's life. Plain fields rather than a part: the
    // per-observation kernels use n, m, q and np in every index.
    private readonly SolverInput input;
    private readonly ModelEvaluator model;
    private readonly int n; // observations (ODRPACK: N)
    private readonly int m; // inputs per observation (ODRPACK: M)
    private readonly int q; // responses per observation (ODRPACK: NQ)
    private readonly int np; // parameters (ODRPACK: NP)
    private readonly int npp; // free parameters (ODRPACK: NPP)

    // JOB's flags (ODRPACK: ISODR, IMPLCT, ANAJAC, CDJAC, CHKJAC, DOVCV, REDOJ).
    private readonly bool isOdr;
    private readonly bool isImplicit;
    private readonly bool analytic;
    private readonly bool central;
    private readonly bool check;
    private readonly bool doCovariance;
    private readonly bool redoJacobian;

    private readonly double[] x; // n*m
    private readonly double[] y; // n*q
    private readonly int[] ifixb; // np: 0 fixed, else free (ODRPACK: IFIXB)
    private readonly int[]? ifixx; // n*m, or null when no delta is fixed (ODRPACK: IFIXX)
    private readonly int[] packedIndex; // free parameter k -> full index

    // Weights: we1 is the upper Cholesky factor of WE per observation; wd is WD itself.
    private BlockWeights we1 = null!;
    private bool weIsIdentity;
    private readonly BlockWeights wd;

    // The scaled problem and the iteration's points, by purpose (Core/SolverParts.cs).
    private ProblemScales scales;
    private IterationPoint point;
    private readonly double[] lowerPacked; // bounds of the free parameters, npp
    private readonly double[] upperPacked;

    private bool fnBehind; // fn was swapped out by an accepted step: the last evaluated values are in fs
    private bool scratchHeld; // the scratch arrays are borrowed (BorrowScratch .. ReleaseScratch)
    private bool trialResidualsReady; // trialResiduals holds WE1·(fn − y) of the current trial point
    private readonly bool keepJacobians; // the Jacobians outlive a run (VarCalc = 1; see the constructor)

    // Work space for DODSTP.
    private double[] tfjacb = Array.Empty<double>(); // (n*q) x npp, column-major (scratch)
    private readonly double[] qraux;
    private readonly int[] kpvt;
    private readonly double[] qrWork;
    private readonly double[] conditionWork;
    private readonly bool fusesInputs; // TrialPoint forms the terms of all inputs in one pass
    private readonly double[] wdDeltaRow; // m: WD·δ of one observation

    private int[] bound;

    // Scalars of the iteration (ODRPACK's WORK entries), by purpose (Core/SolverParts.cs).
    private TrustRegionState region;
    private ConvergenceState convergence;
    private FinalStatistics final;

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

        scales.Beta = new double[np];
        scales.Packed = new double[npp];
        point.Beta = new double[np];
        point.StartBeta = new double[np];
        point.PackedBeta = new double[npp];
        point.TrialBeta = new double[npp];
        point.SavedBeta = new double[npp];
        point.Step = new double[npp];
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

        // Delta and the last model values live as long as the solver (a restart continues from them),
        // and so do the Jacobians with VarCalc = 1: the covariance of a restart that runs no further
        // iteration reuses the last iteration's (ODRPACK keeps them in WORK). The rest is scratch,
        // borrowed by BorrowScratch.
        point.Delta = new double[n * m];
        point.TrialValues = new double[n * q];
        scales.Delta = point.TrialDelta = point.SavedDelta = point.DeltaStep = point.XPlusDelta = Array.Empty<double>();
        point.Residuals = point.Values = Array.Empty<double>();
        keepJacobians = input.VarCalc == 1;
        if (keepJacobians)
        {
            point.BetaJacobian = new double[n * q * np];
            point.DeltaJacobian = new double[n * q * m];
        }
        else
        {
            point.BetaJacobian = point.DeltaJacobian = Array.Empty<double>();
        }

        qraux = new double[Math.Max(npp, 1)];
        kpvt = new int[Math.Max(np, 1)];
        qrWork = new double[(3 * Math.Max(npp, 1)) + 1]; // DQRDC's norms, dot products and next norms
        conditionWork = new double[Math.Max(npp, 1)];
        wdDeltaRow = new double[m];
        // ODRPACK's WRK (n*q + n*m + np) held the fused pass's 2(m−1)n later terms when it was
        // large enough; the same condition keeps the choice (and the memory) as it was.
        fusesInputs = m > 1 && input.FuseInputs && 2L * (m - 1) * n <= ((long)n * q) + ((long)n * m) + np;
        final.Sd = new double[np];
        final.Vcv = new double[np * np];
        final.FinalPivot = Array.Empty<int>();
    }

    // Plain loops rather than LINQ: a batch of thousands of small fits builds a solver for each.
    private static int[] AllFree(int count)
    {
        var flags = new int[count];
        ArrayLoops.Fill(flags, 1);
        return flags;
    }

    private static int[] FreeIndices(int[] flags)
    {
        int free = 0;
        foreach (int flag in flags)
        {
            if (flag != 0) free++;
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
        if (input.Scld is null) Scaling.DeltaScale(n, m, x, scales.Delta);
        else input.Scld.AsSpan().CopyTo(scales.Delta);
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
        point.Values.AsSpan().CopyTo(point.TrialValues);
        fnBehind = false;
    }

    private int RunWithScratch(ReadOnlySpan<double> startBeta)
    {
        startBeta.CopyTo(point.Beta);
        int info = Initialize();
        if (info != 0)
        {
            Info = info;
            return info;
        }
        startBeta.CopyTo(point.StartBeta);
        point.TrialValues.AsSpan().CopyTo(point.Values);
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
        convergence.MaxIterations = convergence.Iterations + (moreIterations >= 0 ? moreIterations : 10);
        if (convergence.Iterations < convergence.MaxIterations) Info = 0;
        if (newPartol >= 0 && newPartol < 1) convergence.ParTolerance = newPartol;
        if (newSstol >= 0 && newSstol < 1) convergence.SsTolerance = newSstol;
        region.LmSteps *= convergence.Iterations;
        ResidualsFromModelValues(point.TrialValues, point.Residuals);
        final.WssEps = SumOfSquares(point.Residuals);

        // DODDRV copies FN to FS and BETA to BETA0 on every call, restarts included: the next
        // Jacobian is taken around the model values of the last evaluated point.
        point.TrialValues.AsSpan().CopyTo(point.Values);
        point.Beta.AsSpan().CopyTo(point.StartBeta);
        Info = Iterate(restart: true);
        return Info;
    }
}
