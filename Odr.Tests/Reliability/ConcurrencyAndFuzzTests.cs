using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Reliability;

/// <summary>No static mutable state, and malformed input of any shape ends in a clear error or a valid
/// result — never another exception type, a crash or a hang.</summary>
public class ConcurrencyAndFuzzTests
{
    private static (Data Data, Model Model, double[] Beta0) Problem(int seed)
    {
        var r = new Random(seed);
        int n = r.Next(8, 40);
        double a = 1 + 4 * r.NextDouble(), k = -0.2 - r.NextDouble(), c = r.NextDouble();
        var x = Enumerable.Range(0, n).Select(i => 0.2 * i + 0.05 * r.NextDouble()).ToArray();
        var y = x.Select(t => a * Math.Exp(k * t) + c + 0.02 * (r.NextDouble() - 0.5)).ToArray();
        var model = new Model((b, t) => b[0] * Math.Exp(b[1] * t) + b[2]);
        return (new RealData(x, y, sx: 0.01, sy: 0.02), model, new[] { a * 0.8, k * 1.2, c + 0.1 });
    }

    /// <summary>Eps and XPlus are computed when first read: threads racing to read them first all get
    /// one and the same array, holding f − y and x + delta.</summary>
    [Fact]
    public void LazyOutputArraysAreOneArrayForEveryReader()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var (d, m, b) = Problem(seed);
            var output = new ODR(d, m, b).Run();
            using var start = new Barrier(4);
            var seen = new (ReadOnlyMatrix Eps, ReadOnlyMatrix XPlus)[4];
            // Four dedicated threads: the barrier needs all four at once, which pool threads on a
            // two-core machine are not promised.
            var readers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                if (t % 2 == 0)
                {
                    var eps = output.Eps;
                    seen[t] = (eps, output.XPlus);
                }
                else
                {
                    var xplus = output.XPlus; // the other order
                    seen[t] = (output.Eps, xplus);
                }
            })).ToArray();
            foreach (var reader in readers) reader.Start();
            foreach (var reader in readers) reader.Join();
            Assert.All(seen, s => Assert.Same(output.Eps, s.Eps));
            Assert.All(seen, s => Assert.Same(output.XPlus, s.XPlus));
            for (int i = 0; i < d.N; i++)
            {
                Assert.Equal(output.Y[0, i] - d.GetY(0, i), output.Eps[0, i]);
                Assert.Equal(d.GetX(0, i) + output.Delta[0, i], output.XPlus[0, i]);
            }
        }
    }

    [Fact]
    public void ThousandFitsOnAllCoresEqualTheSameFitsOneByOne()
    {
        const int count = 1000;
        var sequential = new Output[count];
        for (int i = 0; i < count; i++)
        {
            var (d, m, b) = Problem(i);
            sequential[i] = new ODR(d, m, b).Run();
        }
        var parallel = new Output[count];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount * 2) }, i =>
        {
            var (d, m, b) = Problem(i);
            parallel[i] = new ODR(d, m, b).Run();
        });
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(sequential[i].Beta, parallel[i].Beta);
            Assert.Equal(sequential[i].SdBeta, parallel[i].SdBeta);
            Assert.Equal(sequential[i].Info, parallel[i].Info);
            Assert.Equal(sequential[i].Iterations, parallel[i].Iterations);
        }
    }

    [Fact]
    public void OneModelInstanceSharedByConcurrentFitsGivesIdenticalResults()
    {
        var (d, m, b) = Problem(7);
        var reference = new ODR(d, m, b).Run();
        var results = new Output[64];
        Parallel.For(0, results.Length, i => results[i] = new ODR(d, m, b).Run());
        Assert.All(results, o => Assert.Equal(reference.Beta, o.Beta));
    }

    [Fact]
    public void CancellingFromAnotherThreadEndsTheFitPromptly()
    {
        using var cts = new CancellationTokenSource();
        int evaluations = 0;
        var model = new Model((ModelFunction)((b, t, f) =>
        {
            if (Interlocked.Increment(ref evaluations) == 20) cts.Cancel();
            for (int i = 0; i < t.Length; i++) f[i] = b[0] * Math.Exp(b[1] * t[i]) + b[2];
        }));
        var (d, _, b0) = Problem(3);
        var odr = new ODR(d, model, b0, maxit: 1000, sstol: 0, partol: 0);
        Assert.ThrowsAny<OperationCanceledException>(() => odr.Run(cts.Token));
        // Promptly: the solver checks the token before every trial step and every Jacobian.
        Assert.InRange(evaluations, 20, 25);
        // No corrupted state: the same object runs again exactly like a fresh one.
        var again = odr.Run();
        var fresh = new ODR(d, model, b0, maxit: 1000, sstol: 0, partol: 0).Run();
        Assert.Equal(fresh.Beta, again.Beta);
        Assert.Equal(fresh.Info, again.Info);
    }

    /// <summary>Random shapes, lengths and NaN/Inf placements for every argument.</summary>
    [Property(MaxTest = 2000)]
    public Property MalformedInputGivesAClearErrorOrAValidResult() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var r = new Random(seed);
        double Value() => r.Next(25) switch
        {
            0 => double.NaN,
            1 => double.PositiveInfinity,
            2 => -1,
            3 => 0,
            _ => 0.1 + 3 * r.NextDouble(),
        };
        double[] Vector(int len) => Enumerable.Range(0, len).Select(_ => Value()).ToArray();
        int n = r.Next(0, 8);
        NdArray Shaped(int rows)
        {
            return r.Next(4) switch
            {
                0 => Value(),
                1 => Vector(r.Next(0, n + 2)),
                2 => (NdArray)new double[rows, Math.Max(0, n + r.Next(-1, 2))],
                _ => (NdArray)new double[rows, rows, Math.Max(1, n + r.Next(-1, 2))],
            };
        }
        try
        {
            NdArray x = r.Next(3) == 0 ? (NdArray)new double[r.Next(1, 3), n] : Vector(n);
            NdArray? y = r.Next(5) == 0 ? null : (r.Next(3) == 0 ? (NdArray)new double[r.Next(1, 3), Math.Max(0, n + r.Next(-1, 2))] : Vector(n + (r.Next(4) == 0 ? 1 : 0)));
            var data = r.Next(2) == 0
                ? new Data(x, y, r.Next(3) == 0 ? Shaped(1) : null, r.Next(3) == 0 ? Shaped(1) : null)
                : new RealData(x, y, r.Next(3) == 0 ? Shaped(1) : null, r.Next(3) == 0 ? Shaped(1) : null);
            var model = new Model((b, t) => b[0] * t + (b.Length > 1 ? b[1] : 0));
            var odr = new ODR(data, model, Vector(r.Next(0, 4)), ifixb: r.Next(4) == 0 ? new int[r.Next(0, 4)] : null,
                lower: r.Next(5) == 0 ? Vector(2) : null, upper: r.Next(5) == 0 ? Vector(2) : null, maxit: r.Next(-2, 20));
            var o = odr.Run();
            bool valid = o.Beta.All(double.IsFinite) && double.IsFinite(o.SumSquare) && o.StopReason.Count > 0;
            return valid.Label($"invalid result: info {o.Info}, beta {string.Join(", ", o.Beta)}");
        }
        catch (ArgumentException e)
        {
            return (e.ParamName != null && e.Message.Length > 0 && !e.Message.Contains("Exception")).Label($"unclear error: {e.Message}");
        }
        catch (ModelEvaluationException)
        {
            return true.ToProperty();
        }
    });
}
