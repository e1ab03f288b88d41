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
}
