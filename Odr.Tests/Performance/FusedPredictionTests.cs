using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Core;
using Odr.Tests.Support;

namespace Odr.Tests.Performance;

/// <summary>
/// With one input and several responses, large fits form every response's linearized prediction in
/// the trial point's one pass over the observations, small ones response by response. Both must give
/// ODRPACK's sum to the bit: over random problems (q = 2..4, shared or per-observation weights on
/// delta, forward or analytic derivatives) the predicted reduction of every iteration, the
/// iterations, the evaluations and beta are the same whichever way runs.
/// </summary>
public class FusedPredictionTests
{
    [Property(MaxTest = 60)]
    public Property OnePassPredictionEqualsResponseByResponseBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var problem = RandomProblem(new Random(seed));
        var (fused, fusedPrered) = Run(problem(0));
        var (plain, plainPrered) = Run(problem(long.MaxValue));
        if (fusedPrered.Count == 0) return false.Label($"seed {seed}: no iterations");
        if (!fusedPrered.SequenceEqual(plainPrered)) return false.Label($"seed {seed}: predicted reductions differ");
        bool same = fused.Iterations == plain.Iterations && fused.FunctionEvaluations == plain.FunctionEvaluations
            && fused.Beta.ToArray().Select(BitConverter.DoubleToInt64Bits).SequenceEqual(plain.Beta.ToArray().Select(BitConverter.DoubleToInt64Bits));
        return same.Label($"seed {seed}: fits differ");
    });

    private static (FitSnapshot Solver, List<long> Prered) Run(ODR odr)
    {
        var recorder = new IterationRecorder<long>(s => BitConverter.DoubleToInt64Bits(s.PredictedReduction));
        var solver = SolverAccess.RunWithObserver(odr, recorder);
        return (solver.Snapshot(), recorder.Rows);
    }

    /// <summary>A random problem, built twice from the same draws with the given fusion threshold.</summary>
    private static Func<long, ODR> RandomProblem(Random r)
    {
        int q = 2 + r.Next(3);
        int n = 10 + r.Next(60);
        int p = 2 * q;
        double U() => (2 * r.NextDouble()) - 1;
        var truth = Enumerable.Range(0, p).Select(_ => 0.5 + r.NextDouble()).ToArray();
        var x = Enumerable.Range(0, n).Select(_ => 2 * U()).ToArray();
        var y = new double[q * n];
        for (int l = 0; l < q; l++)
        {
            for (int i = 0; i < n; i++) y[(l * n) + i] = truth[2 * l] * Math.Exp(0.3 * truth[(2 * l) + 1] * x[i]) + (0.02 * U());
        }
        double[]? wd = r.Next(2) == 0 ? null : Enumerable.Range(0, n).Select(_ => 0.5 + r.NextDouble()).ToArray();
        bool analytic = r.Next(2) == 0;
        var beta0 = truth.Select(b => b * (1 + (0.2 * U()))).ToArray();

        void F(ReadOnlySpan<double> b, ReadOnlySpan<double> xs, Span<double> f)
        {
            for (int i = 0; i < xs.Length; i++)
            {
                for (int l = 0; l < q; l++) f[(i * q) + l] = b[2 * l] * Math.Exp(0.3 * b[(2 * l) + 1] * xs[i]);
            }
        }

        return threshold =>
        {
            var model = analytic
                ? new Model(F, (ReadOnlySpan<double> b, ReadOnlySpan<double> xs, Span<double> jb) =>
                {
                    jb.Clear();
                    for (int i = 0; i < xs.Length; i++)
                    {
                        for (int l = 0; l < q; l++)
                        {
                            double e = Math.Exp(0.3 * b[(2 * l) + 1] * xs[i]);
                            jb[(((i * q) + l) * p) + (2 * l)] = e;
                            jb[(((i * q) + l) * p) + (2 * l) + 1] = b[2 * l] * 0.3 * xs[i] * e;
                        }
                    }
                }, (ReadOnlySpan<double> b, ReadOnlySpan<double> xs, Span<double> jd) =>
                {
                    for (int i = 0; i < xs.Length; i++)
                    {
                        for (int l = 0; l < q; l++) jd[(i * q) + l] = b[2 * l] * 0.3 * b[(2 * l) + 1] * Math.Exp(0.3 * b[(2 * l) + 1] * xs[i]);
                    }
                })
                : new Model(F);
            var data = wd is null ? new Data(x, NdArray.FromShape(new[] { q, n }, y)) : new Data(x, NdArray.FromShape(new[] { q, n }, y), wd: wd);
            var odr = new ODR(data, model, beta0, maxit: 20) { FusedPredictionMinEntries = threshold, MaxDegreeOfParallelism = 1 };
            if (analytic) odr.SetJob(deriv: 2);
            return odr;
        };
    }
}
