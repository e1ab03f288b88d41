namespace Odr.Tests.Performance;

/// <summary>The iteration loop allocates nothing: bytes per fit do not grow with the iteration count.</summary>
public class AllocationTests
{
    private static (long Bytes, int Iterations) Measure(Func<ODR> make)
    {
        make().Run(); // warm-up (JIT, lazily created statics)
        // The least of a few runs: a growth with the iteration count shows in every run, while the
        // runtime's own occasional allocations on this thread (tiering, on-stack replacement under
        // load) do not.
        long least = long.MaxValue;
        int iterations = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var odr = make();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var output = odr.Run();
            long after = GC.GetAllocatedBytesForCurrentThread();
            least = Math.Min(least, after - before);
            iterations = output.Iterations;
        }
        return (least, iterations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AllocationPerFitDoesNotGrowWithIterations(bool central)
    {
        // Serial (one thread), so the current thread's counter sees every allocation.
        var (few, itFew) = Measure(() => PerfProblems.Exp(2000, dop: 1, maxit: 5, tinyTolerances: true, central: central));
        var (many, itMany) = Measure(() => PerfProblems.Exp(2000, dop: 1, maxit: 50, tinyTolerances: true, central: central));
        Assert.Equal(5, itFew);
        Assert.True(itMany >= 10, $"only {itMany} iterations");
        Assert.True(many - few <= 256, $"maxit 5: {few} bytes ({itFew} iterations), maxit 50: {many} bytes ({itMany} iterations)");
    }

    [Fact]
    public void AllocationPerFitDoesNotGrowWithIterationsForOdrWithWeights()
    {
        var (few, _) = Measure(() => { var o = PerfProblems.TwoInput(2000, 1, analytic: false); o.MaxIt = 2; o.SsTol = 1e-300; o.ParTol = 1e-300; return o; });
        var (many, it) = Measure(() => { var o = PerfProblems.TwoInput(2000, 1, analytic: false); o.MaxIt = 20; o.SsTol = 1e-300; o.ParTol = 1e-300; return o; });
        Assert.True(many - few <= 256, $"maxit 2: {few} bytes, maxit 20: {many} bytes ({it} iterations)");
    }

    /// <summary>RealData(x, y, sx, sy) keeps one copy of each array it is given (so that later writes to
    /// the caller's arrays change nothing) and one array per weight, and no more: every further array
    /// of n values is fresh memory a fit in a new process pays page faults for (bench/README.md, "Cold
    /// start": fits 2–31 of a Native AOT app 1.07 -> 0.67 ms when six copies went).</summary>
    [Fact]
    public void RealDataHoldsOneCopyPerArrayAndOneArrayPerWeight()
    {
        const int n = 4000;
        double[] x = [.. Enumerable.Range(0, n).Select(i => i / 1000.0)], y = [.. x.Select(t => 2 * t)];
        double[] sx = [.. x.Select(_ => 0.1)], sy = [.. x.Select(_ => 0.2)];
        _ = new RealData(x, y, sx: sx, sy: sy); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = new RealData(x, y, sx: sx, sy: sy);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        long arrays = (bytes + (n * 8 / 2)) / (n * 8); // arrays of n doubles, rounded
        Assert.True(arrays == 6, $"{bytes} bytes: {arrays} arrays of n values (4 copies and 2 weights expected)");
    }

    /// <summary>The data shares its arrays with the fit (no defensive copies there), so the fit must
    /// never write to them: two fits of one data set, and the data's values, are unchanged after a
    /// fit that moved delta and y.</summary>
    [Fact]
    public void FitsNeverWriteIntoTheDataTheyShare()
    {
        double[] x = [0.1, 0.9, 2.1, 2.9, 4.2, 5.1], y = [1.1, 2.9, 5.2, 6.8, 9.1, 11.2];
        var data = new RealData(x, y, sx: 0.1, sy: 0.2);
        double[] xs = data.X.ToArray(), ys = data.Y!.ToArray();
        var model = new Model((b, t) => b[0] + (b[1] * t));
        var first = new ODR(data, model, beta0: [1.0, 1.0]).Run();
        Assert.Contains(first.Delta.Row(0).ToArray(), d => d != 0);
        Assert.Equal(xs, data.X);
        Assert.Equal(ys, data.Y);
        var second = new ODR(data, model, beta0: [1.0, 1.0]).Run();
        Assert.Equal(first.Beta, second.Beta);
        Assert.Equal(first.Delta.Row(0).ToArray(), second.Delta.Row(0).ToArray());
    }
}
