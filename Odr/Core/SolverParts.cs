namespace Odr.Core;

// The solver's state in named parts. Each is a struct held in one field of the Solver, so reading
// `region.Tau` costs what reading a field `tau` did (no indirection in the hot loops); the fields are
// mutable because the solver updates them in place. ODRPACK's name follows each field.

/// <summary>The trust-region state of DODMN and DODLM: it changes at every step.</summary>
internal struct TrustRegionState
{
    /// <summary>The trust-region radius (ODRPACK: TAU).</summary>
    public double Tau;

    /// <summary>The Levenberg-Marquardt parameter (ODRPACK: ALPHA); 0 for a Gauss-Newton step.</summary>
    public double LmParameter;

    /// <summary>‖weighted residuals‖ at the current point, the square root of the sum of squares (ODRPACK: RNORM).</summary>
    public double ResidualNorm;

    /// <summary>‖(ss·β, tt·δ)‖ at the current point (ODRPACK: PNORM).</summary>
    public double ParameterNorm;

    /// <summary>The relative actual reduction of the sum of squares by the last step (ODRPACK: ACTRED).</summary>
    public double ActualReduction;

    /// <summary>The relative reduction the linearized model predicted for it (ODRPACK: PRERED).</summary>
    public double PredictedReduction;

    /// <summary>Levenberg-Marquardt steps summed over the iterations; their average per iteration
    /// once the run has finished (ODRPACK: OLMAVG).</summary>
    public double LmSteps;

    /// <summary>Steps doubled (ODRPACK: INT2).</summary>
    public int Doublings;

    /// <summary>The actual reduction of the step kept while a doubled one is tried (ODRPACK: ACTRS).</summary>
    public double SavedActualReduction;

    /// <summary>Its predicted reduction (ODRPACK: PRERS).</summary>
    public double SavedPredictedReduction;

    /// <summary>Its residual norm; at the start of an iteration, the norm it started from (ODRPACK: RNORMS).</summary>
    public double SavedResidualNorm;

    /// <summary>PNORM of the trial point, when the trial pass formed it (ODR fits).</summary>
    public double TrialParameterNorm;

    /// <summary>True when <see cref="TrialParameterNorm"/> belongs to the current trial point.</summary>
    public bool TrialParameterNormReady;
}

/// <summary>Convergence bookkeeping: the counts, limits and tolerances the stopping tests read, and
/// the model values' precision the difference steps are chosen from.</summary>
internal struct ConvergenceState
{
    /// <summary>Iterations so far (ODRPACK: NITER).</summary>
    public int Iterations;

    /// <summary>Model evaluations so far (ODRPACK: NFEV).</summary>
    public int FunctionEvaluations;

    /// <summary>Jacobian evaluations so far (ODRPACK: NJEV).</summary>
    public int JacobianEvaluations;

    /// <summary>The iteration limit (ODRPACK: MAXIT).</summary>
    public int MaxIterations;

    /// <summary>The sum-of-squares stopping tolerance (ODRPACK: SSTOL).</summary>
    public double SsTolerance;

    /// <summary>The parameter stopping tolerance (ODRPACK: PARTOL).</summary>
    public double ParTolerance;

    /// <summary>The initial trust-region radius factor (ODRPACK: TAUFAC).</summary>
    public double TauFactor;

    /// <summary>The model's last answer: 0 accepted, 1 rejected the point (ODRPACK: ISTOP).</summary>
    public int ModelStop;

    /// <summary>Good digits in the model values; negative when estimated by DETAF (ODRPACK: NETA).</summary>
    public int FunctionDigits;

    /// <summary>Relative noise in the model values, 10^−|NETA| (ODRPACK: ETA).</summary>
    public double RelativeError;

    /// <summary>Digits of agreement the derivative checker asks for (ODRPACK: NTOL).</summary>
    public int ToleranceDigits;

    /// <summary>The observation (0-based) the noise estimate and the derivative checker use (ODRPACK: NROW).</summary>
    public int CheckRow;

    /// <summary>Observations with a nonzero weight (ODRPACK: NNZW).</summary>
    public int NonZeroWeights;

    /// <summary>PARTOL of an implicit fit's first pass (DODCNT), instead of the input's.</summary>
    public double? ParTolOverride;

    /// <summary>MAXIT of an implicit fit's first pass (DODCNT), instead of the input's.</summary>
    public int? MaxItOverride;
}

/// <summary>What the run leaves at its end: the final sums of squares, the rank of the Jacobian and
/// the covariance matrix (DODVCV).</summary>
internal struct FinalStatistics
{
    /// <summary>Σ εᵀWEε at the current point (ODRPACK: WSSEPS).</summary>
    public double WssEps;

    /// <summary>Σ δᵀWDδ at the current point (ODRPACK: WSSDEL).</summary>
    public double WssDelta;

    /// <summary>Inverse condition number of the last Jacobian's QR (ODRPACK: RCOND).</summary>
    public double InverseCondition;

    /// <summary>Rank deficiency of the last Jacobian (ODRPACK: IRANK).</summary>
    public int RankDeficiency;

    /// <summary>The residual variance (ODRPACK: RVAR).</summary>
    public double ResidualVariance;

    /// <summary>The degrees of freedom (ODRPACK: IDF).</summary>
    public int DegreesOfFreedom;

    /// <summary>True when the covariance below was computed by this run.</summary>
    public bool DidCovariance;

    /// <summary>Standard errors of the parameters, np (ODRPACK: SD).</summary>
    public double[] Sd;

    /// <summary>The covariance matrix, np × np row-major (ODRPACK: VCV).</summary>
    public double[] Vcv;

    /// <summary>Per parameter: 1 estimated, 0 fixed, −1 dropped for rank deficiency.</summary>
    public int[] FinalPivot;
}

/// <summary>The scaled problem: the scale factors of the parameters and of the deltas that the
/// trust region and the stopping tests measure steps in (DSCLB, DSCLD).</summary>
internal struct ProblemScales
{
    /// <summary>The parameters' scale factors, all np (ODRPACK: SSF).</summary>
    public double[] Beta;

    /// <summary>The free parameters' scale factors, npp (ODRPACK: SS).</summary>
    public double[] Packed;

    /// <summary>The deltas' scale factors, n·m (ODRPACK: TT; scratch, set again by every Run/Restart).</summary>
    public double[] Delta;
}

/// <summary>The iteration's points: the current one, the trial one, the one kept while a doubled
/// step is tried, the step between them, and the model values, residuals and Jacobians at them.
/// Packed vectors hold the free parameters only (npp); full ones all np.</summary>
internal struct IterationPoint
{
    /// <summary>The full parameter vector the model is called with (ODRPACK: BETA).</summary>
    public double[] Beta;

    /// <summary>The parameters the run started from (ODRPACK: BETA0).</summary>
    public double[] StartBeta;

    /// <summary>The current parameters, packed (ODRPACK: BETAC).</summary>
    public double[] PackedBeta;

    /// <summary>The trial parameters, packed (ODRPACK: BETAN).</summary>
    public double[] TrialBeta;

    /// <summary>The parameters of the step kept while a doubled one is tried, packed (ODRPACK: BETAS).</summary>
    public double[] SavedBeta;

    /// <summary>The step in the packed parameters (ODRPACK: S).</summary>
    public double[] Step;

    /// <summary>The current deltas, n·m (ODRPACK: DELTA; lives as long as the solver, a restart continues from it).</summary>
    public double[] Delta;

    /// <summary>The trial deltas (ODRPACK: DELTAN; scratch).</summary>
    public double[] TrialDelta;

    /// <summary>The deltas of the kept step (ODRPACK: DELTAS; scratch).</summary>
    public double[] SavedDelta;

    /// <summary>The step in the deltas (ODRPACK: T; scratch).</summary>
    public double[] DeltaStep;

    /// <summary>x + δ where the model is evaluated (ODRPACK: XPLUSD; scratch).</summary>
    public double[] XPlusDelta;

    /// <summary>Weighted residuals WE1·(f − y) at the current point, n·q (ODRPACK: F; scratch).</summary>
    public double[] Residuals;

    /// <summary>Model values at the trial point; after the run, the last evaluated ones, which a
    /// restart starts from (ODRPACK: FN).</summary>
    public double[] TrialValues;

    /// <summary>Model values at the current point (ODRPACK: FS; scratch).</summary>
    public double[] Values;

    /// <summary>∂f/∂β, n·q·np, the first npp columns packed and weighted after DEVJAC (ODRPACK: FJACB).</summary>
    public double[] BetaJacobian;

    /// <summary>∂f/∂δ, n·q·m, weighted after DEVJAC (ODRPACK: FJACD).</summary>
    public double[] DeltaJacobian;
}
