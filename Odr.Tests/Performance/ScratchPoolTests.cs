using Odr.Core;

namespace Odr.Tests.Performance;

/// <summary>Runs the pool tests alone: they look at the process-wide pool, which other tests'
/// fits would fill and drain meanwhile.</summary>
[CollectionDefinition(nameof(ScratchPoolTests), DisableParallelization = true)]
public class ScratchPoolCollection
{
}

/// <summary>Large fits borrow their scratch arrays from a pool shared by all fits; no fit may see
/// another's leftovers.</summary>
[Collection(nameof(ScratchPoolTests))]
public class ScratchPoolTests
{
    [Fact]
    public void RestartAfterOtherFitsDirtiedThePoolContinuesAsOneRun()
    {
        const int N = 20_000; // well above the pooling threshold
        var whole = PerfProblems.Exp(N, 1).Run();
        var odr = PerfProblems.Exp(N, 1, maxit: 2);
        odr.Run();

        // Fits of the same size in between take the returned arrays and leave their own values in them.
        PerfProblems.Exp(N, 1, maxit: 3, tinyTolerances: true).Run();
        PerfProblems.Line(N, 1).Run();

        var rest = odr.Restart(50);
        Assert.Equal(whole.Iterations, rest.Iterations);
        Assert.Equal(whole.Info, rest.Info);
        for (int k = 0; k < 3; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(whole.Beta[k]), BitConverter.DoubleToInt64Bits(rest.Beta[k]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(whole.SumSquare), BitConverter.DoubleToInt64Bits(rest.SumSquare));
    }

    [Fact]
    public void RestartWithoutIterationsKeepsTheJacobiansForVarCalcOne()
    {
        // With VarCalc = 1 the covariance comes from the last iteration's Jacobians, which ODRPACK
        // keeps in WORK: a restart with no iterations left must find them (not pooled scratch).
        const int N = 20_000;
        var odr = PerfProblems.Exp(N, 1, maxit: 3);
        odr.SetJob(varCalc: 1);
        var first = odr.Run();
        PerfProblems.Exp(N, 1, maxit: 2).Run();
        var again = odr.Restart(0);
        Assert.Equal(first.Iterations, again.Iterations);
        var a = first.CovBeta.Cast<double>().ToArray();
        var b = again.CovBeta.Cast<double>().ToArray();
        Assert.True(a.Any(v => v != 0), "the first run has a covariance");
        for (int k = 0; k < a.Length; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(a[k]), BitConverter.DoubleToInt64Bits(b[k]));
    }

    [Fact]
    public void RunningTheSameOdrTwiceGivesTheSameFit()
    {
        const int N = 20_000;
        var odr = PerfProblems.Exp(N, 1);
        var first = odr.Run();
        var second = odr.Run(); // a second run of the same object starts afresh
        for (int k = 0; k < 3; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(first.Beta[k]), BitConverter.DoubleToInt64Bits(second.Beta[k]));
        Assert.Equal(first.Eps.Cast<double>(), second.Eps.Cast<double>());
        var third = odr.Restart(5);
        Assert.True(third.Iterations >= second.Iterations);
    }

    [Fact]
    public void RestartAfterACancelledRunReachesTheSameFit()
    {
        // The cancellation leaves mid-iteration, after the scratch arrays (the model values among
        // them) went back to the pool: the restart must continue from the solver's own state.
        const int N = 20_000;
        var whole = PerfProblems.Exp(N, 1).Run();
        using var cts = new CancellationTokenSource();
        var (x, y) = PerfProblems.ExpData(N);
        int calls = 0;
        var model = new Model((b, v) =>
        {
            if (Interlocked.Increment(ref calls) == 12 * N) cts.Cancel();
            return b[0] * Math.Exp(b[1] * v) + b[2];
        });
        var odr = new ODR(new Data(x, y), model, new[] { 1.5, 1.0, 0.0 }) { MaxDegreeOfParallelism = 1 };
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        PerfProblems.Line(N, 1).Run(); // dirties the pooled arrays
        var rest = odr.Restart(50);
        Assert.True(rest.Converged, $"info {rest.Info}");
        for (int k = 0; k < 3; k++) Assert.Equal(whole.Beta[k], rest.Beta[k], 1e-6 * whole.SdBeta[k]);
    }

    /// <summary>Fits in every configuration that takes its own path through the solver's scratch
    /// arrays, small (each thread's cache) and large (the shared pool, chunked on two threads).</summary>
    public static TheoryData<string> ScratchCases => new()
    {
        "line sx sy", "exp chunked", "exp central to maxit", "exp ols", "exp fixed beta and x", "exp bounds",
        "exp restart", "exp varcalc 1", "exp no covariance", "exp reports", "two inputs analytic checked",
        "two inputs chunked", "two responses full we", "two responses chunked", "implicit circle",
        "implicit chunked", "exp one beta free", "exp delta0 stpd scld",
    };

    [Theory]
    [MemberData(nameof(ScratchCases))]
    public void NoFitReadsItsScratchBeforeWritingIt(string name)
    {
        // The solver's scratch arrays come as their last user left them. Handed out full of NaN (which
        // survives any arithmetic) or of 1e300 (which a comparison or a product would show), a value
        // read before it is written changes the fit; otherwise it has the same bits as a plain run.
        var (plain, plainReport) = ScratchCase(name, poison: null);
        Assert.True(plain.Iterations > 0 && plain.Info < 10000, $"the plain fit ran no step (info {plain.Info})");
        foreach (double poison in new[] { double.NaN, 1e300 })
        {
            var (o, report) = ScratchCase(name, poison);
            Assert.Equal(plain.Info, o.Info);
            Assert.Equal(plain.Iterations, o.Iterations);
            Assert.Equal(plain.FunctionEvaluations, o.FunctionEvaluations);
            Assert.Equal(Bits(plain.Beta), Bits(o.Beta));
            Assert.Equal(Bits(plain.SdBeta), Bits(o.SdBeta));
            Assert.Equal(Bits(plain.CovBeta.Cast<double>()), Bits(o.CovBeta.Cast<double>()));
            Assert.Equal(Bits(plain.Delta.Cast<double>()), Bits(o.Delta.Cast<double>()));
            Assert.Equal(Bits(plain.Eps.Cast<double>()), Bits(o.Eps.Cast<double>()));
            Assert.Equal(Bits(plain.Y.Cast<double>()), Bits(o.Y.Cast<double>()));
            Assert.Equal(Bits(new[] { plain.ResVar, plain.SumSquare, plain.SumSquareDelta, plain.InvCondnum, plain.RelError }),
                Bits(new[] { o.ResVar, o.SumSquare, o.SumSquareDelta, o.InvCondnum, o.RelError }));
            Assert.Equal(plainReport, report);
        }
    }

    private static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static (Output Output, string Report) ScratchCase(string name, double? poison)
    {
        const int Large = 20_000; // above the per-thread cache and the parallel threshold
        var report = new StringWriter();
        ScratchPool.PoisonUnzeroed = poison;
        try
        {
            switch (name)
            {
                case "line sx sy": return (PerfProblems.Line(60, 1).Run(), "");
                case "exp chunked": return (PerfProblems.Exp(Large, 2).Run(), "");
                case "exp central to maxit": return (PerfProblems.Exp(80, 1, maxit: 4, tinyTolerances: true, central: true).Run(), "");
                case "exp ols":
                    {
                        var odr = PerfProblems.Exp(Large, 2);
                        odr.SetJob(fitType: 2);
                        return (odr.Run(), "");
                    }
                case "exp fixed beta and x":
                    {
                        var (x, y) = PerfProblems.ExpData(70);
                        var ifixx = Enumerable.Range(0, 70).Select(i => i % 3 == 0 ? 0.0 : 1.0).ToArray();
                        var odr = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.5 }, ifixb: new[] { 1, 1, 0 }, ifixx: NdArray.FromShape(new[] { 70 }, ifixx));
                        return (odr.Run(), "");
                    }
                case "exp bounds":
                    {
                        var (x, y) = PerfProblems.ExpData(Large);
                        var odr = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.7 }, lower: new[] { 0.0, 0.0, 0.6 }, upper: new[] { 10.0, 1.25, 5.0 }) { MaxDegreeOfParallelism = 2 };
                        return (odr.Run(), "");
                    }
                case "exp restart":
                    {
                        var odr = PerfProblems.Exp(Large, 2, maxit: 2);
                        odr.Run();
                        return (odr.Restart(20), "");
                    }
                case "exp varcalc 1":
                    {
                        var odr = PerfProblems.Exp(90, 1);
                        odr.SetJob(varCalc: 1);
                        return (odr.Run(), "");
                    }
                case "exp no covariance":
                    {
                        var odr = PerfProblems.Exp(90, 1);
                        odr.SetJob(varCalc: 2);
                        return (odr.Run(), "");
                    }
                case "exp reports":
                    {
                        var odr = PerfProblems.Exp(40, 1);
                        odr.SetIprint(init: 2, iter: 2, iterStep: 1, final: 2);
                        odr.ReportWriter = report;
                        var o = odr.Run();
                        return (o, report.ToString());
                    }
                case "two inputs analytic checked": return (PerfProblems.TwoInput(100, 1, analytic: true).Run(), "");
                case "two inputs chunked": return (PerfProblems.TwoInput(Large, 2, analytic: false).Run(), "");
                case "two responses full we": return (PerfProblems.TwoResponse(100, 1).Run(), "");
                case "two responses chunked": return (PerfProblems.TwoResponse(Large, 2).Run(), "");
                case "implicit circle": return (PerfProblems.Circle(200, 1).Run(), "");
                case "implicit chunked": return (PerfProblems.Circle(Large, 2).Run(), "");
                case "exp one beta free":
                    {
                        // One free parameter (all fixed is refused up front): the reduced problem has one column.
                        var (x, y) = PerfProblems.ExpData(60);
                        var odr = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.5 }, ifixb: new[] { 0, 1, 0 });
                        return (odr.Run(), "");
                    }
                case "exp delta0 stpd scld":
                    {
                        var (x, y) = PerfProblems.ExpData(Large);
                        var delta0 = x.Select((_, i) => 1e-3 * Math.Sin(i)).ToArray();
                        var odr = new ODR(new Data(x, y), PerfProblems.ExpModel, new[] { 1.5, 1.0, 0.5 },
                            delta0: delta0, stpd: x.Select(_ => 1e-7).ToArray(), scld: x.Select(v => 1 / (1 + Math.Abs(v))).ToArray())
                        { MaxDegreeOfParallelism = 2 };
                        odr.SetJob(delInit: 1);
                        return (odr.Run(), "");
                    }
                default: throw new ArgumentException(name);
            }
        }
        finally
        {
            ScratchPool.PoisonUnzeroed = null;
        }
    }

    [Fact]
    public void ThePoisonHookFillsOnlyArraysRentedUncleared()
    {
        // The hook the test above relies on: an array rented without clearing comes full of the
        // poison (from the shared pool and from the thread's cache), a cleared one full of zeros.
        foreach (int length in new[] { 50, ScratchPool.MinPooledLength + 7 })
        {
            ScratchPool.PoisonUnzeroed = double.NaN;
            try
            {
                var raw = ScratchPool.Rent(length, zeroed: false);
                Assert.All(raw, v => Assert.True(double.IsNaN(v)));
                ScratchPool.Return(raw);
                var clean = ScratchPool.Rent(length);
                Assert.All(clean, v => Assert.Equal(0.0, v));
                ScratchPool.Return(clean);
            }
            finally
            {
                ScratchPool.PoisonUnzeroed = null;
            }
        }
    }

    [Fact]
    public void RentedArraysAreZeroedAndOfTheAskedLength()
    {
        int length = ScratchPool.MinPooledLength + 123;
        var a = ScratchPool.Rent(length);
        Array.Fill(a, 7.0);
        ScratchPool.Return(a);
        var b = ScratchPool.Rent(length);
        Assert.Equal(length, b.Length);
        Assert.All(b, v => Assert.Equal(0.0, v));
        ScratchPool.Return(b);
    }

    [Fact]
    public void SmallArraysAreReusedZeroedOnTheSameThread() => OnFreshThread(() =>
    {
        const int Length = 50;
        var a = ScratchPool.Rent(Length);
        Array.Fill(a, 7.0);
        ScratchPool.Return(a);
        Assert.Equal(8L * Length, ScratchPool.ThreadCachedBytes);
        var b = ScratchPool.Rent(Length);
        Assert.Same(a, b);
        Assert.All(b, v => Assert.Equal(0.0, v));
        Assert.Equal(0L, ScratchPool.ThreadCachedBytes);
        var c = ScratchPool.Rent(Length); // the cached one is out: a fresh array
        Assert.NotSame(b, c);
    });

    [Fact]
    public void ThePerThreadCacheStaysUnderItsCap() => OnFreshThread(() =>
    {
        int length = ScratchPool.MinPooledLength - 1;
        var arrays = Enumerable.Range(0, 20).Select(_ => ScratchPool.Rent(length)).ToArray();
        foreach (var a in arrays) ScratchPool.Return(a);
        long kept = ScratchPool.MaxThreadCachedBytes / (8L * length);
        Assert.Equal(kept * 8L * length, ScratchPool.ThreadCachedBytes);
        Assert.True(kept < arrays.Length, "the test returns more than the cap");

        // A full cache makes room for a new size (the oldest go), so later fits of that size reuse theirs.
        var other = ScratchPool.Rent(100);
        ScratchPool.Return(other);
        Assert.True(ScratchPool.ThreadCachedBytes <= ScratchPool.MaxThreadCachedBytes);
        Assert.Same(other, ScratchPool.Rent(100));
    });

    /// <summary>Runs a check on a new thread, whose cache of small arrays starts empty.</summary>
    private static void OnFreshThread(Action check)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                check();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }

    [Fact]
    public void SmallFitsInARowDoNotSeeEachOthersLeftovers()
    {
        // Consecutive small fits on one thread reuse each other's scratch arrays: a fit that leaves
        // other values behind must not change the next one.
        var first = PerfProblems.Exp(60, 1).Run();
        PerfProblems.Exp(60, 1, maxit: 3, tinyTolerances: true).Run();
        PerfProblems.Line(60, 1).Run();
        var again = PerfProblems.Exp(60, 1).Run();
        Assert.Equal(first.Iterations, again.Iterations);
        for (int k = 0; k < 3; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(first.Beta[k]), BitConverter.DoubleToInt64Bits(again.Beta[k]));
        Assert.Equal(first.Eps.Cast<double>(), again.Eps.Cast<double>());
    }

    [Fact]
    public void FitsOnManyThreadsEqualTheSerialFit()
    {
        const int N = 12_000;
        var serial = PerfProblems.Exp(N, 1).Run();
        var results = new Output[8];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = PerfProblems.Exp(N, 1).Run());
        foreach (var o in results)
        {
            for (int k = 0; k < 3; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(serial.Beta[k]), BitConverter.DoubleToInt64Bits(o.Beta[k]));
        }
    }
}
