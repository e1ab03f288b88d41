using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Bounds;

/// <summary>
/// The active-set bounds method over random exponential-decay problems (ODR and OLS) and random boxes,
/// each result checked against the definition of a constrained optimum: it is feasible; with the
/// parameters it reports on a bound fixed there (ifixb, the unbounded solver), the others are already
/// optimal; and moving a parameter on a bound into the box (the others re-optimized) does not lower the
/// weighted sum of squares (the KKT sign).
/// </summary>
public class BoundsPropertyTests
{
    private sealed record Problem(Data Data, Model Model, double[] Beta0, bool Ols);

    /// <summary>a·exp(k·x) + c with its analytic derivatives.</summary>
    internal static readonly Model Decay = new(
        (b, x) => b[0] * Math.Exp(b[1] * x) + b[2],
        (b, x, g) =>
        {
            double e = Math.Exp(b[1] * x);
            g[0] = e;
            g[1] = b[0] * x * e;
            g[2] = 1;
        },
        (b, x) => b[0] * b[1] * Math.Exp(b[1] * x));

    private static Problem RandomProblem(Random r)
    {
        int n = r.Next(8, 30);
        double a = 2 + 4 * r.NextDouble(), k = -(0.2 + r.NextDouble()), c = r.NextDouble() - 0.5;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 5.0 * i / (n - 1) + 0.05 * (r.NextDouble() - 0.5);
            y[i] = a * Math.Exp(k * x[i]) + c + 0.2 * (r.NextDouble() - 0.5);
        }
        var data = new RealData(x, y, sx: 0.05, sy: 0.1);
        return new Problem(data, Decay, new[] { a * (0.8 + 0.4 * r.NextDouble()), k * (0.8 + 0.4 * r.NextDouble()), 0.0 }, r.Next(2) == 0);
    }

    private static Output Fit(Problem p, double[] beta0, double[]? lower = null, double[]? upper = null, int[]? ifixb = null)
    {
        var odr = new ODR(p.Data, p.Model, beta0, ifixb: ifixb, lower: lower, upper: upper, sstol: 1e-15, partol: 1e-15, maxit: 200);
        odr.SetJob(fitType: p.Ols ? 2 : 0, deriv: 3);
        return odr.Run();
    }

    private static Property Check(Func<Random, string?> check) => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        string? error = check(new Random(seed));
        return error is null ? true.ToProperty() : false.Label($"seed {seed}: {error}");
    });

    /// <summary>Random boxes: each parameter gets no bound, a lower or an upper bound placed within a
    /// few standard errors of the unbounded optimum, on either side of it (active or not).</summary>
    [Property(MaxTest = 40)]
    public Property RandomBoxesEndAtAConstrainedOptimum() => Check(r =>
    {
        var p = RandomProblem(r);
        var free = Fit(p, p.Beta0);
        if (!free.Converged) return null; // not a question about bounds
        var lower = new double[3];
        var upper = new double[3];
        for (int k = 0; k < 3; k++)
        {
            lower[k] = double.NegativeInfinity;
            upper[k] = double.PositiveInfinity;
            double offset = (r.NextDouble() * 6 - 3) * free.SdBeta[k];
            switch (r.Next(3))
            {
                case 1: lower[k] = free.Beta[k] + offset; break;
                case 2: upper[k] = free.Beta[k] + offset; break;
            }
        }
        var beta0 = p.Beta0.Select((b, k) => Math.Clamp(b, lower[k], upper[k])).ToArray();
        var o = Fit(p, beta0, lower, upper);
        if (!o.Converged) return $"info {o.Info}";
        for (int k = 0; k < 3; k++)
        {
            if (o.Beta[k] < lower[k] || o.Beta[k] > upper[k]) return $"beta[{k}] = {o.Beta[k]:R} outside [{lower[k]:R}, {upper[k]:R}]";
        }
        return KktHolds(p, o, lower, upper);
    });

    /// <summary>A bound placed at the unbounded optimum's own value changes nothing.</summary>
    [Property(MaxTest = 30)]
    public Property ABoundAtTheOptimumChangesNothing() => Check(r =>
    {
        var p = RandomProblem(r);
        var free = Fit(p, p.Beta0);
        if (!free.Converged) return null;
        int k = r.Next(3);
        var lower = Enumerable.Repeat(double.NegativeInfinity, 3).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, 3).ToArray();
        if (r.Next(2) == 0) lower[k] = free.Beta[k];
        else upper[k] = free.Beta[k];
        var beta0 = p.Beta0.Select((b, j) => Math.Clamp(b, lower[j], upper[j])).ToArray();
        var o = Fit(p, beta0, lower, upper);
        for (int j = 0; j < 3; j++)
        {
            if (Math.Abs(o.Beta[j] - free.Beta[j]) > Math.Max(1e-6 * Math.Abs(free.Beta[j]), 1e-3 * free.SdBeta[j]))
            {
                return $"beta[{j}] {o.Beta[j]:R} vs unbounded {free.Beta[j]:R} (sd {free.SdBeta[j]:G3})";
            }
        }
        return Math.Abs(o.SumSquare - free.SumSquare) <= 1e-8 * free.SumSquare ? null : $"SS {o.SumSquare:R} vs {free.SumSquare:R}";
    });

    /// <summary>Bounds that no iterate comes near give the unbounded fit bit for bit.</summary>
    [Property(MaxTest = 30)]
    public Property FarBoundsGiveTheUnboundedFitBitForBit() => Check(r =>
    {
        var p = RandomProblem(r);
        var free = Fit(p, p.Beta0);
        var lower = p.Beta0.Select(b => b - 1e4 * (1 + Math.Abs(b))).ToArray();
        var upper = p.Beta0.Select(b => b + 1e4 * (1 + Math.Abs(b))).ToArray();
        var boxed = Fit(p, p.Beta0, lower, upper);
        return free.Beta.SequenceEqual(boxed.Beta) && free.SdBeta.SequenceEqual(boxed.SdBeta)
            && free.SumSquare == boxed.SumSquare && free.Iterations == boxed.Iterations && free.Info == boxed.Info
            ? null : $"beta {string.Join(",", boxed.Beta)} vs {string.Join(",", free.Beta)}";
    });

    /// <summary>The KKT check of a bounded result: with the parameters on a bound fixed there the
    /// others do not move (beta to 1e-6 relative or 1e-3 standard errors, SS to 1e-8), and moving each
    /// of them a little into the box, the others re-optimized, does not lower the sum of squares.</summary>
    private static string? KktHolds(Problem p, Output o, double[] lower, double[] upper)
    {
        var active = Enumerable.Range(0, 3).Where(k => o.Beta[k] == lower[k] || o.Beta[k] == upper[k]).ToArray();
        for (int k = 0; k < 3; k++)
        {
            bool reported = o.Status[k] is ParameterStatus.AtLowerBound or ParameterStatus.AtUpperBound;
            if (reported != active.Contains(k)) return $"status[{k}] = {o.Status[k]} for beta {o.Beta[k]:R}";
        }
        var ifixb = Enumerable.Range(0, 3).Select(k => active.Contains(k) ? 0 : 1).ToArray();
        if (active.Length == 3) return null;
        var face = Fit(p, o.Beta, ifixb: ifixb);
        for (int k = 0; k < 3; k++)
        {
            double tol = Math.Max(1e-6 * Math.Abs(face.Beta[k]), 1e-3 * face.SdBeta[k]);
            if (!active.Contains(k) && Math.Abs(face.Beta[k] - o.Beta[k]) > tol)
            {
                return $"beta[{k}] {o.Beta[k]:R}, optimum with the active set fixed {face.Beta[k]:R} (sd {face.SdBeta[k]:G3})";
            }
        }
        if (Math.Abs(face.SumSquare - o.SumSquare) > 1e-8 * face.SumSquare) return $"SS {o.SumSquare:R} vs {face.SumSquare:R} on the face";
        foreach (int k in active)
        {
            var inside = (double[])face.Beta.Clone();
            double h = 1e-3 * Math.Max(Math.Abs(o.Beta[k]), 1e-3);
            inside[k] = o.Beta[k] == lower[k] ? lower[k] + h : upper[k] - h;
            var moved = Fit(p, inside, ifixb: ifixb);
            if (moved.SumSquare < face.SumSquare * (1 - 1e-10)) return $"moving beta[{k}] into the box lowers SS: {moved.SumSquare:R} < {face.SumSquare:R}";
        }
        return null;
    }
}
