
namespace Odr.Core;

/// <summary>The solver's state after one reported iteration: what a line of ODRPACK's iteration
/// report (DODPC2) shows. Immutable; the solver makes one only when an observer listens.</summary>
internal sealed record IterationSnapshot
{
    /// <summary>True for an orthogonal distance fit (explicit or implicit), false for OLS.</summary>
    public required bool IsOdr { get; init; }

    /// <summary>True for an implicit fit (the sum of squares is then the penalty function).</summary>
    public required bool IsImplicit { get; init; }

    /// <summary>Iterations so far (ODRPACK: NITER).</summary>
    public required int Iterations { get; init; }

    /// <summary>Model evaluations so far (ODRPACK: NFEV).</summary>
    public required int FunctionEvaluations { get; init; }

    /// <summary>The weighted sum of squares at the current point (ODRPACK: RNORM²).</summary>
    public required double SumOfSquares { get; init; }

    /// <summary>The relative actual reduction of the last step (ODRPACK: ACTRED).</summary>
    public required double ActualReduction { get; init; }

    /// <summary>The relative predicted reduction of the last step (ODRPACK: PRERED).</summary>
    public required double PredictedReduction { get; init; }

    /// <summary>The trust-region radius (ODRPACK: TAU).</summary>
    public required double Tau { get; init; }

    /// <summary>The scaled norm of the current point (ODRPACK: PNORM).</summary>
    public required double PNorm { get; init; }

    /// <summary>The Levenberg-Marquardt parameter of the last step (ODRPACK: ALPHA).</summary>
    public required double LmParameter { get; init; }

    /// <summary>The penalty parameter of the current pass of an implicit fit; 0 for explicit fits.</summary>
    public required double ImplicitPenaltyParameter { get; init; }

    /// <summary>The parameters at the current point (all np, fixed ones included).</summary>
    public required SnapshotArray<double> Beta { get; init; }

    /// <summary>True when the last step was a Gauss-Newton step (Levenberg-Marquardt parameter 0).</summary>
    public bool IsGaussNewtonStep => LmParameter == 0;

    /// <summary>The trust-region radius relative to the scaled parameter norm (0 when the norm is 0),
    /// the TAU/PNORM column of ODRPACK's iteration reports.</summary>
    public double TauOverPNorm => PNorm != 0 ? Tau / PNorm : 0.0;
}

/// <summary>The solver's state at the start or the end of a run: the problem as it was set up and
/// the point reached, with the counts, the sums of squares and (at the end) the covariance. The
/// reports (DODPC1, DODPC3) and <see cref="OutputBuilder"/> read this, never the solver.</summary>
/// <remarks>The record and its small arrays are immutable copies. The per-observation arrays
/// (<see cref="Delta"/>, <see cref="DeltaScale"/>, <see cref="ModelValues"/>) are read-only views of
/// the solver's arrays, not copies (a copy would cost a pass over n·(m + q) values on every fit): they
/// hold until the solver's next Run, Restart or ReleaseScratch, so a snapshot is read at once.</remarks>
internal sealed record FitSnapshot
{
    // The problem as given.

    /// <summary>The fit's input as the caller gave it.</summary>
    public required SolverInput Input { get; init; }

    /// <summary>Number of observations (ODRPACK: N).</summary>
    public int N => Input.N;

    /// <summary>Number of inputs (ODRPACK: M).</summary>
    public int M => Input.M;

    /// <summary>Number of responses (ODRPACK: NQ).</summary>
    public int Q => Input.Q;

    /// <summary>Number of parameters (ODRPACK: NP).</summary>
    public int NP => Input.P;

    /// <summary>Number of parameters not fixed (ODRPACK: NPP).</summary>
    public required int Npp { get; init; }

    /// <summary>True for an orthogonal distance fit (explicit or implicit), false for OLS.</summary>
    public bool IsOdr => Input.Fit != FitKind.OrdinaryLeastSquares;

    /// <summary>True for an implicit fit.</summary>
    public bool IsImplicit => Input.Fit == FitKind.ImplicitOdr;

    /// <summary>JOB of this run (restart digit included).</summary>
    public required JobCode Job { get; init; }

    /// <summary>Observations with a nonzero weight (ODRPACK: NNZW).</summary>
    public required int NonZeroWeights { get; init; }

    /// <summary>The delta weights in use (the identity when none were given).</summary>
    public required BlockWeights DeltaWeights { get; init; }

    // Settings as resolved by the set-up.

    /// <summary>Good digits in the model values, negative when estimated (ODRPACK: NETA).</summary>
    public required int Neta { get; init; }

    /// <summary>The initial trust-region factor (ODRPACK: TAUFAC).</summary>
    public required double TauFactor { get; init; }

    /// <summary>The sum-of-squares stopping tolerance (ODRPACK: SSTOL).</summary>
    public required double SsTolerance { get; init; }

    /// <summary>The parameter stopping tolerance (ODRPACK: PARTOL).</summary>
    public required double ParTolerance { get; init; }

    /// <summary>The iteration limit (ODRPACK: MAXIT).</summary>
    public required int MaxIterations { get; init; }

    /// <summary>The parameters' scale factors (ODRPACK: SSF; a negative first entry means all are its magnitude).</summary>
    public required SnapshotArray<double> BetaScale { get; init; }

    // The derivative checker's verdicts (ODRPACK: MSGB, MSGD).

    /// <summary>Summary code, then one code per response and parameter (ODRPACK: MSGB).</summary>
    public required SnapshotArray<int> Msgb { get; init; }

    /// <summary>Summary code, then one code per response and input (ODRPACK: MSGD).</summary>
    public required SnapshotArray<int> Msgd { get; init; }

    /// <summary>The checker's relative differences, per response: parameters, then inputs.</summary>
    public required SnapshotArray<double> DerivativeDifferences { get; init; }

    /// <summary>Digits the checker asked to agree (ODRPACK: NTOL).</summary>
    public required int Ntol { get; init; }

    /// <summary>The observation (0-based) at which the derivatives were checked (ODRPACK: NROW).</summary>
    public required int CheckedRow { get; init; }

    // The point reached.

    /// <summary>INFO of the run (at the start: that of the previous run).</summary>
    public required InfoCode Info { get; init; }

    /// <summary>Iterations (ODRPACK: NITER).</summary>
    public required int Iterations { get; init; }

    /// <summary>Model evaluations (ODRPACK: NFEV).</summary>
    public required int FunctionEvaluations { get; init; }

    /// <summary>Jacobian evaluations (ODRPACK: NJEV).</summary>
    public required int JacobianEvaluations { get; init; }

    /// <summary>The model's last ISTOP (1 when it rejected the last point).</summary>
    public required int Istop { get; init; }

    /// <summary>Rank deficiency of the Jacobian (ODRPACK: IRANK).</summary>
    public required int RankDeficiency { get; init; }

    /// <summary>Inverse condition number of the Jacobian (ODRPACK: RCOND).</summary>
    public required double InverseConditionNumber { get; init; }

    /// <summary>Relative error in the model values (ODRPACK: ETA).</summary>
    public required double RelativeError { get; init; }

    /// <summary>Average Levenberg-Marquardt steps per iteration (ODRPACK: OLMAVG).</summary>
    public required double AverageLmSteps { get; init; }

    /// <summary>Σ εᵀWEε (ODRPACK: WSSEPS).</summary>
    public required double WeightedSumOfSquaresEps { get; init; }

    /// <summary>Σ δᵀWDδ (ODRPACK: WSSDEL).</summary>
    public required double WeightedSumOfSquaresDelta { get; init; }

    /// <summary>The weighted sum of squares (ODRPACK: WSS).</summary>
    public double WeightedSumOfSquares => WeightedSumOfSquaresEps + WeightedSumOfSquaresDelta;

    /// <summary>The penalty parameter of the current pass of an implicit fit; 0 for explicit fits.</summary>
    public required double ImplicitPenaltyParameter { get; init; }

    /// <summary>The parameters (all np).</summary>
    public required SnapshotArray<double> Beta { get; init; }

    /// <summary>The parameters the run started from (ODRPACK: BETA0 of DODDRV).</summary>
    public required SnapshotArray<double> StartBeta { get; init; }

    /// <summary>Per parameter: free, fixed, or on a bound.</summary>
    public required SnapshotArray<ParameterStatus> Status { get; init; }

    /// <summary>Per parameter after the last Jacobian's QR: 1 estimated, 0 fixed, −1 dropped (rank deficiency).</summary>
    public required SnapshotArray<int> FinalPivot { get; init; }

    /// <summary>The deltas, x[i*m + j] order (view; see the remarks).</summary>
    public required ReadOnlyMemory<double> Delta { get; init; }

    /// <summary>The deltas' scale factors (ODRPACK: TT; view).</summary>
    public required ReadOnlyMemory<double> DeltaScale { get; init; }

    /// <summary>Model values at the point, f(β, x + δ), f[i*q + l] order (view).</summary>
    public required ReadOnlyMemory<double> ModelValues { get; init; }

    // The covariance (meaningful when DidCovariance).

    /// <summary>True when the covariance matrix was computed.</summary>
    public required bool DidCovariance { get; init; }

    /// <summary>The residual variance (ODRPACK: RVAR).</summary>
    public required double ResidualVariance { get; init; }

    /// <summary>The degrees of freedom (ODRPACK: IDF).</summary>
    public required int DegreesOfFreedom { get; init; }

    /// <summary>Standard errors of the parameters (ODRPACK: SD).</summary>
    public required SnapshotArray<double> Sd { get; init; }

    /// <summary>The covariance matrix, np × np row-major (ODRPACK: VCV).</summary>
    public required SnapshotArray<double> Vcv { get; init; }
}
