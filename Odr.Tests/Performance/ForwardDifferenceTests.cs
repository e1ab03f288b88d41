namespace Odr.Tests.Performance;

/// <summary>Pointwise models get their forward differences block by block; any other model column by
/// column as in ODRPACK. Both must give the same fit, failures included.</summary>
public class ForwardDifferenceTests
{
    private const int N = 5_000; // ten blocks, the last one partial

    private static (double[] X, double[] Y) Data()
    {
        var rng = new Random(5);
        var x = Enumerable.Range(0, N).Select(i => 3.0 * i / N + 0.01 * rng.NextDouble()).ToArray();
        var y = x.Select(v => 2 * Math.Exp(-0.7 * v) + 0.3 + 0.02 * (rng.NextDouble() - 0.5)).ToArray();
        return (x, y);
    }

    private static double Decay(ReadOnlySpan<double> b, double v, Func<ReadOnlySpan<double>, double, bool> reject) =>
        reject(b, v) ? throw new OdrStop("rejected") : b[0] * Math.Exp(b[1] * v) + b[2];

    private static Output Fit(bool pointwise, Func<ReadOnlySpan<double>, double, bool> reject, int dop)
    {
        var (x, y) = Data();
        var model = pointwise
            ? new Model((b, v) => Decay(b, v, reject))
            : new Model((b, v, f) =>
            {
                for (int i = 0; i < f.Length; i++) f[i] = Decay(b, v[i], reject);
            });
        var odr = new ODR(new Data(x, y), model, new[] { 1.5, -0.5, 0.0 }) { MaxDegreeOfParallelism = dop };
        if (!pointwise) odr.ParallelModelEvaluation = false;
        return odr.Run();
    }

    public static TheoryData<string, int> Cases => new()
    {
        { "none", 1 }, { "none", -1 }, { "stepped-b1-late-x", 1 }, { "stepped-b1-late-x", -1 }, { "stepped-b2", 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BlockwiseAndColumnwiseDifferencesGiveTheSameFit(string rejection, int dop)
    {
        // The model refuses a parameter at its forward-difference step from beta0 (a relative change
        // of about 1e-9.5, far above the noise estimate's 1e-14 steps) on late observations only, so
        // the failure is met in a late block: b1 in the last block, b2 in the middle.
        Func<ReadOnlySpan<double>, double, bool> reject = rejection switch
        {
            "none" => (_, _) => false,
            "stepped-b1-late-x" => (b, v) => v > 2.9 && Math.Abs(b[1] + 0.5) is > 1e-12 and < 1e-6,
            _ => (b, v) => v > 1.5 && Math.Abs(b[2]) is > 1e-300 and < 1e-6,
        };
        var blockwise = Fit(pointwise: true, reject, dop);
        var columnwise = Fit(pointwise: false, reject, dop);
        Assert.Equal(columnwise.Info, blockwise.Info);
        Assert.Equal(columnwise.Iterations, blockwise.Iterations);
        Assert.Equal(columnwise.FunctionEvaluations, blockwise.FunctionEvaluations);
        for (int k = 0; k < 3; k++) Assert.Equal(BitConverter.DoubleToInt64Bits(columnwise.Beta[k]), BitConverter.DoubleToInt64Bits(blockwise.Beta[k]));
        if (rejection != "none") Assert.True(blockwise.Info >= 50000, $"the rejection should stop the fit, info {blockwise.Info}");
    }
}
