using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Odr.Tests.Support;

namespace Odr.Tests.Performance;

/// <summary>
/// The step's per-observation kernels run several observations at a time in SIMD registers. That
/// must change nothing: over random problem shapes (m, q = 1..3, explicit and implicit, shared,
/// per-observation, diagonal and full weights, fixed inputs, n not a multiple of the bundle width)
/// the fit equals the one-observation-at-a-time fit to the last bit.
/// </summary>
public class SimdKernelTests
{
    [Property(MaxTest = 120)]
    public Property SimdKernelsMatchOneObservationAtATimeBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var problem = RandomProblem(new Random(seed));
        var simd = problem(_ => { }).Run();
        var single = problem(o => o.SimdKernels = false).Run();
        string? error = Compare(simd, single);
        return error is null ? true.ToProperty() : false.Label($"seed {seed}: {error}");
    });

    /// <summary>Fits with one input and one response run kernels written for 1×1 blocks; over random
    /// such problems (weights of every form, fixed inputs, central differences, n not a multiple of the
    /// bundle width), SIMD bundles or one observation at a time, the fit equals the general kernels'
    /// to the last bit.</summary>
    [Property(MaxTest = 120)]
    public Property OneByOneKernelsMatchTheGeneralKernelsBitForBit() => Prop.ForAll(Arbitraries.Seeds, seed =>
    {
        var problem = RandomProblem(new Random(seed), oneInputOneResponse: true);
        bool simd = seed % 2 == 0;
        var special = problem(o => o.SimdKernels = simd).Run();
        var general = problem(o => { o.SimdKernels = simd; o.OneByOneKernels = false; }).Run();
        string? error = Compare(special, general);
        return error is null ? true.ToProperty() : false.Label($"seed {seed}, SIMD {simd}: {error}");
    });

    /// <summary>A random problem, built as often as asked from the same draws, each time with the given
    /// settings applied (SIMD kernels off, say).</summary>
    internal static Func<Action<ODR>, ODR> RandomProblem(Random r, int minInputs = 1, bool oneInputOneResponse = false)
    {
        bool isImplicit = !oneInputOneResponse && r.Next(4) == 0;
        int m = oneInputOneResponse ? 1 : isImplicit ? 2 + r.Next(2) : minInputs + r.Next(4 - minInputs);
        int q = oneInputOneResponse ? 1 : isImplicit ? 1 : 1 + r.Next(3);
        int n = 13 + r.Next(40);
        double U() => (2 * r.NextDouble()) - 1;

        var x = new double[m * n]; // [m][n] as numpy lays it out
        double[]? y = isImplicit ? null : new double[q * n];
        int p = isImplicit ? m + 1 : q * (m + 1);
        var truth = Enumerable.Range(0, p).Select(_ => 0.5 + r.NextDouble()).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (isImplicit)
            {
                // Points near a circle/sphere of radius truth[m] around (truth[0], truth[1], ...).
                var dir = Enumerable.Range(0, m).Select(_ => U()).ToArray();
                double norm = Math.Sqrt(dir.Sum(v => v * v)) + 1e-3;
                for (int j = 0; j < m; j++) x[(j * n) + i] = truth[j] + (truth[m] * dir[j] / norm) + (0.02 * U());
            }
            else
            {
                for (int j = 0; j < m; j++) x[(j * n) + i] = 2 * U();
            }
        }
        if (y != null)
        {
            var obsX = new double[m];
            var f = new double[q];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < m; j++) obsX[j] = x[(j * n) + i];
                Explicit(truth, obsX, f, m, q);
                for (int l = 0; l < q; l++) y[(l * n) + i] = f[l] + (0.05 * U());
            }
        }

        NdArray X = m == 1 ? x : NdArray.FromShape(new[] { m, n }, x);
        NdArray? Y = y is null ? null : q == 1 ? y : NdArray.FromShape(new[] { q, n }, y);
        NdArray? wd = RandomWeights(r, m, n);
        NdArray? we = isImplicit ? null : RandomWeights(r, q, n);
        int[]? ifixx = null;
        if (r.Next(3) == 0)
        {
            ifixx = Enumerable.Range(0, m * n).Select(_ => r.Next(5) == 0 ? 0 : 1).ToArray();
        }
        var beta0 = truth.Select(b => b * (1 + (0.2 * U()))).ToArray();
        bool central = r.Next(3) == 0;

        var model = isImplicit
            ? new Model(
                (b, v, f) =>
                {
                    for (int i = 0; i < f.Length; i++)
                    {
                        double s = 0;
                        for (int j = 0; j < m; j++) s += (v[(i * m) + j] - b[j]) * (v[(i * m) + j] - b[j]);
                        f[i] = s - (b[m] * b[m]);
                    }
                },
                isImplicit: true)
            : new Model((b, v, f) =>
            {
                for (int i = 0; i < f.Length / q; i++) Explicit(b, v.Slice(i * m, m), f.Slice(i * q, q), m, q);
            });

        return configure =>
        {
            var odr = new ODR(new Data(X, Y, we, wd), model, beta0, maxit: 30) { MaxDegreeOfParallelism = 1 };
            if (ifixx != null) odr.Ifixx = NdArray.FromShape(m == 1 ? new[] { n } : new[] { m, n }, ifixx.Select(v => (double)v).ToArray());
            if (central) odr.SetJob(deriv: 1);
            configure(odr);
            return odr;
        };
    }

    /// <summary>q responses, each linear in the inputs plus a product term: arithmetic only, so
    /// nothing depends on the math library.</summary>
    private static void Explicit(ReadOnlySpan<double> b, ReadOnlySpan<double> x, Span<double> f, int m, int q)
    {
        for (int l = 0; l < q; l++)
        {
            int o = l * (m + 1);
            double v = b[o];
            for (int j = 0; j < m; j++) v += b[o + 1 + j] * x[j];
            f[l] = v + (0.3 * b[o] * x[0] * x[m - 1]);
        }
    }

    /// <summary>None, one shared diagonal, per-observation diagonals, or full per-observation
    /// positive definite blocks (scipy's shapes).</summary>
    private static NdArray? RandomWeights(Random r, int d, int n)
    {
        switch (r.Next(4))
        {
            case 0:
                return null;
            case 1:
                return d == 1 ? 0.5 + r.NextDouble() : NdArray.FromShape(new[] { d }, Enumerable.Range(0, d).Select(_ => 0.5 + r.NextDouble()).ToArray());
            case 2:
                {
                    var w = Enumerable.Range(0, d * n).Select(_ => 0.5 + r.NextDouble()).ToArray();
                    return d == 1 ? w : NdArray.FromShape(new[] { d, n }, w);
                }
            default:
                {
                    // w[a, b, i] = (L Lᵀ)[a, b] + I with a random L per observation.
                    var w = new double[d * d * n];
                    for (int i = 0; i < n; i++)
                    {
                        var l = Enumerable.Range(0, d * d).Select(_ => r.NextDouble() - 0.5).ToArray();
                        for (int a = 0; a < d; a++)
                        {
                            for (int c = 0; c < d; c++)
                            {
                                double s = a == c ? 1.0 : 0.0;
                                for (int k = 0; k < d; k++) s += l[(a * d) + k] * l[(c * d) + k];
                                w[(((a * d) + c) * n) + i] = s;
                            }
                        }
                    }
                    return d == 1 ? w : NdArray.FromShape(new[] { d, d, n }, w);
                }
        }
    }

    internal static string? Compare(Output a, Output b)
    {
        if (a.Info != b.Info) return $"info {a.Info} vs {b.Info}";
        if (a.Iterations != b.Iterations) return $"iterations {a.Iterations} vs {b.Iterations}";
        return Bits("beta", a.Beta, b.Beta)
            ?? Bits("sd_beta", a.SdBeta, b.SdBeta)
            ?? Bits("delta", a.Delta.Cast<double>().ToArray(), b.Delta.Cast<double>().ToArray())
            ?? Bits("eps", a.Eps.Cast<double>().ToArray(), b.Eps.Cast<double>().ToArray())
            ?? Bits("sum_square", new[] { a.SumSquare }, new[] { b.SumSquare });
    }

    private static string? Bits(string what, double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return $"{what}[{i}]: {a[i]:R} vs {b[i]:R}";
        }
        return null;
    }
}
