namespace Odr.Core;

// FitKind and DerivativeKind are the public enums in Odr/Api/FitOptions.cs (JOB digits 1 and 2).

/// <summary>
/// Everything the solver needs, already validated and normalized: arrays observation-major,
/// per-variable settings expanded to n·m, weights as <see cref="BlockWeights"/>.
/// </summary>
internal sealed class SolverInput
{
    public required int N { get; init; }

    public required int M { get; init; }

    public required int Q { get; init; }

    public required int P { get; init; }

    public required FitKind Fit { get; init; }

    public required DerivativeKind Derivative { get; init; }

    /// <summary>JOB digit 3: 0 covariance with a fresh Jacobian, 1 with the last one, 2 none.</summary>
    public int VarCalc { get; init; }

    /// <summary>JOB digit 4: true when delta0 is used as the starting delta.</summary>
    public bool DeltaInitialized { get; init; }

    /// <summary>x, n·m observation-major.</summary>
    public required double[] X { get; init; }

    /// <summary>y, n·q observation-major; zeros for implicit fits.</summary>
    public required double[] Y { get; init; }

    /// <summary>Weights on eps; null for the identity. For implicit fits, ignored except the penalty.</summary>
    public BlockWeights? We { get; init; }

    /// <summary>Weights on delta; null for the identity.</summary>
    public BlockWeights? Wd { get; init; }

    /// <summary>Correlated x–y errors: per observation the slope c_i of the correction
    /// f(β, z) + c_i·(z − x_i) that <see cref="ModelEvaluator"/> applies (m = q = 1); null for none.</summary>
    public double[]? XyErrorSlopes { get; init; }

    /// <summary>Initial penalty for implicit fits (ODRPACK's WE(1,1,1)); 0 for the default 10.</summary>
    public double ImplicitPenalty { get; init; }

    /// <summary>1 = free, 0 = fixed, per parameter; null for all free.</summary>
    public int[]? Ifixb { get; init; }

    /// <summary>1 = free, 0 = fixed, per observation and input (n·m); null for all free.</summary>
    public int[]? Ifixx { get; init; }

    /// <summary>Starting delta (n·m) when <see cref="DeltaInitialized"/>.</summary>
    public double[]? Delta0 { get; init; }

    public int MaxIt { get; init; } = -1;

    public double SsTol { get; init; } = -1;

    public double ParTol { get; init; } = -1;

    public double TauFac { get; init; }

    public int NDigit { get; init; }

    /// <summary>Relative steps for beta (p), or null for the defaults.</summary>
    public double[]? Stpb { get; init; }

    /// <summary>Relative steps for delta (n·m), or null for the defaults.</summary>
    public double[]? Stpd { get; init; }

    /// <summary>Scale of beta (p), or null for DSCLB's.</summary>
    public double[]? Sclb { get; init; }

    /// <summary>Scale of delta (n·m), or null for DSCLD's.</summary>
    public double[]? Scld { get; init; }

    public required double[] Lower { get; init; }

    public required double[] Upper { get; init; }

    /// <summary>Reproduce ODRPACK's first iteration with checked analytic derivatives, which takes the
    /// checker's Jacobian unweighted and unpacked (tests that compare with ODRPACK's reports).</summary>
    public bool OdrpackCheckedFirstJacobian { get; init; }

    /// <summary>How the bounds are kept (the active-set method or ODRPACK95's clipping).</summary>
    public BoundsMethod Bounds { get; init; }

    /// <summary>Threads for the per-observation work of a large fit (1: serial; 0 or negative: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Whether the model may be evaluated concurrently on chunks of observations.</summary>
    public bool ParallelModel { get; init; }

    /// <summary>Run DODSTP's per-observation kernels in SIMD bundles (the default); tests switch it
    /// off to compare with the one-observation kernels.</summary>
    public bool SimdKernels { get; init; } = true;

    /// <summary>Run the 1×1-block kernels when m = q = 1 (the default); tests switch it off to
    /// compare with the general kernels.</summary>
    public bool OneByOneKernels { get; init; } = true;

    /// <summary>Observations from which the step's kernels run in SIMD bundles (see
    /// <see cref="DefaultWideLanesMinObservations"/>); tests move it to compare the two ways.</summary>
    public int WideLanesMinObservations { get; init; } = DefaultWideLanesMinObservations;

    /// <summary>Jacobian entries (n·q·p) from which DODMN's trial point forms every response's
    /// linearized prediction in one pass (2 MB, beyond the L2 caches); tests move it to compare the two
    /// ways.</summary>
    public long FusedPredictionMinEntries { get; init; } = DefaultFusedPredictionMinEntries;

    /// <summary>Whether DODMN's trial-point sums over several inputs run in one pass over the
    /// observations (the default); tests switch it off to compare with input-by-input passes.</summary>
    public bool FuseInputs { get; init; } = true;

    /// <summary>The default of <see cref="WideLanesMinObservations"/>: every problem. One observation at
    /// a time would run the library's precompiled (ReadyToRun) code and spare a first fit the JIT of the
    /// bundles' code (first fit of 1,000 observations 32 -> 20 ms of processor time), but the steady
    /// state at 1,000 observations takes 2.2x as long (0.87 -> 1.94 ms): bench/README.md, "Cold start".</summary>
    public const int DefaultWideLanesMinObservations = 0;

    /// <summary>The default of <see cref="FusedPredictionMinEntries"/>.</summary>
    public const long DefaultFusedPredictionMinEntries = 262_144;
}
