using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Odr.Core;

/// <summary>What the solver shows outside: immutable snapshots for the reports and the output, and
/// the few counts its driver (<see cref="ODR"/>) needs to decide on a restart.</summary>
internal sealed partial class Solver
{
    /// <summary>Iterations so far (ODRPACK: NITER).</summary>
    public int Iterations => niter;

    /// <summary>Average Levenberg-Marquardt steps per iteration of the last run (ODRPACK: OLMAVG).</summary>
    public double AverageLmSteps => olmavg;

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
        Iterations = niter,
        FunctionEvaluations = nfev,
        SumOfSquares = rnorm * rnorm,
        ActualReduction = actred,
        PredictedReduction = prered,
        Tau = tau,
        PNorm = pnorm,
        LmParameter = alpha,
        ImplicitPenaltyParameter = ImplicitPenaltyParameter,
        Beta = ImmutableArray.Create<double>(beta),
    };

    /// <summary>The state now: at the start of a run (before its iterations) or at its end. The
    /// per-observation arrays are views (see <see cref="FitSnapshot"/>).</summary>
    public FitSnapshot Snapshot() => new()
    {
        Input = input,
        Npp = npp,
        Job = Job(restart: false),
        NonZeroWeights = nnzw,
        DeltaWeights = wd,
        Neta = neta,
        TauFactor = taufac,
        SsTolerance = sstol,
        ParTolerance = partol,
        MaxIterations = maxit,
        BetaScale = ImmutableArray.Create<double>(ssf),
        Msgb = ImmutableArray.Create<int>(msgb),
        Msgd = ImmutableArray.Create<int>(msgd),
        DerivativeDifferences = ImmutableArray.Create<double>(derivativeDifferences),
        Ntol = ntol,
        CheckedRow = nrow,
        Info = new InfoCode(Info),
        Iterations = niter,
        FunctionEvaluations = nfev,
        JacobianEvaluations = njev,
        Istop = istop,
        RankDeficiency = irank,
        InverseConditionNumber = rcond,
        RelativeError = eta,
        AverageLmSteps = olmavg,
        WeightedSumOfSquaresEps = wssEps,
        WeightedSumOfSquaresDelta = wssDelta,
        ImplicitPenaltyParameter = ImplicitPenaltyParameter,
        Beta = ImmutableArray.Create<double>(beta),
        StartBeta = ImmutableArray.Create<double>(beta0),
        Status = ImmutableCollectionsMarshal.AsImmutableArray(ParameterStatuses()),
        FinalPivot = ImmutableArray.Create<int>(finalPivot),
        Delta = delta,
        DeltaScale = tt,
        ModelValues = fs,
        DidCovariance = didCovariance,
        ResidualVariance = rvar,
        DegreesOfFreedom = idf,
        Sd = ImmutableArray.Create<double>(sd),
        Vcv = ImmutableArray.Create<double>(vcv),
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
