using System.Globalization;
using MathNet.Numerics.RootFinding;

namespace Odr;

public sealed partial class FitInference
{
    /// <summary>Steps outward from the estimate before a side is declared unbracketed.</summary>
    private const int MaxProfileSteps = 40;

    /// <summary>How far (in Wald half-widths) a side is searched before it is declared unbracketed.</summary>
    private const double MaxProfileDistance = 1000;

    /// <summary>
    /// Profile-t confidence intervals, as R's <c>confint</c> for <c>nls</c> (MASS's profile method).
    /// </summary>
    /// <remarks>
    /// For each parameter βₖ the weighted sum of squares S is minimized over all other free parameters
    /// and, for ODR, over the deltas, by refitting with βₖ fixed (ifixb) at a trial value b. The
    /// profile t statistic is τ(b) = sign(b − β̂ₖ)·sqrt(S(b) − S(β̂))/s with s² = S(β̂)/dof, and the
    /// interval is where |τ| ≤ t, the Student t quantile at the fit's degrees of freedom. Each side is
    /// searched outward from β̂ₖ in steps guided by the Wald half-width until τ passes the quantile,
    /// and the crossing is then found by Brent's method to about 1e-9 of the half-width (R
    /// interpolates a spline through a coarser profile instead, good to 3–4 digits). Refits use
    /// tolerances near machine precision and start from the nearest profile point. A side is not
    /// bracketed (<see cref="ParameterInterval.LowerFound"/> false, the bound NaN and
    /// <see cref="ParameterInterval.LowerReached"/> the furthest value profiled) when a bound on the
    /// parameter is reached, a refit fails, or τ stays below the quantile for 1000 half-widths — as R
    /// then gives NA. Sides run in parallel when the model is thread-safe (the per-observation form,
    /// or <see cref="ODR.ParallelModelEvaluation"/> set).
    /// </remarks>
    /// <param name="level">Confidence level, strictly between 0 and 1.</param>
    /// <param name="parameters">Indices of the parameters to profile; null for every free parameter.
    /// The others get no interval (NaN, not found, note "not profiled").</param>
    /// <param name="cancellation">Stops the computation (<see cref="OperationCanceledException"/>).</param>
    /// <param name="progress">Receives the number of sides finished of 2 per profiled parameter.</param>
    /// <exception cref="ArgumentOutOfRangeException">The level is outside (0, 1) or an index is out of range.</exception>
    /// <exception cref="ArgumentException">A parameter to profile is fixed by ifixb.</exception>
    /// <exception cref="NotSupportedException">An implicit fit.</exception>
    /// <exception cref="InvalidOperationException">The fit has no degrees of freedom, its refit fails,
    /// or profiling finds a lower sum of squares than the fit's (the fit had not converged).</exception>
    public ParameterIntervals ProfileIntervals(double level = 0.95, IReadOnlyList<int>? parameters = null, CancellationToken cancellation = default, IProgress<InferenceProgress>? progress = null)
    {
        CheckLevel(level);
        if (IsImplicit) throw new NotSupportedException("Profiles are computed for explicit fits only.");
        int p = free.Length;
        var which = parameters?.ToArray() ?? Enumerable.Range(0, p).Where(k => free[k]).ToArray();
        foreach (int k in which)
        {
            if (k < 0 || k >= p) throw new ArgumentOutOfRangeException(nameof(parameters), k, $"Parameter indices run from 0 to {p - 1}.");
            if (!free[k]) throw new ArgumentException($"beta[{k}] is fixed by ifixb; a fixed parameter has no profile.", nameof(parameters));
        }
        double t = TQuantile(level);
        int dof = Output.DegreesOfFreedom;

        // The minimum itself, converged tightly: every τ is measured from it.
        var center = Refit(Output.Beta, null, IsOrdinaryLeastSquares ? null : Output.Delta.ToArray(), tight: true).Run(cancellation);
        if (!Succeeded(center)) throw new InvalidOperationException($"Refitting the model to machine precision failed (info {center.Info}: {string.Join("; ", center.StopReason)}); the profile needs a converged minimum.");
        double smin = Math.Min(center.SumSquare, Output.SumSquare);
        var start = center.SumSquare <= Output.SumSquare ? center : Output;
        double s = Math.Sqrt(smin / dof);

        var sides = which.SelectMany(k => new[] { (k, -1), (k, 1) }).ToArray();
        var found = new ProfileSide[sides.Length];
        int done = 0;
        bool parallel = parallelModel ?? Model.IsThreadSafe;
        var options = new ParallelOptions { CancellationToken = cancellation, MaxDegreeOfParallelism = parallel ? -1 : 1 };
        try
        {
            Parallel.For(0, sides.Length, options, i =>
            {
                found[i] = ProfileOneSide(sides[i].k, sides[i].Item2, t, s, smin, start, cancellation);
                int d = Interlocked.Increment(ref done);
                progress?.Report(new InferenceProgress(d, sides.Length, "profile"));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
        }

        var result = new ParameterInterval[p];
        for (int k = 0; k < p; k++)
        {
            double b = Output.BetaValues[k];
            if (!free[k])
            {
                result[k] = Fixed(k);
                continue;
            }
            int at = Array.IndexOf(which, k);
            if (at < 0)
            {
                result[k] = new ParameterInterval { Index = k, Estimate = b, Lower = double.NaN, Upper = double.NaN, LowerFound = false, UpperFound = false, Note = "not profiled" };
                continue;
            }
            var lo = found[2 * at];
            var hi = found[2 * at + 1];
            string? note = (lo.Note, hi.Note) switch
            {
                (null, null) => null,
                (string a, null) => "lower: " + a,
                (null, string c) => "upper: " + c,
                (string a, string c) => "lower: " + a + "; upper: " + c,
            };
            result[k] = new ParameterInterval
            {
                Index = k,
                Estimate = b,
                Lower = lo.Found ? lo.Bound : double.NaN,
                Upper = hi.Found ? hi.Bound : double.NaN,
                LowerFound = lo.Found,
                UpperFound = hi.Found,
                LowerReached = lo.Bound,
                UpperReached = hi.Bound,
                Note = note,
            };
        }
        return new ParameterIntervals(IntervalMethod.Profile, level, result);
    }

    /// <summary>One side of a profile: the crossing (Found) or the furthest value reached.</summary>
    private readonly record struct ProfileSide(bool Found, double Bound, string? Note);

    /// <summary>A computed profile point: the fixed value, its τ and the refit (warm start of the next).</summary>
    private sealed record ProfilePoint(double Value, double Tau, Output Fit);

    private ProfileSide ProfileOneSide(int k, int side, double t, double s, double smin, Output start, CancellationToken cancellation)
    {
        double bhat = start.Beta[k];
        double h = t * Output.SdBetaValues[k];
        if (!(h > 0)) h = 1e-3 * Math.Max(Math.Abs(bhat), 1e-8);
        double bound = side < 0 ? (lower?[k] ?? double.NegativeInfinity) : (upper?[k] ?? double.PositiveInfinity);
        var mask = free.Select(f => f ? 1 : 0).ToArray();
        mask[k] = 0;
        var points = new List<ProfilePoint> { new(bhat, 0, start) };

        ProfilePoint? Evaluate(double v)
        {
            cancellation.ThrowIfCancellationRequested();
            var near = points.MinBy(pt => Math.Abs(pt.Value - v))!;
            var beta0 = (double[])near.Fit.Beta.Clone();
            beta0[k] = v;
            var fit = Refit(beta0, mask, IsOrdinaryLeastSquares ? null : near.Fit.Delta.ToArray(), tight: true).Run(cancellation);
            if (!Succeeded(fit)) return null;
            double d = fit.SumSquare - smin;
            if (d < -1e-9 * smin)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Profiling beta[{k}] found a lower weighted sum of squares ({fit.SumSquare:G10} < {smin:G10}) at beta[{k}] = {v:G10}: the fit had not reached the minimum. Refit from there."));
            }
            var point = new ProfilePoint(v, Math.Sign(v - bhat) * Math.Sqrt(Math.Max(d, 0)) / s, fit);
            lock (points) points.Add(point);
            return point;
        }

        var inner = points[0];
        double distance = h;
        for (int step = 0; step < MaxProfileSteps; step++)
        {
            double v = bhat + side * distance;
            bool atBound = false;
            if ((side < 0 && v <= bound) || (side > 0 && v >= bound))
            {
                v = bound;
                atBound = true;
            }
            if (v == inner.Value) return new ProfileSide(false, inner.Value, "the parameter's bound is reached before the profile crosses the quantile");
            var pt = Evaluate(v);
            if (pt is null)
            {
                return new ProfileSide(false, inner.Value, string.Create(CultureInfo.InvariantCulture, $"the refit with beta[{k}] fixed at {v:G8} did not converge"));
            }
            if (side * pt.Tau >= t)
            {
                return Crossing(inner, pt);
            }
            if (atBound) return new ProfileSide(false, v, "the parameter's bound is reached before the profile crosses the quantile");
            // Secant extrapolation of τ towards the quantile, at least 1.1 and at most 4 times further.
            double reach = side * pt.Tau > 0 ? distance * t / (side * pt.Tau) * 1.05 : 4 * distance;
            distance = Math.Clamp(reach, 1.1 * distance, 4 * distance);
            inner = pt;
            if (distance > MaxProfileDistance * h) break;
        }
        return new ProfileSide(false, inner.Value, "the profile t statistic stays below the quantile (the profile flattens)");

        ProfileSide Crossing(ProfilePoint a, ProfilePoint b)
        {
            string? failure = null;
            double F(double v)
            {
                if (v == a.Value) return side * a.Tau - t;
                if (v == b.Value) return side * b.Tau - t;
                var pt = Evaluate(v);
                if (pt is null)
                {
                    failure = string.Create(CultureInfo.InvariantCulture, $"the refit with beta[{k}] fixed at {v:G8} did not converge");
                    throw new OperationCanceledException();
                }
                return side * pt.Tau - t;
            }
            double lo = Math.Min(a.Value, b.Value), hi = Math.Max(a.Value, b.Value);
            try
            {
                if (Brent.TryFindRoot(F, lo, hi, 1e-9 * h, 200, out double root)) return new ProfileSide(true, root, null);
            }
            catch (OperationCanceledException) when (failure is not null && !cancellation.IsCancellationRequested)
            {
                return new ProfileSide(false, a.Value, failure);
            }
            return new ProfileSide(false, a.Value, "the crossing could not be located");
        }
    }
}
