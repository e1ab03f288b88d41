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
