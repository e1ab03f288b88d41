using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace Odr;

/// <summary>How bootstrap data sets are drawn.</summary>
public enum BootstrapResampling
{
    /// <summary>Resample the fit's standardized residuals: observation i gets the residuals
    /// (δ, ε)·sqrt(w) of a random observation J (the pair together for ODR), centered, inflated by
    /// sqrt(n·q / dof) for the degrees of freedom the fit used up, and divided by observation i's
    /// sqrt(w); y* = ŷᵢ − ε*, x* = (x + δ)ᵢ − δ* (x itself for ordinary least squares).</summary>
    Residual,

    /// <summary>Draw new errors from the fitted model: ε* ~ N(0, res_var/w_ε), δ* ~ N(0, res_var/w_δ)
    /// for free inputs, added to the fitted ŷ and x + δ.</summary>
    Parametric,
}

/// <summary>Options of <see cref="FitInference.Bootstrap"/>.</summary>
public sealed record BootstrapOptions
{
    /// <summary>Number of bootstrap fits, at least 10 (default 1000).</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>How the data sets are drawn (default residual resampling).</summary>
    public BootstrapResampling Resampling { get; init; } = BootstrapResampling.Residual;

    /// <summary>Seed: the same seed gives the same replicates, whatever the parallelism.</summary>
    public int Seed { get; init; }

    /// <summary>Also refit with each observation left out, for the acceleration of BCa intervals
    /// (n more fits). <see cref="BootstrapResult.BcaIntervals"/> needs it.</summary>
    public bool Jackknife { get; init; }

    /// <summary>Fits run at the same time: -1 or 0 for all cores, 1 for one after another. Null (the
    /// default): all cores when the model is thread-safe (the per-observation form, or
    /// <see cref="ODR.ParallelModelEvaluation"/> set true on the fit), one otherwise.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>The replicates of a bootstrap and the intervals drawn from them. Immutable.</summary>
public sealed class BootstrapResult
{
    private readonly double[,] replicates;
    private readonly double[,]? jackknife;
    private readonly double[] estimate;
    private readonly bool[] free;

    internal BootstrapResult(double[] estimate, bool[] free, double[,] replicates, int requested, double[,]? jackknife, int jackknifeFailed)
    {
        this.estimate = estimate;
        this.free = free;
        this.replicates = replicates;
        this.jackknife = jackknife;
        Requested = requested;
        JackknifeFailed = jackknifeFailed;
    }

    /// <summary>Bootstrap fits asked for.</summary>
    public int Requested { get; }

    /// <summary>Bootstrap fits that converged and enter the intervals.</summary>
    public int Succeeded => replicates.GetLength(0);

    /// <summary>Bootstrap fits that did not converge (left out of the intervals).</summary>
    public int Failed => Requested - Succeeded;

    /// <summary>Leave-one-out fits that did not converge (then BCa intervals are not available).</summary>
    public int JackknifeFailed { get; }

    /// <summary>The converged replicates, [Succeeded, p] (a copy).</summary>
    public double[,] Replicates() => (double[,])replicates.Clone();

    /// <summary>The leave-one-out estimates, [n, p] (a copy), or null without <see cref="BootstrapOptions.Jackknife"/>.</summary>
    public double[,]? JackknifeEstimates() => (double[,]?)jackknife?.Clone();

    /// <summary>Standard deviations of the replicates per parameter (0 for fixed parameters).</summary>
    public double[] StandardErrors()
    {
        var r = new double[estimate.Length];
        for (int k = 0; k < r.Length; k++) r[k] = MathNet.Numerics.Statistics.Statistics.StandardDeviation(Column(replicates, k));
        return r;
    }

    /// <summary>The BCa acceleration per parameter from the jackknife,
    /// a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^1.5); NaN without a complete jackknife.</summary>
    public double[] Acceleration()
    {
        var a = new double[estimate.Length];
        for (int k = 0; k < a.Length; k++)
        {
            if (jackknife is null || JackknifeFailed > 0 || !free[k])
            {
                a[k] = double.NaN;
                continue;
            }
            var th = Column(jackknife, k);
            double mean = th.Average(), s2 = 0, s3 = 0;
            foreach (var v in th)
            {
                double d = mean - v;
                s2 += d * d;
                s3 += d * d * d;
            }
            a[k] = s2 > 0 ? s3 / (6 * Math.Pow(s2, 1.5)) : 0;
        }
        return a;
    }

    /// <summary>Percentile intervals: the α/2 and 1 − α/2 quantiles of the replicates (R's type 7
    /// quantile, linear between order statistics).</summary>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    public ParameterIntervals PercentileIntervals(double level = 0.95)
    {
        FitInference.CheckLevel(level);
        double alpha = 1 - level;
        return Build(IntervalMethod.BootstrapPercentile, level, k => (alpha / 2, 1 - alpha / 2, null));
    }

    /// <summary>Bias-corrected and accelerated (BCa, Efron 1987) intervals: the quantiles of the
    /// replicates at Φ(z₀ + (z₀ + z)/(1 − a·(z₀ + z))) for z = Φ⁻¹(α/2) and Φ⁻¹(1 − α/2), with
    /// z₀ = Φ⁻¹(share of replicates below the estimate) and a the jackknife <see cref="Acceleration"/>.</summary>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <exception cref="InvalidOperationException">The bootstrap ran without <see cref="BootstrapOptions.Jackknife"/>.</exception>
    public ParameterIntervals BcaIntervals(double level = 0.95)
    {
        FitInference.CheckLevel(level);
        if (jackknife is null) throw new InvalidOperationException("BCa intervals need the jackknife: run the bootstrap with BootstrapOptions.Jackknife = true.");
        var acc = Acceleration();
        double alpha = 1 - level;
        return Build(IntervalMethod.BootstrapBca, level, k =>
        {
            if (JackknifeFailed > 0) return (double.NaN, double.NaN, $"{JackknifeFailed} leave-one-out fits did not converge");
            var col = Column(replicates, k);
            double below = col.Count(v => v < estimate[k]) / (double)col.Length;
            double z0 = Normal.InvCDF(0, 1, below);
            if (!double.IsFinite(z0)) return (double.NaN, double.NaN, "every replicate lies on one side of the estimate");
            double Adjust(double z) => Normal.CDF(0, 1, z0 + (z0 + z) / (1 - acc[k] * (z0 + z)));
            return (Adjust(Normal.InvCDF(0, 1, alpha / 2)), Adjust(Normal.InvCDF(0, 1, 1 - alpha / 2)), null);
        });
    }

    private ParameterIntervals Build(IntervalMethod method, double level, Func<int, (double Low, double High, string? Note)> probabilities)
    {
        var result = new ParameterInterval[estimate.Length];
        for (int k = 0; k < result.Length; k++)
        {
            if (!free[k])
            {
                result[k] = new ParameterInterval { Index = k, Estimate = estimate[k], Lower = double.NaN, Upper = double.NaN, IsFixed = true, LowerFound = false, UpperFound = false, Note = "fixed by ifixb" };
                continue;
            }
            var (lo, hi, note) = probabilities(k);
            bool ok = note is null && double.IsFinite(lo) && double.IsFinite(hi) && Succeeded > 0;
            var sorted = Column(replicates, k);
            Array.Sort(sorted);
            double lower = ok ? Quantile(sorted, lo) : double.NaN, upper = ok ? Quantile(sorted, hi) : double.NaN;
            result[k] = new ParameterInterval
            {
                Index = k,
                Estimate = estimate[k],
                Lower = lower,
                Upper = upper,
                LowerFound = ok,
                UpperFound = ok,
                LowerReached = lower,
                UpperReached = upper,
                Note = ok ? null : note ?? "no converged replicates",
            };
        }
        return new ParameterIntervals(method, level, result);
    }

    /// <summary>R's type 7 quantile of sorted values.</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * Math.Clamp(p, 0, 1);
        int lo = (int)Math.Floor(h);
        if (lo >= sorted.Length - 1) return sorted[^1];
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    private static double[] Column(double[,] a, int k)
    {
        var c = new double[a.GetLength(0)];
        for (int i = 0; i < c.Length; i++) c[i] = a[i, k];
        return c;
    }
}

public sealed partial class FitInference
{
    /// <summary>
    /// Bootstraps the fit: draws <see cref="BootstrapOptions.Samples"/> data sets from the fitted model
    /// (see <see cref="BootstrapResampling"/>), refits each from the estimate with the same model and
    /// options on all cores through <see cref="OdrBatch"/>, and keeps the converged estimates, from
    /// which <see cref="BootstrapResult.PercentileIntervals"/> and (with the jackknife)
    /// <see cref="BootstrapResult.BcaIntervals"/> are read at any level. Each data set is drawn from its
    /// own generator seeded from (seed, index), so results do not depend on the parallelism.
    /// </summary>
    /// <param name="options">Samples, resampling, seed, jackknife, parallelism; null for the defaults.</param>
    /// <param name="cancellation">Stops the bootstrap (<see cref="OperationCanceledException"/>).</param>
    /// <param name="progress">Receives the number of fits finished.</param>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 10 samples.</exception>
    /// <exception cref="NotSupportedException">An implicit fit, weights with off-diagonal entries, or correlated x–y errors (rxy).</exception>
    /// <exception cref="InvalidOperationException">The fit computed no residual variance (var_calc 2),
    /// needed by the parametric bootstrap and the residual inflation.</exception>
    public BootstrapResult Bootstrap(BootstrapOptions? options = null, CancellationToken cancellation = default, IProgress<InferenceProgress>? progress = null)
    {
        options ??= new BootstrapOptions();
        if (options.Samples < 10) throw new ArgumentOutOfRangeException(nameof(options), options.Samples, "A bootstrap needs at least 10 samples.");
        if (IsImplicit) throw new NotSupportedException("The bootstrap is available for explicit fits only.");
        if ((Data.WeightsOnEps is { IsDiagonal: false }) || (!IsOrdinaryLeastSquares && Data.WeightsOnDelta is { IsDiagonal: false }))
        {
            throw new NotSupportedException("The bootstrap draws independent errors per variable; weights with off-diagonal entries (covariances) are not supported.");
        }
        if (Data.XyErrorSlopes is not null) throw new NotSupportedException("The bootstrap draws independent x and y errors; data with correlated errors (rxy) is not supported.");
        int dof = Output.DegreesOfFreedom;
        if (dof <= 0) throw new InvalidOperationException("The fit has no degrees of freedom or computed no residual variance (var_calc 2); the bootstrap needs them.");

        int n = Data.N, m = Data.M, q = Data.Q, p = free.Length;
        bool odr = !IsOrdinaryLeastSquares;
        var yhat = Output.Y;
        var xhat = odr ? Output.XPlus : null;
        var sqrtWe = new double[n * q];
        var sqrtWd = new double[n * m];
        var eStd = new double[n * q];
        var dStd = new double[n * m];
        var weighted = new List<int>();
        for (int i = 0; i < n; i++)
        {
            bool any = false;
            for (int l = 0; l < q; l++)
            {
                sqrtWe[i * q + l] = Math.Sqrt(Data.EpsWeight(l, i));
                eStd[i * q + l] = sqrtWe[i * q + l] * Output.Eps[l, i];
                any |= sqrtWe[i * q + l] > 0;
            }
            for (int j = 0; j < m && odr; j++)
            {
                bool freeX = ifixx is null || ifixx[j, i] != 0;
                sqrtWd[i * m + j] = freeX ? Math.Sqrt(Data.DeltaWeight(j, i)) : 0;
                dStd[i * m + j] = sqrtWd[i * m + j] * Output.Delta[j, i];
            }
            if (any) weighted.Add(i);
        }
        var pool = weighted.ToArray();
        int parallelism = options.MaxDegreeOfParallelism ?? ((parallelModel ?? Model.IsThreadSafe) ? -1 : 1);
        double inflate = Math.Sqrt((double)pool.Length * q / dof);
        Center(eStd, q, pool);
        if (odr) Center(dStd, m, pool);
        double sd = Math.Sqrt(Output.ResVar);
        var beta0 = (double[])Output.Beta.Clone();

        int total = options.Samples + (options.Jackknife ? n : 0);
        int reported = 0;
        void Report(string stage)
        {
            if (progress is null) return;
            int d = Interlocked.Increment(ref reported);
            progress.Report(new InferenceProgress(d, total, stage));
        }

        var fits = new Func<ODR>[options.Samples];
        for (int b = 0; b < fits.Length; b++)
        {
            int index = b;
            fits[b] = () =>
            {
                var rng = new Xoshiro256StarStar(SeedFor(options.Seed, index));
                var xs = new double[m, n];
                var ys = new double[q, n];
                for (int i = 0; i < n; i++)
                {
                    int from = pool[rng.Next(pool.Length)];
                    for (int l = 0; l < q; l++)
                    {
                        double w = sqrtWe[i * q + l];
                        double e = w == 0 ? 0
                            : options.Resampling == BootstrapResampling.Residual ? inflate * eStd[from * q + l] / w
                            : Normal.Sample(rng, 0, sd / w);
                        ys[l, i] = yhat[l, i] - e;
                    }
                    for (int j = 0; j < m; j++)
                    {
                        if (!odr)
                        {
                            xs[j, i] = Data.GetX(j, i);
                            continue;
                        }
                        double w = sqrtWd[i * m + j];
                        double d = w == 0 ? 0
                            : options.Resampling == BootstrapResampling.Residual ? inflate * dStd[from * m + j] / w
                            : Normal.Sample(rng, 0, sd / w);
                        xs[j, i] = xhat![j, i] - d;
                    }
                }
                var data = new Data(xs, ys, Data.RawWe, Data.RawWd);
                return Refit(data, beta0, null, null, ifixx, tight: false, stpd, scld);
            };
        }
        var batch = new BatchOptions { MaxDegreeOfParallelism = parallelism, Progress = _ => Report("bootstrap") };
        var outputs = OdrBatch.Run(fits, batch, cancellation);
        var good = outputs.Where(Succeeded).ToArray();
        var replicates = new double[good.Length, p];
        for (int r = 0; r < good.Length; r++)
        {
            for (int k = 0; k < p; k++) replicates[r, k] = good[r].Beta[k];
        }

        double[,]? jack = null;
        int jackFailed = 0;
        if (options.Jackknife)
        {
            var leaveOut = new Func<ODR>[n];
            for (int i = 0; i < n; i++)
            {
                int skip = i;
                leaveOut[i] = () => LeaveOneOut(skip, beta0);
            }
            var jb = new BatchOptions { MaxDegreeOfParallelism = parallelism, Progress = _ => Report("jackknife") };
            var jo = OdrBatch.Run(leaveOut, jb, cancellation);
            jack = new double[n, p];
            for (int i = 0; i < n; i++)
            {
                if (!Succeeded(jo[i])) jackFailed++;
                for (int k = 0; k < p; k++) jack[i, k] = jo[i].Beta[k];
            }
        }
        return new BootstrapResult(beta0, (bool[])free.Clone(), replicates, options.Samples, jack, jackFailed);

        static void Center(double[] values, int dim, int[] rows)
        {
            for (int c = 0; c < dim; c++)
            {
                double mean = rows.Average(i => values[i * dim + c]);
                foreach (int i in rows) values[i * dim + c] -= mean;
            }
        }
    }

    /// <summary>The fit with observation <paramref name="skip"/> left out (weights, ifixx and
    /// per-observation steps and scales subset to match).</summary>
    private ODR LeaveOneOut(int skip, double[] beta0)
    {
        int n = Data.N, m = Data.M, q = Data.Q;
        var keep = Enumerable.Range(0, n).Where(i => i != skip).ToArray();
        var xs = new double[m, keep.Length];
        var ys = new double[q, keep.Length];
        int[,]? fix = ifixx is null ? null : new int[m, keep.Length];
        for (int c = 0; c < keep.Length; c++)
        {
            for (int j = 0; j < m; j++)
            {
                xs[j, c] = Data.GetX(j, keep[c]);
                if (fix is not null) fix[j, c] = ifixx![j, keep[c]];
            }
            for (int l = 0; l < q; l++) ys[l, c] = Data.GetY(l, keep[c]);
        }
        var data = new Data(xs, ys, Subset(Data.WeightsOnEps, q, keep), Subset(Data.WeightsOnDelta, m, keep));
        return Refit(data, beta0, null, null, fix, tight: false, SubsetPerObservation(stpd, m, n, keep), SubsetPerObservation(scld, m, n, keep));
    }

    /// <summary>Diagonal weights of the kept observations as a [dim, n'] array.</summary>
    private static NdArray? Subset(Core.BlockWeights? w, int dim, int[] keep)
    {
        if (w is null) return null;
        var values = new double[dim, keep.Length];
        for (int c = 0; c < keep.Length; c++)
        {
            for (int r = 0; r < dim; r++) values[r, c] = w.Entry(keep[c], r, r);
        }
        if (dim == 1 && keep.Length == 1) return new[] { values[0, 0] };
        return values;
    }

    /// <summary>A per-observation stpd/scld ((n,) for one input or [m, n]) subset; shared shapes as they are.</summary>
    private static NdArray? SubsetPerObservation(NdArray? a, int m, int n, int[] keep)
    {
        if (a is null) return null;
        if (a.Rank == 1 && m == 1 && a.Shape[0] == n) return keep.Select(i => a[i]).ToArray();
        if (a.Rank == 2 && a.Shape[0] == m && a.Shape[1] == n)
        {
            var r = new double[m, keep.Length];
            for (int j = 0; j < m; j++)
            {
                for (int c = 0; c < keep.Length; c++) r[j, c] = a[j * n + keep[c]];
            }
            return r;
        }
        return a;
    }

    /// <summary>A generator seed for replicate <paramref name="index"/> (SplitMix64 of the pair).</summary>
    private static int SeedFor(int seed, int index)
    {
        ulong z = ((ulong)(uint)seed << 32) + (uint)index + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
