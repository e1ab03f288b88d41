namespace Odr.Tests.Api;

/// <summary>
/// An analytic Jacobian may leave its zero derivatives unwritten, as into a fresh array: the
/// destination is cleared before every call. Without that it would still hold the previous
/// iteration's Jacobian as the solver left it — weighted by a full WE (which mixes the responses'
/// rows) or packed by IFIXB (which moves the free columns forward) — and the fit would silently
/// follow a wrong Jacobian (seen: a different beta, 6 iterations instead of 4).
/// </summary>
public class JacobianDestinationTests
{
    public static TheoryData<string, int> Cases => new()
    {
        { "full-we", 1 },
        { "full-we", 2 },
        { "ifixb", 1 },
        { "ifixb", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JacobianThatSkipsZerosFitsAsOneThatWritesThem(string setup, int dop)
    {
        var all = Build(setup, dop, writeZeros: true).Run();
        var nonzeros = Build(setup, dop, writeZeros: false).Run();
        Assert.Equal(all.Iterations, nonzeros.Iterations);
        Assert.Equal(all.Info, nonzeros.Info);
        for (int k = 0; k < all.Beta.Length; k++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(all.Beta[k]), BitConverter.DoubleToInt64Bits(nonzeros.Beta[k]));
        }
        Assert.Equal(all.SdBeta, nonzeros.SdBeta);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PerObservationGradientThatSkipsZerosFitsAsOneThatWritesThem(int dop)
    {
        // A hinge model whose gradient writes ∂f/∂b1 only past the hinge; with b0 fixed the solver packs
        // b2's column into b1's place, which a skipped entry would otherwise keep.
        ODR Build(bool writeZeros)
        {
            const int N = 10_000;
            var rng = new Random(5);
            var x = new double[N];
            var y = new double[N];
            for (int i = 0; i < N; i++)
            {
                x[i] = 1.0 * i / N;
                y[i] = 1 + (3 * Math.Max(x[i] - 0.5, 0)) + (0.5 * x[i]) + (0.01 * (rng.NextDouble() - 0.5));
            }
            var model = new Model(
                (b, v) => b[0] + (b[1] * Math.Max(v - 0.5, 0)) + (b[2] * v),
                (b, v, g) =>
                {
                    g[0] = 1;
                    if (v > 0.5) g[1] = v - 0.5;
                    else if (writeZeros) g[1] = 0;
                    g[2] = v;
                },
                (b, v) => (v > 0.5 ? b[1] : 0) + b[2]);
            var odr = new ODR(new Data(x, y), model, new[] { 1.0, 2.0, 1.0 }, ifixb: new[] { 0, 1, 1 }) { MaxDegreeOfParallelism = dop };
            odr.SetJob(deriv: 3);
            return odr;
        }
        var all = Build(writeZeros: true).Run();
        var skipping = Build(writeZeros: false).Run();
        Assert.Equal(all.Iterations, skipping.Iterations);
        Assert.Equal(all.Beta, skipping.Beta);
    }

    [Fact]
    public void EvaluatingAJacobianDirectlyStartsFromZeros()
    {
        // Model.EvaluateJacobianBeta/X are public: the promise of zeros holds for any caller's array.
        var vectorized = new Model(
            (b, xs, f) => { for (int i = 0; i < xs.Length; i++) f[i] = b[0] * xs[i]; },
            (b, xs, j) => { for (int i = 0; i < xs.Length; i++) j[2 * i] = xs[i]; },
            (b, xs, j) => { for (int i = 0; i < xs.Length; i++) if (xs[i] > 1) j[i] = b[0]; });
        var perObservation = new Model((b, x) => b[0] * x, (b, x, g) => g[0] = x);
        double[] x = { 1, 2, 3 };
        foreach (var model in new[] { vectorized, perObservation })
        {
            var jb = Enumerable.Repeat(7.0, 6).ToArray();
            model.EvaluateJacobianBeta(new[] { 2.0, 5.0 }, x, jb);
            Assert.Equal(new[] { 1.0, 0, 2, 0, 3, 0 }, jb);
        }
        var jd = Enumerable.Repeat(7.0, 3).ToArray();
        vectorized.EvaluateJacobianX(new[] { 2.0, 5.0 }, x, jd);
        Assert.Equal(new[] { 0.0, 2, 2 }, jd);
    }

    /// <summary>Two responses, y0 = b0 + b1·x and y1 = b2·exp(b3·x): half of each fjacb row is zero.
    /// With dop 2 the 10,000 observations are evaluated in chunks on two threads.</summary>
    private static ODR Build(string setup, int dop, bool writeZeros)
    {
        const int N = 10_000;
        var rng = new Random(12);
        var x = new double[N];
        var y = new double[2, N];
        for (int i = 0; i < N; i++)
        {
            double t = 1.0 * i / N;
            x[i] = t + (0.01 * (rng.NextDouble() - 0.5));
            y[0, i] = 1 + (2 * t) + (0.02 * (rng.NextDouble() - 0.5));
            y[1, i] = (0.5 * Math.Exp(1.2 * t)) + (0.02 * (rng.NextDouble() - 0.5));
        }
        var model = new Model(
            (b, xs, f) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    f[2 * i] = b[0] + (b[1] * xs[i]);
                    f[(2 * i) + 1] = b[2] * Math.Exp(b[3] * xs[i]);
                }
            },
            (b, xs, j) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    double e = Math.Exp(b[3] * xs[i]);
                    j[8 * i] = 1;
                    j[(8 * i) + 1] = xs[i];
                    j[(8 * i) + 6] = e;
                    j[(8 * i) + 7] = b[2] * xs[i] * e;
                    if (!writeZeros) continue;
                    j[(8 * i) + 2] = j[(8 * i) + 3] = j[(8 * i) + 4] = j[(8 * i) + 5] = 0;
                }
            },
            (b, xs, j) =>
            {
                for (int i = 0; i < xs.Length; i++)
                {
                    j[2 * i] = b[1];
                    j[(2 * i) + 1] = b[2] * b[3] * Math.Exp(b[3] * xs[i]);
                }
            });
        var data = setup == "full-we"
            ? new Data(x, y, we: new double[,] { { 2.0, 0.5 }, { 0.5, 3.0 } })
            : new Data(x, y);
        var odr = new ODR(data, model, new[] { 0.8, 1.8, 0.6, 1.0 }, ifixb: setup == "ifixb" ? new[] { 0, 1, 1, 1 } : null)
        {
            MaxDegreeOfParallelism = dop,
            ParallelModelEvaluation = true,
        };
        odr.SetJob(deriv: 3);
        return odr;
    }
}
