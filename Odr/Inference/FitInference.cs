using MathNet.Numerics.LinearAlgebra;
using Odr.Core;

namespace Odr;

/// <summary>
/// Inference on a finished fit beyond ODRPACK's report: the parameters' correlation, goodness of fit
/// (χ², p-value, log-likelihood, AIC, BIC), confidence intervals by the Wald, profile and bootstrap
/// methods, and predictions with confidence and prediction intervals.
/// </summary>
/// <remarks>
/// It takes a snapshot of the fit's setup (data, model, options) when created, so later changes to the
/// <see cref="ODR"/> do not affect it; profiles and bootstraps refit copies of that setup. Explicit fits
/// (ODR and ordinary least squares) are supported; implicit fits have only the correlation and the Wald
/// intervals. Instances are immutable and thread-safe (the model must be thread-safe for the parallel
/// bootstrap, as the per-observation <see cref="Model"/> form is).
/// <code>
/// var odr = new ODR(new RealData(x, y, sx: sx, sy: sy), model, new[] { 1.0, 0.1 });
/// odr.Run();
/// var inference = new FitInference(odr);
/// var gof = inference.GoodnessOfFit();           // chi2, p-value (absolute weights), AIC ...
/// var wald = inference.WaldIntervals(0.95);
/// var profile = inference.ProfileIntervals(0.95);
/// var band = inference.Predict(new[] { 0.5, 1.0, 2.0 });
/// </code>
/// </remarks>
public sealed partial class FitInference
{
    private readonly bool[] free;
    private readonly BoundsMethod boundsMethod;
    private readonly int[]? ifixb;
    private readonly int[,]? ifixx;
    private readonly JobCode job; // fit type and derivative; the other digits are set per refit
    private readonly int ndigit;
    private readonly double taufac;
    private readonly double sstol;
    private readonly double partol;
    private readonly int maxit;
    private readonly double[]? stpb;
    private readonly NdArray? stpd;
    private readonly double[]? sclb;
    private readonly NdArray? scld;
    private readonly double[]? lower;
    private readonly double[]? upper;
    private readonly bool? parallelModel;

    /// <summary>Inference on the last result of <paramref name="odr"/>.</summary>
    /// <param name="odr">A fit that has been run.</param>
    /// <exception cref="InvalidOperationException">The fit has not been run, or it stopped with a fatal error.</exception>
    public FitInference(ODR odr)
        : this(odr, odr?.Output ?? throw new InvalidOperationException("The fit has not been run: call Run() before creating a FitInference."))
    {
    }

    /// <summary>Inference on <paramref name="output"/>, the result of running <paramref name="odr"/>.</summary>
    /// <param name="odr">The fit's setup (data, model, options).</param>
    /// <param name="output">The fit's result.</param>
    /// <exception cref="InvalidOperationException">The fit stopped with a fatal error.</exception>
    public FitInference(ODR odr, Output output)
    {
        ArgumentNullException.ThrowIfNull(odr);
        ArgumentNullException.ThrowIfNull(output);
        if (output.Info >= 10000) throw new InvalidOperationException($"The fit stopped with the fatal error {output.Info} ({string.Join("; ", output.StopReason)}); there is nothing to infer from.");
        int p = output.BetaValues.Length;
        if (p != odr.P) throw new ArgumentException($"The output has {p} parameters but the fit {odr.P}.", nameof(output));
        Output = output;
        Data = odr.Data;
        Model = odr.Model;
        var jobCode = JobCode.FromValue(odr.Job);
        IsImplicit = jobCode.Fit == FitKind.ImplicitOdr || odr.Model.IsImplicit;
        IsOrdinaryLeastSquares = jobCode.Fit == FitKind.OrdinaryLeastSquares && !IsImplicit;
        // Plain loops rather than LINQ: a batch builds one of these per group.
        ifixb = odr.Ifixb is null ? null : ODR.FixFlags(odr.Ifixb);

        // Estimated parameters: neither fixed nor, with the active-set bounds method, held on a bound
        // (inference conditional on the bound, as Output's covariance is).
        boundsMethod = odr.BoundsMethod;
        var status = output.Status;
        free = new bool[p];
        for (int k = 0; k < p; k++)
        {
            free[k] = (ifixb is null || ifixb[k] != 0)
                && !(boundsMethod == BoundsMethod.ActiveSet && k < status.Count
                     && status[k] is ParameterStatus.AtLowerBound or ParameterStatus.AtUpperBound or ParameterStatus.Fixed);
        }
        int[]? fix = odr.Ifixx is null ? odr.Data.Fix : Data.InterpretIfixx(odr.Ifixx, Data.M, Data.N, "ifixx");
        if (fix is not null)
        {
            ifixx = new int[Data.M, Data.N];
            for (int i = 0; i < Data.N; i++)
            {
                for (int j = 0; j < Data.M; j++) ifixx[j, i] = fix[i * Data.M + j];
            }
        }
        job = new JobCode(jobCode.Fit, jobCode.Derivative);
        ndigit = odr.NDigit;
        taufac = odr.TauFac;
        sstol = odr.SsTol;
        partol = odr.ParTol;
        maxit = odr.MaxIt;
        stpb = odr.Stpb is null ? null : (double[])odr.Stpb.Clone();
        stpd = odr.Stpd;
        sclb = odr.Sclb is null ? null : (double[])odr.Sclb.Clone();
        scld = odr.Scld;
        lower = odr.Lower is null ? null : (double[])odr.Lower.Clone();
        upper = odr.Upper is null ? null : (double[])odr.Upper.Clone();
        parallelModel = odr.ParallelModelEvaluation;
    }

    /// <summary>The fit's result.</summary>
    public Output Output { get; }

    /// <summary>The fitted data.</summary>
    public Data Data { get; }

    /// <summary>The model.</summary>
    public Model Model { get; }

    /// <summary>True for an ordinary least squares fit (fit type 2): x is taken as exact.</summary>
    public bool IsOrdinaryLeastSquares { get; }

    /// <summary>True for an implicit fit.</summary>
    public bool IsImplicit { get; }

    /// <summary>Per parameter: true when it was estimated, false when ifixb held it fixed.</summary>
    public IReadOnlyList<bool> IsFree => Array.AsReadOnly(free);

    /// <summary>The number of estimated (free) parameters.</summary>
    public int FreeParameterCount => free.Count(f => f);

    /// <summary>The correlation matrix of the parameters (see <see cref="OutputInferenceExtensions.CorrelationBeta"/>).</summary>
    public double[,] CorrelationBeta() => Output.CorrelationBeta();

    /// <summary>χ², degrees of freedom, p-value, reduced χ², log-likelihood, AIC and BIC (see
    /// <see cref="Odr.GoodnessOfFit"/> for the definitions).</summary>
    /// <param name="absoluteWeights">Whether the weights are 1/σ² with the σ's known (then the p-value
    /// is given). Null (the default): true exactly when the data are <see cref="RealData"/> whose
    /// response errors were given (sy or covy) and, for an ODR fit, whose input errors were given
    /// too (sx or covx) or all inputs are fixed.</param>
    /// <exception cref="NotSupportedException">An implicit fit (it has no likelihood of this form), or
    /// a full weight block that is singular.</exception>
    public GoodnessOfFit GoodnessOfFit(bool? absoluteWeights = null)
    {
        if (IsImplicit) throw new NotSupportedException("Goodness of fit is defined here for explicit fits only; an implicit fit has no responses to weigh.");
        double chi2 = Output.SumSquare;
        int dof = Output.DegreesOfFreedom;
        bool absolute = absoluteWeights ?? WeightsLookAbsolute();
        double? p = absolute && dof > 0 ? MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(dof / 2.0, chi2 / 2.0) : null;

        int count = 0;
        double logDet = 0;
        int n = Data.N, q = Data.Q, m = Data.M;
        var we = Data.WeightsOnEps;
        var wd = Data.WeightsOnDelta;
        var all = Enumerable.Range(0, q).ToArray();
        for (int i = 0; i < n; i++)
        {
            AddBlock(we, i, all, ref count, ref logDet, "we");
        }
        if (!IsOrdinaryLeastSquares)
        {
            // One array of the free inputs, refilled per observation: a batch computes this for every
            // group, and a LINQ query per observation was most of its cost.
            var inputs = Enumerable.Range(0, m).ToArray();
            var freeInputs = new int[m];
            for (int i = 0; i < n; i++)
            {
                int[] rows = inputs;
                if (ifixx is not null)
                {
                    int freeCount = 0;
                    for (int j = 0; j < m; j++)
                    {
                        if (ifixx[j, i] != 0) freeInputs[freeCount++] = j;
                    }
                    rows = freeCount == m ? inputs : freeInputs[..freeCount];
                }
                if (rows.Length > 0) AddBlock(wd, i, rows, ref count, ref logDet, "wd");
            }
        }
        double logL = -count / 2.0 * (Math.Log(2 * Math.PI) + 1 - Math.Log(count) + Math.Log(chi2)) + logDet / 2;
        return new GoodnessOfFit
        {
            ChiSquare = chi2,
            DegreesOfFreedom = dof,
            ReducedChiSquare = dof > 0 ? chi2 / dof : double.NaN,
            WeightsAreAbsolute = absolute,
            PValue = p,
            LogLikelihood = logL,
            Observations = count,
            EstimatedParameters = FreeParameterCount + 1,
        };
    }

    /// <summary>Adds the observed values of one weight block (rows <paramref name="rows"/> of it) to the
    /// count and their log-determinant to the sum; values with zero weight drop out, as in R.</summary>
    private static void AddBlock(BlockWeights? w, int i, int[] rows, ref int count, ref double logDet, string name)
    {
        if (w is null)
        {
            count += rows.Length;
            return;
        }
        if (w.IsDiagonal)
        {
            foreach (int r in rows)
            {
                double v = w.Entry(i, r, r);
                if (v > 0)
                {
                    count++;
                    logDet += Math.Log(v);
                }
            }
            return;
        }
        AddFullBlock(w, i, rows, ref count, ref logDet, name);
    }

    /// <summary><see cref="AddBlock"/> of a full block: a method of its own, because its lambdas capture
    /// the arguments, which costs an allocation on every call of the method that holds them (every
    /// observation of every group of a batch).</summary>
    private static void AddFullBlock(BlockWeights w, int i, int[] rows, ref int count, ref double logDet, string name)
    {
        var weighted = rows.Where(r => w.Entry(i, r, r) > 0).ToArray();
        if (weighted.Length == 0) return;
        if (weighted.Length < rows.Length && rows.Any(r => weighted.Any(c => w.Entry(i, r, c) != 0 && !weighted.Contains(r))))
        {
            throw new NotSupportedException($"The {name} block of observation {i} has zero diagonal entries with non-zero off-diagonal ones; its log-determinant is not defined.");
        }
        var block = Matrix<double>.Build.Dense(weighted.Length, weighted.Length, (a, b) => w.Entry(i, weighted[a], weighted[b]));
        double det = block.Determinant();
        if (!(det > 0) || !double.IsFinite(det)) throw new NotSupportedException($"The {name} block of observation {i} is singular; the log-likelihood needs positive definite weight blocks.");
        count += weighted.Length;
        logDet += Math.Log(det);
    }

    private bool WeightsLookAbsolute()
    {
        if (Data is not RealData real) return false;
        bool yKnown = real.Sy is not null || real.Covy is not null;
        bool xKnown = real.Sx is not null || real.Covx is not null;
        bool xExact = IsOrdinaryLeastSquares || (ifixx is not null && ifixx.Cast<int>().All(v => v == 0));
        return yKnown && (xKnown || xExact);
    }

    /// <summary>Wald intervals beta ± t·sd_beta with the exact Student t quantile at the fit's degrees of
    /// freedom (MathNet's <c>StudentT.InvCDF</c>): for ordinary least squares the intervals that R's
    /// <c>summary.nls</c> implies (not <c>confint.default</c>, which uses the normal quantile).</summary>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1).</exception>
    /// <exception cref="InvalidOperationException">The fit has no covariance (var_calc 2) or no degrees of freedom.</exception>
    public ParameterIntervals WaldIntervals(double level = 0.95)
    {
        CheckLevel(level);
        double t = TQuantile(level);
        var result = new ParameterInterval[free.Length];
        for (int k = 0; k < free.Length; k++)
        {
            double b = Output.BetaValues[k];
            if (!free[k])
            {
                result[k] = Fixed(k);
                continue;
            }
            double half = t * Output.SdBetaValues[k];
            result[k] = new ParameterInterval { Index = k, Estimate = b, Lower = b - half, Upper = b + half, LowerReached = b - half, UpperReached = b + half };
        }
        return new ParameterIntervals(IntervalMethod.Wald, level, result);
    }

    /// <summary>Confidence intervals by <paramref name="method"/> with the default options of each
    /// (for the bootstrap: residual resampling, 1000 fits, seed 0).</summary>
    /// <param name="method">The method.</param>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <param name="bootstrap">Options of a bootstrap (null for the defaults); ignored by the other methods.</param>
    /// <param name="cancellation">Stops a profile or bootstrap.</param>
    /// <param name="progress">Receives the progress of a profile or bootstrap.</param>
    public ParameterIntervals Intervals(IntervalMethod method, double level = 0.95, BootstrapOptions? bootstrap = null, CancellationToken cancellation = default, IProgress<InferenceProgress>? progress = null)
    {
        CheckLevel(level);
        return method switch
        {
            IntervalMethod.Wald => WaldIntervals(level),
            IntervalMethod.Profile => ProfileIntervals(level, null, cancellation, progress),
            IntervalMethod.BootstrapPercentile => Bootstrap(bootstrap, cancellation, progress).PercentileIntervals(level),
            IntervalMethod.BootstrapBca => Bootstrap((bootstrap ?? new BootstrapOptions()) with { Jackknife = true }, cancellation, progress).BcaIntervals(level),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown interval method."),
        };
    }

    internal ParameterInterval Fixed(int k) => new()
    {
        Index = k,
        Estimate = Output.BetaValues[k],
        Lower = double.NaN,
        Upper = double.NaN,
        IsFixed = true,
        LowerFound = false,
        UpperFound = false,
        Note = "fixed by ifixb",
    };

    internal static void CheckLevel(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must lie strictly between 0 and 1.");
    }

    /// <summary>The two-sided Student t quantile at the fit's degrees of freedom.</summary>
    internal double TQuantile(double level)
    {
        int dof = Output.DegreesOfFreedom;
        if (dof <= 0)
        {
            throw new InvalidOperationException("The fit has no degrees of freedom or computed no covariance (var_calc 2); intervals need both.");
        }
        return StudentTQuantile.TwoSided(level, dof);
    }

    /// <summary>A fresh fit of the same model and options to other data, from <paramref name="beta0"/>,
    /// with the covariance skipped; <paramref name="tight"/> asks for tolerances near machine precision.</summary>
    internal ODR Refit(Data data, double[] beta0, int[]? fixedMask, double[,]? delta0, int[,]? fix, bool tight, NdArray? stepD = null, NdArray? scaleD = null)
    {
        var odr = new ODR(
            data,
            Model,
            beta0,
            delta0: delta0 is null ? null : (NdArray)delta0,
            ifixb: fixedMask ?? ifixb,
            ifixx: fix is null ? null : (NdArray)fix,
            job: (job with { Covariance = CovarianceKind.None, InitialDelta = delta0 is not null }).Value,
            ndigit: ndigit,
            taufac: taufac,
            sstol: tight ? TightTolerance : sstol,
            partol: tight ? TightTolerance : partol,
            maxit: tight ? Math.Max(maxit, 500) : maxit,
            stpb: stpb,
            stpd: stepD,
            sclb: sclb,
            scld: scaleD,
            lower: lower,
            upper: upper);
        odr.ParallelModelEvaluation = parallelModel;
        odr.BoundsMethod = boundsMethod;
        return odr;
    }

    /// <summary>A refit of the fitted data itself.</summary>
    internal ODR Refit(double[] beta0, int[]? fixedMask, double[,]? delta0, bool tight) =>
        Refit(Data, beta0, fixedMask, delta0, ifixx, tight, stpd, scld);

    /// <summary>Tolerances of the refits of profiles: the sums of squares they compare differ from the
    /// minimum by a fraction of the residual variance, so they must be converged well beyond it.</summary>
    internal const double TightTolerance = 1e-14;

    internal int[,]? Ifixx => ifixx;

    internal double[]? LowerBounds => lower;

    internal double[]? UpperBounds => upper;

    internal NdArray? StepD => stpd;

    internal NdArray? ScaleD => scld;

    internal static bool Succeeded(Output o) => new InfoCode(o.Info).Success;
}
