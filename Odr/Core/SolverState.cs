namespace Odr.Core;

/// <summary>Read-only views of the solver's state for results and reports.</summary>
internal sealed partial class Solver
{
    public int N => n;

    public int M => m;

    public int Q => q;

    public int NP => np;

    public int Npp => npp;

    public bool IsOdr => isOdr;

    public bool IsImplicit => isImplicit;

    public SolverInput Input => input;

    public ReadOnlySpan<double> Beta => beta;

    public ReadOnlySpan<double> StartBeta => beta0;

    public ReadOnlySpan<double> Delta => delta;

    /// <summary>Model values at the solution, f(beta, x + delta).</summary>
    public ReadOnlySpan<double> ModelValues => fs;

    public ReadOnlySpan<double> Sd => sd;

    public ReadOnlySpan<double> Vcv => vcv;

    public ReadOnlySpan<double> BetaScale => ssf;

    public ReadOnlySpan<double> DeltaScale => tt;

    public ReadOnlySpan<int> FinalPivot => finalPivot;

    public ReadOnlySpan<int> Msgb => msgb;

    public ReadOnlySpan<int> Msgd => msgd;

    public ReadOnlySpan<double> DerivativeDifferences => derivativeDifferences;

    public double ResidualVariance => rvar;

    public int DegreesOfFreedom => idf;

    public double WeightedSumOfSquares => wssEps + wssDelta;

    public double WeightedSumOfSquaresDelta => wssDelta;

    public double WeightedSumOfSquaresEps => wssEps;

    /// <summary>Current ‖weighted residual‖² during the iterations.</summary>
    public double CurrentSumOfSquares => rnorm * rnorm;

    public double InverseConditionNumber => rcond;

    public double RelativeError => eta;

    public int Neta => neta;

    public int Ntol => ntol;

    public int RankDeficiency => irank;

    public int Iterations => niter;

    public int FunctionEvaluations => nfev;

    public int JacobianEvaluations => njev;

    public int Istop => istop;

    public int NonZeroWeights => nnzw;

    public double Tau => tau;

    public double Alpha => alpha;

    public double PNorm => pnorm;

    public double ActualReduction => actred;

    public double PredictedReduction => prered;

    public double AverageLmSteps => olmavg;

    public int MaxIterations => maxit;

    public double SsTolerance => sstol;

    public double ParTolerance => partol;

    public double TauFactor => taufac;

    public bool DidCovariance => didCovariance;

    public int InternalDoublings => int2;

    public string? LastRejection => model.LastRejection;
}
