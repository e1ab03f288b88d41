using Odr.Core;

namespace Odr.Tests.Performance;

/// <summary>Large fits borrow their scratch arrays from a pool shared by all fits; no fit may see
/// another's leftovers.</summary>
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
