
namespace Odr.Core;

/// <summary>What the solver shows outside: immutable snapshots for the reports and the output, and
/// the few counts its driver (<see cref="ODR"/>) needs to decide on a restart.</summary>
internal sealed partial class Solver
{
    /// <summary>Iterations so far (ODRPACK: NITER).</summary>
    public int Iterations => convergence.Iterations;

    /// <summary>Average Levenberg-Marquardt steps per iteration of the last run (ODRPACK: OLMAVG).</summary>
    public double AverageLmSteps => region.LmSteps;

    /// <summary>The reason the model gave for rejecting its last point, if it did.</summary>
    public string? LastRejection => model.LastRejection;

    /// <summary>ODRPACK's JOB of this run as typed digits (the restart digit is the caller's).</summary>
    public JobCode Job(bool restart) =>
        new(input.Fit, input.Derivative, (CovarianceKind)input.VarCalc, input.DeltaInitialized, restart);

    /// <summary>The state after the iteration just reported (DODPC2's line).</summary>
    public IterationSnapshot IterationSnapshot() => new()
    {
        IsOdr = isOdr,
        IsImplicit = isImplicit,
        Iterations = convergence.Iterations,
        FunctionEvaluations = convergence.FunctionEvaluations,
        SumOfSquares = region.ResidualNorm * region.ResidualNorm,
        ActualReduction = region.ActualReduction,
        PredictedReduction = region.PredictedReduction,
        Tau = region.Tau,
        PNorm = region.ParameterNorm,
        LmParameter = region.LmParameter,
        ImplicitPenaltyParameter = ImplicitPenaltyParameter,
        Beta = SnapshotArray<double>.CopyOf(point.Beta),
    };

    /// <summary>The state now: at the start of a run (before its iterations) or at its end. The
    /// per-observation arrays are views (see <see cref="FitSnapshot"/>).</summary>
    public FitSnapshot Snapshot() => new()
    {
        Input = input,
        Npp = npp,
        Job = Job(restart: false),
        NonZeroWeights = convergence.NonZeroWeights,
        DeltaWeights = wd,
        Neta = convergence.FunctionDigits,
        TauFactor = convergence.TauFactor,
        SsTolerance = convergence.SsTolerance,
        ParTolerance = convergence.ParTolerance,
        MaxIterations = convergence.MaxIterations,
        BetaScale = SnapshotArray<double>.CopyOf(scales.Beta),
        Msgb = SnapshotArray<int>.CopyOf(msgb),
        Msgd = SnapshotArray<int>.CopyOf(msgd),
        DerivativeDifferences = SnapshotArray<double>.CopyOf(derivativeDifferences),
        Ntol = convergence.ToleranceDigits,
        CheckedRow = convergence.CheckRow,
        Info = new InfoCode(Info),
        Iterations = convergence.Iterations,
        FunctionEvaluations = convergence.FunctionEvaluations,
        JacobianEvaluations = convergence.JacobianEvaluations,
        Istop = convergence.ModelStop,
        RankDeficiency = final.RankDeficiency,
        InverseConditionNumber = final.InverseCondition,
        RelativeError = convergence.RelativeError,
        AverageLmSteps = region.LmSteps,
        WeightedSumOfSquaresEps = final.WssEps,
        WeightedSumOfSquaresDelta = final.WssDelta,
        ImplicitPenaltyParameter = ImplicitPenaltyParameter,
        Beta = SnapshotArray<double>.CopyOf(point.Beta),
        StartBeta = SnapshotArray<double>.CopyOf(point.StartBeta),
        Status = SnapshotArray<ParameterStatus>.Owning(ParameterStatuses()),
        FinalPivot = SnapshotArray<int>.CopyOf(final.FinalPivot),
        Delta = point.Delta,
        DeltaScale = scales.Delta,
        ModelValues = point.Values,
        DidCovariance = final.DidCovariance,
        ResidualVariance = final.ResidualVariance,
        DegreesOfFreedom = final.DegreesOfFreedom,
        Sd = SnapshotArray<double>.CopyOf(final.Sd),
        Vcv = SnapshotArray<double>.CopyOf(final.Vcv),
    };

    /// <summary>The penalty parameter of the current pass of an implicit fit (ODRPACK's
    /// ABS(WE(1,1,1)) inside DODCNT's passes); 0 for explicit fits.</summary>
    private double ImplicitPenaltyParameter
    {
        get
        {
            if (!isImplicit || we1 is null) return 0.0;
            double factor = we1.Entry(0, 0, 0);
            return factor * factor;
        }
    }
}
