using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Odr.Cli.Tests;

/// <summary>
/// The tool's compiled formulas are pure, so its model is declared thread-safe (issue 20): concurrent
/// calls must each get their own answer, and a parallel fit must equal the serial one bit for bit.
/// </summary>
public class ThreadSafetyTests
{
    private const string Formula = "B0*exp(-B1*t) + B2";

    private static ExpressionModel Compile() => ExpressionModel.Create([Formula], ["t"], 3, isImplicit: false);

    [Fact]
    public void TheModelIsDeclaredThreadSafe() => Assert.True(Compile().ToModel(isImplicit: false).IsThreadSafe);

    [Fact]
    public void ConcurrentEvaluationsEachGetTheirOwnAnswer()
    {
        // Each thread evaluates its own parameters on its own inputs many times; the answer must be the
        // closed form every time (shared scratch arrays would mix the threads' inputs and parameters).
        var model = Compile();
        int threads = Math.Max(4, Environment.ProcessorCount * 2);
        const int N = 3000;
        var failures = new ConcurrentBag<string>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            double[] beta = [1 + w, 0.01 * (w + 1), -w];
            var x = new double[N];
            for (int i = 0; i < N; i++) x[i] = 0.001 * i * (w + 1);
            var f = new double[N];
            var jac = new double[N * 3];
            var m = model.ToModel(isImplicit: false);
            start.SignalAndWait();
            for (int round = 0; round < 40; round++)
            {
                model.Evaluate(beta, x, f);
                m.EvaluateJacobianBeta(beta, x, jac);
                for (int i = 0; i < N; i++)
                {
                    double e = Math.Exp(-beta[1] * x[i]);
                    double expected = beta[0] * e + beta[2];
                    if (Math.Abs(f[i] - expected) > 1e-12 * Math.Max(1, Math.Abs(expected))
                        || Math.Abs(jac[i * 3] - e) > 1e-12 || jac[i * 3 + 2] != 1)
                    {
                        failures.Add(string.Create(CultureInfo.InvariantCulture, $"thread {w}, round {round}, i {i}: f {f[i]:R} expected {expected:R}"));
                        return;
                    }
                }
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
    }

    [Fact]
    public void AParallelFitOfFiftyThousandRowsEqualsTheSerialFitBitForBit()
    {
        using var dir = new TempDir();
        var sb = new StringBuilder("t,signal\n");
        const int N = 50_000;
        for (int i = 0; i < N; i++)
        {
            double t = 10.0 * i / N;
            double noise = 0.01 * Math.Sin(12.9898 * i) + 0.005 * Math.Cos(78.233 * i);
            sb.Append(CultureInfo.InvariantCulture, $"{t + 0.001 * Math.Sin(3.7 * i):R},{3 * Math.Exp(-0.4 * t) + 0.5 + noise:R}\n");
        }
        string data = dir.File("decay.csv", sb.ToString());

        string Fit(int threads)
        {
            var options = new FitOptions
            {
                DataPath = data,
                Models = [Formula],
                Beta0 = "2,0.3,0.1",
                Sx = "0.001",
                Sy = "0.01",
                Json = "-",
                MaxDegreeOfParallelism = threads,
            };
            var stdout = new StringWriter(CultureInfo.InvariantCulture);
            var stderr = new StringWriter(CultureInfo.InvariantCulture);
            int code = FitRunner.Run(options, stdout, stderr);
            Assert.True(code == 0, stderr.ToString());
            return stdout.ToString();
        }

        string serial = Fit(1);
        string parallel = Fit(4);
        // The JSON writes every double in its shortest round-trip form: equal text is equal bits, for beta,
        // the covariance and every per-observation array.
        Assert.Equal(serial, parallel);
        Assert.Contains("\"beta\"", serial);
    }
}
