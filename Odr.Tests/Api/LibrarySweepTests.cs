using Odr.Core;
using Odr.Tests.Performance;

namespace Odr.Tests.Api;

/// <summary>Issue 20, library items: each test failed before its fix.</summary>
public class LibrarySweepTests
{
    private static readonly double[] X = { 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5 };
    private static readonly double[] Y = { 5.1, 3.9, 3.0, 2.4, 1.8, 1.45, 1.1, 0.85, 0.7, 0.5 };

    private static Model Decay => new((b, x) => b[0] * Math.Exp(b[1] * x) + b[2]);

    private static ODR DecayFit(int maxit = -1, double[]? sclb = null, Model? model = null) =>
        new(new RealData(X, Y, sx: 0.05, sy: 0.1), model ?? Decay, new[] { 4.0, -0.3, 0.0 }, maxit: maxit, sclb: sclb, sstol: 1e-14, partol: 1e-14);

    // ---- Model callbacks and threads ----

    [Fact]
    public void UserCallbackIsCalledFromOneThreadByDefault()
    {
        // A lambda with a captured scratch variable: called from several threads at n = 50,000 it
        // returned a "converged" fit at the starting values. Callbacks now run one at a time.
        var (x, y) = PerfProblems.ExpData(50_000);
        int inside = 0, overlaps = 0;
        double scratch = 0;
        var model = new Model((b, v) =>
        {
            if (Interlocked.Increment(ref inside) > 1) Interlocked.Increment(ref overlaps);
            scratch = v;
            double r = b[0] * Math.Exp(b[1] * scratch) + b[2];
            Interlocked.Decrement(ref inside);
            return r;
        });
        var o = new ODR(new Data(x, y), model, new[] { 1.5, 1.0, 0.0 }).Run();
        Assert.Equal(0, overlaps);

        // The same fit of a pure model on one thread (the reference): bit for bit.
        var reference = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.0 }) { MaxDegreeOfParallelism = 1 }.Run();
        Assert.True(o.Converged);
        Assert.Equal(reference.Beta, o.Beta);
        Assert.Equal(reference.Iterations, o.Iterations);
        Assert.True(Math.Abs(o.Beta[1] - 1.3) < 0.01, $"b1 = {o.Beta[1]}");
    }

    [Fact]
    public async Task ALockTakingModelDoesNotDeadlock()
    {
        var (x, y) = PerfProblems.ExpData(20_000);
        var gate = new object();
        var cache = new Dictionary<double, double>();
        var model = new Model((b, v) =>
        {
            lock (gate)
            {
                cache[v] = b[0] * Math.Exp(b[1] * v) + b[2]; // a Dictionary threw when called concurrently
                return cache[v];
            }
        });
        var run = Task.Run(() => new ODR(new Data(x, y), model, new[] { 1.5, 1.0, 0.0 }).Run());
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(2))));
        Assert.True((await run).Converged);
    }

    [Fact]
    public void AModelDeclaredThreadSafeGivesTheSerialResult()
    {
        var (x, y) = PerfProblems.ExpData(50_000);
        var pure = new Model((b, v) => b[0] * Math.Exp(b[1] * v) + b[2]) { IsThreadSafe = true };
        var parallel = new ODR(new Data(x, y), pure, new[] { 1.5, 1.0, 0.0 }).Run();
        var serial = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.0 }) { MaxDegreeOfParallelism = 1 }.Run();
        Assert.Equal(serial.Beta, parallel.Beta);
        Assert.True(pure.IsThreadSafe);
        Assert.False(PerfProblems.ExpModel.IsThreadSafe);
    }

    // ---- Scaling signs ----

    [Fact]
    public void NegativeSclbMeansDefaultScalingAsInOdrpack()
    {
        // ODRPACK (DINIWK): SCLB(1) <= 0 asks for the default scales. Negative scales gave negative
        // standard errors and inverted intervals.
        var reference = DecayFit().Run();
        var negative = DecayFit(sclb: new[] { -1.0, -2.0, -3.0 }).Run();
        Assert.Equal(reference.Beta, negative.Beta);
        Assert.Equal(reference.SdBeta, negative.SdBeta);
        foreach (var (lower, upper) in negative.ConfidenceIntervals()) Assert.True(lower < upper);
        Assert.All(negative.SdBeta, sd => Assert.True(sd > 0));
    }

    [Fact]
    public void StandardErrorsDoNotDependOnTheScales()
    {
        // By definition the covariance of beta does not depend on how the problem is scaled: positive
        // scales of any size give the default's standard errors (to the convergence tolerance).
        var reference = DecayFit().Run();
        var scaled = DecayFit(sclb: new[] { 0.3, 7.0, 1.0 }).Run();
        for (int k = 0; k < 3; k++) Assert.Equal(reference.SdBeta[k], scaled.SdBeta[k], reference.SdBeta[k] * 1e-4);
    }

    [Fact]
    public void ANonPositiveScaleAfterAPositiveFirstIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => DecayFit(sclb: new[] { 1.0, -1.0, 1.0 }).Run());
        Assert.Equal("sclb", e.ParamName);
        Assert.Contains("sclb[1]", e.Message, StringComparison.Ordinal);
    }

    // ---- API state ----

    [Fact]
    public void Beta0IsACopyAndCanBeSetLikeScipys()
    {
        var odr = DecayFit();
        odr.Beta0[0] = 100; // writes a copy: changes nothing
        var first = odr.Run();
        Assert.Equal(DecayFit().Run().Beta, first.Beta);

        odr.Beta0 = first.Beta; // scipy's odr.beta0 = out.beta
        var again = odr.Run();
        var fresh = new ODR(new RealData(X, Y, sx: 0.05, sy: 0.1), Decay, first.Beta, sstol: 1e-14, partol: 1e-14).Run();
        Assert.Equal(fresh.Beta, again.Beta);
        Assert.Equal(fresh.Iterations, again.Iterations);
    }

    [Fact]
    public void OutputCannotBeWrittenThroughItsProperties()
    {
        var o = DecayFit().Run();
        double b0 = o.Beta[0], sd0 = o.SdBeta[0], d00 = o.Delta[0, 0], y00 = o.Y[0, 0], c00 = o.CovBeta[0, 0];
        o.Beta[0] = 1e9;
        o.SdBeta[0] = 1e9;
        double[,] delta = o.Delta; // a copy of one's own
        delta[0, 0] = 1e9;
        double[,] cov = o.CovBeta;
        cov[0, 0] = 1e9;
        Assert.Equal(b0, o.Beta[0]);
        Assert.Equal(sd0, o.SdBeta[0]);
        Assert.Equal(d00, o.Delta[0, 0]);
        Assert.Equal(y00, o.Y[0, 0]);
        Assert.Equal(c00, o.CovBeta[0, 0]);
        Assert.Equal(X[0] + d00, o.XPlus[0, 0], 15);
        Assert.Equal(o.Delta.Row(0).ToArray(), Output.RowOf(o.Delta, 0));
    }

    [Fact]
    public void TheRestartDigitMakesRunContinue()
    {
        var whole = DecayFit().Run();
        var odr = DecayFit(maxit: 2);
        odr.Run();
        odr.SetJob(restart: 1);
        odr.MaxIt = 50;
        var rest = odr.Run(); // scipy: set_job(restart=1); run() continues
        Assert.Equal(whole.Iterations, rest.Iterations);
        for (int k = 0; k < 3; k++) Assert.Equal(whole.Beta[k], rest.Beta[k], Math.Abs(whole.Beta[k]) * 1e-12);
    }

    [Fact]
    public void TheRestartDigitWithoutAPreviousRunIsRefused()
    {
        var odr = DecayFit();
        odr.SetJob(restart: 1);
        var e = Assert.Throws<InvalidOperationException>(() => odr.Run());
        Assert.Contains("restart", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delta0WithAJobWithoutDelInitIsRefused()
    {
        var data = new RealData(X, Y, sx: 0.05, sy: 0.1);
        var delta0 = new double[X.Length];
        Array.Fill(delta0, 0.01);
        var e = Assert.Throws<ArgumentException>(() => new ODR(data, Decay, new[] { 4.0, -0.3, 0.0 }, delta0: delta0, job: 10).Run());
        Assert.Equal("delta0", e.ParamName);
        Assert.Contains("del_init", e.Message, StringComparison.Ordinal);

        // With the digit set (or no job at all) delta0 is used: the first iteration starts from it.
        var given = new ODR(data, Decay, new[] { 4.0, -0.3, 0.0 }, delta0: delta0, job: 1010, maxit: 0).Run();
        var implied = new ODR(data, Decay, new[] { 4.0, -0.3, 0.0 }, delta0: delta0, maxit: 0).Run();
        Assert.Equal(0.01, given.Delta[0, 3]);
        Assert.Equal(0.01, implied.Delta[0, 3]);
    }

    // ---- Smaller items ----

    [Fact]
    public void RestartWithIntMaxValueIterationsRuns()
    {
        var whole = DecayFit().Run();
        var odr = DecayFit(maxit: 1);
        odr.Run();
        var rest = odr.Restart(int.MaxValue);
        Assert.True(rest.Converged, string.Join("; ", rest.StopReason));
        Assert.Equal(whole.Iterations, rest.Iterations);
    }

    [Fact]
    public void RestartAfterARunThatThrewIsRefused()
    {
        int calls = 0;
        var model = new Model((b, x) => ++calls > 40 ? throw new InvalidOperationException("broken") : b[0] * Math.Exp(b[1] * x) + b[2]);
        var odr = DecayFit(model: model);
        Assert.Throws<ModelEvaluationException>(() => odr.Run());
        var e = Assert.Throws<InvalidOperationException>(() => odr.Restart());
        Assert.Contains("threw", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RestartAfterACancelBeforeTheFirstIterationIsRefused()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var model = new Model((b, v, f) =>
        {
            if (++calls == 2) cts.Cancel(); // inside the noise estimate, before iteration 1
            for (int i = 0; i < v.Length; i++) f[i] = b[0] * Math.Exp(b[1] * v[i]) + b[2];
        });
        var odr = DecayFit(model: model);
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        Assert.Throws<InvalidOperationException>(() => odr.Restart());
    }

    [Fact]
    public void Info90010HasAStopReason()
    {
        var reasons = Output.StopReasons(90010);
        Assert.Single(reasons);
        Assert.Contains("Bounds too close", reasons[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Error code", reasons[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { -1, -1 }, 1)]
    [InlineData(new[] { 2, -3 }, 0)]
    [InlineData(new[] { 65536, 65536, 2 }, 0)]
    [InlineData(new[] { 1, 1, 1, 1 }, 1)]
    public void FromShapeRefusesImpossibleShapes(int[] shape, int values)
    {
        Assert.ThrowsAny<ArgumentException>(() => NdArray.FromShape(shape, new double[values]));
    }

    [Theory]
    [InlineData(1e-200)]
    [InlineData(1e200)]
    public void PositiveDefiniteCovxWithAnExtremeDeterminantIsAccepted(double variance)
    {
        // det = variance² under- or overflows; the matrix is as well conditioned as the identity.
        var x = new double[2, 6];
        var y = new double[6];
        for (int i = 0; i < 6; i++)
        {
            x[0, i] = i;
            x[1, i] = i * i;
            y[i] = 1 + 2 * i + 0.5 * i * i + 0.01 * (i % 2);
        }
        var covx = new double[,] { { variance, 0.1 * variance }, { 0.1 * variance, variance } };
        var data = new RealData(x, y, covx: covx);
        var w = data.WeightsOnDelta!;
        // The weight is the inverse: [[1, -0.1], [-0.1, 1]] / (0.99 variance).
        Assert.Equal(1 / (0.99 * variance), w.Entry(0, 0, 0), 1 / (0.99 * variance) * 1e-14);
        Assert.Equal(-0.1 / (0.99 * variance), w.Entry(3, 0, 1), 0.1 / (0.99 * variance) * 1e-14);
    }

    [Fact]
    public void OneBadItemLeavesTheOthersResults()
    {
        var items = Enumerable.Range(0, 12).Select(_ => new BatchItem(new RealData(X, Y, sx: 0.05, sy: 0.1), Decay, new[] { 4.0, -0.3, 0.0 })).ToList();
        items[5] = items[5] with { Beta0 = new[] { 4.0, double.NaN, 0.0 } };
        var results = OdrBatch.RunEach(items, new BatchOptions { MaxDegreeOfParallelism = 2 });
        var alone = DecayFit().Run();
        for (int i = 0; i < items.Count; i++)
        {
            if (i == 5)
            {
                Assert.False(results[i].Succeeded);
                Assert.IsType<ArgumentException>(results[i].Error);
                Assert.Null(results[i].Output);
                continue;
            }
            Assert.True(results[i].Succeeded);
            Assert.Equal(new ODR(items[i].Data, Decay, items[i].Beta0).Run().Beta, results[i].Output!.Beta);
        }
        var e = Assert.Throws<OdrBatchException>(() => OdrBatch.Run(items));
        Assert.Equal(5, e.FirstFailedItem);
        Assert.Equal(11, e.Results.Count(r => r.Succeeded));
        Assert.IsType<ArgumentException>(e.InnerException);
        Assert.NotNull(alone);
    }
}

/// <summary>Cancellation between model calls (issue 20): with a slow model the fit must stop within
/// one model call of the cancel, wherever it is (derivative check, noise estimate, finite differences,
/// chunked calls). Counts calls, not time.</summary>
public class CancellationBetweenModelCallsTests
{
    private const int N = 60;

    private static (double[] X, double[] Y) Line()
    {
        var x = new double[N];
        var y = new double[N];
        for (int i = 0; i < N; i++)
        {
            x[i] = 0.1 * i;
            y[i] = 2 * Math.Exp(0.3 * x[i]) + 0.01 * ((i * 7919) % 13 - 6);
        }
        return (x, y);
    }

    /// <summary>deriv: 0 forward, 1 central, 2 analytic checked; pointwise: the fused forward
    /// differences (a model that may be called on subsets).</summary>
    [Theory]
    [InlineData(0, false, 3)]
    [InlineData(0, false, 8)]
    [InlineData(0, true, 8)]
    [InlineData(1, false, 9)]
    [InlineData(2, false, 3)]
    [InlineData(2, false, 9)]
    [InlineData(2, false, 14)]
    public void NoModelCallStartsAfterTheCancel(int deriv, bool pointwise, int cancelAtCall)
    {
        var (x, y) = Line();
        using var cts = new CancellationTokenSource();
        int calls = 0, callsAfterCancel = 0;
        void Count()
        {
            if (cts.IsCancellationRequested) callsAfterCancel++;
            if (++calls == cancelAtCall) cts.Cancel();
        }
        var model = new Model(
            (b, v, f) =>
            {
                Count();
                for (int i = 0; i < v.Length; i++) f[i] = b[0] * Math.Exp(b[1] * v[i]);
            },
            (b, v, j) =>
            {
                Count();
                for (int i = 0; i < v.Length; i++)
                {
                    j[2 * i] = Math.Exp(b[1] * v[i]);
                    j[2 * i + 1] = b[0] * v[i] * Math.Exp(b[1] * v[i]);
                }
            },
            (b, v, j) =>
            {
                Count();
                for (int i = 0; i < v.Length; i++) j[i] = b[0] * b[1] * Math.Exp(b[1] * v[i]);
            });
        var odr = new ODR(new Data(x, y), model, new[] { 1.0, 0.5 }) { ParallelModelEvaluation = pointwise };
        odr.SetJob(deriv: deriv);
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        Assert.True(calls >= cancelAtCall);
        Assert.Equal(0, callsAfterCancel);
    }

    [Fact]
    public void ChunkedCallsStopAtTheCancel()
    {
        // Large enough for chunked calls of a model declared pure: at most the chunks already under
        // way on other threads run after the cancel.
        int n = 40_000;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 4.0 * i / n;
            y[i] = 2 * Math.Exp(0.3 * x[i]);
        }
        using var cts = new CancellationTokenSource();
        int calls = 0, callsAfterCancel = 0;
        var model = new Model((b, v, f) =>
        {
            if (cts.IsCancellationRequested) Interlocked.Increment(ref callsAfterCancel);
            if (Interlocked.Increment(ref calls) == 30) cts.Cancel();
            for (int i = 0; i < v.Length; i++) f[i] = b[0] * Math.Exp(b[1] * v[i]);
        })
        { IsThreadSafe = true };
        var odr = new ODR(new Data(x, y), model, new[] { 1.0, 0.5 });
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        Assert.True(callsAfterCancel <= Environment.ProcessorCount - 1, $"{callsAfterCancel} calls after the cancel");
    }
}

[CollectionDefinition(nameof(ChunkPoolProtocolTests), DisableParallelization = true)]
public class ChunkPoolProtocolCollection
{
}

/// <summary>The chunk pool's protocol under injected delays at every step (issue 20: a 2 ms delay in
/// one window of its set-up drove the counter to -4 and hung every run).</summary>
[Collection(nameof(ChunkPoolProtocolTests))]
public class ChunkPoolProtocolTests
{
    private sealed class CountingJob(int chunks) : IChunkJob
    {
        public int[] Runs { get; } = new int[chunks];

        public void RunChunk(int chunk) => Interlocked.Increment(ref Runs[chunk]);
    }

    [Fact]
    public async Task EveryChunkRunsExactlyOnceWithDelaysAtEveryStep()
    {
        var steps = new int[Enum.GetValues<ChunkPoolStep>().Length];
        int tick = 0;
        ChunkPool.TestHook = step =>
        {
            Interlocked.Increment(ref steps[(int)step]);
            int t = Interlocked.Increment(ref tick);
            int pick = (t * 2654435761u % 7) switch { 0 => 2, 1 => 1, _ => 0 }; // ms: 2, 1 or none
            if (pick > 0) Thread.Sleep(pick);
            else if (t % 3 == 0) Thread.Yield();
        };
        try
        {
            var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
            void Caller(int seed)
            {
                for (int j = 0; j < 150; j++)
                {
                    int chunks = 2 + (j * 7 + seed) % 9;
                    var job = new CountingJob(chunks);
                    ChunkPool.Run(job, chunks);
                    for (int c = 0; c < chunks; c++)
                    {
                        if (job.Runs[c] != 1) failures.Add($"caller {seed}, job {j}: chunk {c} ran {job.Runs[c]} times");
                    }
                }
            }

            // Two callers: one owns the pool, the other runs its chunks serially meanwhile.
            var run = Task.WhenAll(Task.Run(() => Caller(1)), Task.Run(() => Caller(2)));
            Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3))));
            await run;
            Assert.Empty(failures);
            if (Environment.ProcessorCount > 1)
            {
                // Every step was reached (and delayed) at least once.
                for (int s = 0; s < steps.Length; s++) Assert.True(steps[s] > 0, $"step {(ChunkPoolStep)s} never taken");
            }
        }
        finally
        {
            ChunkPool.TestHook = null;
        }
    }
}
