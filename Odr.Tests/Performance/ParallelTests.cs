namespace Odr.Tests.Performance;

/// <summary>Parallel fits must give the serial results bit for bit.</summary>
public class ParallelTests
{
    public static TheoryData<string> Problems => new() { "line", "exp", "exp-central", "twoinput-fd", "twoinput-analytic", "twoinput-serial-model", "tworesp", "circle" };

    private static ODR Build(string name, int dop)
    {
        const int N = 30_000; // several chunks of 4096 observations
        return name switch
        {
            "line" => PerfProblems.Line(N, dop),
            "exp" => PerfProblems.Exp(N, dop),
            "exp-central" => PerfProblems.Exp(N, dop, central: true),
            "twoinput-fd" => PerfProblems.TwoInput(N, dop, analytic: false),
            "twoinput-analytic" => PerfProblems.TwoInput(N, dop, analytic: true),
            "twoinput-serial-model" => PerfProblems.TwoInput(N, dop, analytic: false, parallelModel: false),
            "tworesp" => PerfProblems.TwoResponse(N, dop),
            _ => PerfProblems.Circle(N, dop),
        };
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void ParallelRunMatchesSerialBitForBit(string name)
    {
        var serial = Build(name, 1).Run();
        foreach (int dop in new[] { 2, 3, -1 })
        {
            var parallel = Build(name, dop).Run();
            Assert.Equal(serial.Iterations, parallel.Iterations);
            Assert.Equal(serial.FunctionEvaluations, parallel.FunctionEvaluations);
            Assert.Equal(serial.Info, parallel.Info);
            AssertBits(serial.Beta, parallel.Beta);
            AssertBits(serial.SdBeta, parallel.SdBeta);
            AssertBits(serial.CovBeta.Cast<double>().ToArray(), parallel.CovBeta.Cast<double>().ToArray());
            AssertBits(serial.Delta.Cast<double>().ToArray(), parallel.Delta.Cast<double>().ToArray());
            AssertBits(serial.Eps.Cast<double>().ToArray(), parallel.Eps.Cast<double>().ToArray());
            AssertBits(serial.XPlus.Cast<double>().ToArray(), parallel.XPlus.Cast<double>().ToArray());
            AssertBits(serial.Y.Cast<double>().ToArray(), parallel.Y.Cast<double>().ToArray());
            Assert.Equal(BitConverter.DoubleToInt64Bits(serial.SumSquare), BitConverter.DoubleToInt64Bits(parallel.SumSquare));
        }
    }

    [Fact]
    public void ModelRejectionInAChunkStopsAsInSerial()
    {
        // The model rejects points far out on the second half of the data: the same outcome either way.
        Output Fit(int dop)
        {
            int n = 20_000;
            var x = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
            var y = x.Select(v => 1 + 2 * v).ToArray();
            var model = new Model((b, v) => v > 0.75 && b[1] > 2.5 ? throw new OdrStop("too steep") : b[0] + b[1] * v);
            return new ODR(new Data(x, y), model, new[] { 0.0, 3.0 }) { MaxDegreeOfParallelism = dop }.Run();
        }

        var serial = Fit(1);
        var parallel = Fit(-1);
        Assert.Equal(serial.Info, parallel.Info);
        Assert.Equal(serial.Iterations, parallel.Iterations);
        AssertBits(serial.Beta, parallel.Beta);
    }

    [Fact]
    public void ModelExceptionIsWrappedAsInSerial()
    {
        Exception Fit(int dop)
        {
            int n = 20_000;
            var x = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
            var y = x.Select(v => 1 + 2 * v).ToArray();
            int calls = 0;
            var model = new Model((b, v) => Interlocked.Increment(ref calls) > 3 * n && v > 0.5 ? throw new InvalidOperationException("boom") : b[0] + b[1] * v);
            return Assert.ThrowsAny<Exception>(() => new ODR(new Data(x, y), model, new[] { 0.0, 3.0 }) { MaxDegreeOfParallelism = dop }.Run());
        }

        var serial = Fit(1);
        var parallel = Fit(-1);
        Assert.Equal(serial.GetType(), parallel.GetType());
        Assert.IsType<InvalidOperationException>(parallel.InnerException);
    }

    /// <summary>Each chunk checks its own values for NaN and Inf; the report must still name the first
    /// bad observation of all, as the serial pass does (here two chunks hold one).</summary>
    [Fact]
    public void NonFiniteModelValuesInChunksAreReportedAsInSerial()
    {
        const int n = 20_000;
        var x = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
        var y = x.Select(v => 1 + 2 * v).ToArray();
        var model = new Model((b, v) => v == x[17_000] || v == x[12_345] ? double.NaN : b[0] + b[1] * v);
        string Message(int dop) => Assert.ThrowsAny<ArgumentException>(() => new ODR(new Data(x, y), model, new[] { 0.0, 3.0 }) { MaxDegreeOfParallelism = dop }.Run()).Message;

        string serial = Message(1);
        Assert.Contains("12345", serial);
        Assert.Equal(serial, Message(2));
        Assert.Equal(serial, Message(-1));
    }

    /// <summary>A NaN in the analytic Jacobian of one chunk away from the start: the step is rejected
    /// with the same stop reason and the same result as in a serial fit.</summary>
    [Fact]
    public void NonFiniteJacobianInAChunkStopsAsInSerial()
    {
        const int n = 20_000;
        var x = Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
        var y = x.Select(v => 1 + 2 * v).ToArray();
        var model = new Model(
            (b, v) => b[0] + b[1] * v,
            (b, v, g) =>
            {
                g[0] = 1;
                g[1] = v > 0.8 && b[1] < 2.5 ? double.NaN : v;
            },
            (b, v) => b[1]);
        Output Fit(int dop)
        {
            var odr = new ODR(new Data(x, y), model, new[] { 0.0, 3.0 }) { MaxDegreeOfParallelism = dop };
            odr.SetJob(deriv: 2);
            return odr.Run();
        }

        var serial = Fit(1);
        Assert.True(serial.Info >= 50000, $"info {serial.Info}: the NaN Jacobian was not met");
        foreach (int dop in new[] { 2, -1 })
        {
            var parallel = Fit(dop);
            Assert.Equal(serial.Info, parallel.Info);
            Assert.Equal(serial.StopReason, parallel.StopReason);
            AssertBits(serial.Beta, parallel.Beta);
        }
    }

    private static void AssertBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"index {i}: {expected[i]:R} vs {actual[i]:R}");
        }
    }
}
