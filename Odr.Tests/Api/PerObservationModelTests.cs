using Odr.Tests.Support;

namespace Odr.Tests.Api;

/// <summary>
/// The per-observation model form for any m inputs and q responses (<see cref="ObservationFunction"/>,
/// <see cref="ObservationJacobian"/>). Each problem is written twice, here, from the documented
/// layouts: once per observation (x[j], y[l], Jacobians [q, p] and [q, m] row-major) and once
/// vectorized with the observation-major index arithmetic (x[i*m + j], f[i*q + l],
/// jac[(i*q + l)*p + k], jac[(i*q + l)*m + j]). Both share the same scalar formulas, so the model
/// values are the same bits, and the fits must be the same bits too, although the solver takes other
/// paths for the per-observation form (block-wise finite differences over subsets of the observations).
/// Reference cases rewritten in the form reproduce ODRPACK's committed results.
/// </summary>
public class PerObservationModelTests
{
    // ---- The problems' formulas, shared by both forms ----

    // m = 2, q = 1: y = b0 − b1·x0·exp(−b2·x1) (NIST Nelson's form).
    private static double NelsonValue(ReadOnlySpan<double> b, double x0, double x1) => b[0] - b[1] * x0 * Math.Exp(-b[2] * x1);

    private static void NelsonGradient(ReadOnlySpan<double> b, double x0, double x1, Span<double> db, Span<double> dx)
    {
        double e = Math.Exp(-b[2] * x1);
        db[0] = 1;
        db[1] = -x0 * e;
        db[2] = b[1] * x0 * x1 * e;
        dx[0] = -b[1] * e;
        dx[1] = b[1] * b[2] * x0 * e;
    }

    // m = 1, q = 2: y0 = b0 + b1·x, y1 = b2·exp(b3·x).
    private static double LineExp(int l, ReadOnlySpan<double> b, double x) => l == 0 ? b[0] + b[1] * x : b[2] * Math.Exp(b[3] * x);

    private static double LineExpDb(int l, int k, ReadOnlySpan<double> b, double x) => (l, k) switch
    {
        (0, 0) => 1,
        (0, 1) => x,
        (1, 2) => Math.Exp(b[3] * x),
        (1, 3) => b[2] * x * Math.Exp(b[3] * x),
        _ => 0,
    };

    private static double LineExpDx(int l, ReadOnlySpan<double> b, double x) => l == 0 ? b[1] : b[2] * b[3] * Math.Exp(b[3] * x);

    // m = 2, q = 2: y0 = b0 + b1·x0 + b2·x1², y1 = b3·x0·x1 + b4/(1 + x0).
    private static double TwoByTwo(int l, ReadOnlySpan<double> b, double x0, double x1) =>
        l == 0 ? b[0] + b[1] * x0 + b[2] * x1 * x1 : b[3] * x0 * x1 + b[4] / (1 + x0);

    private static double TwoByTwoDb(int l, int k, double x0, double x1) => (l, k) switch
    {
        (0, 0) => 1,
        (0, 1) => x0,
        (0, 2) => x1 * x1,
        (1, 3) => x0 * x1,
        (1, 4) => 1 / (1 + x0),
        _ => 0,
    };

    private static double TwoByTwoDx(int l, int j, ReadOnlySpan<double> b, double x0, double x1) => (l, j) switch
    {
        (0, 0) => b[1],
        (0, _) => 2 * b[2] * x1,
        (_, 0) => b[3] * x1 - b[4] / ((1 + x0) * (1 + x0)),
        _ => b[3] * x0,
    };

    // Implicit, m = 2, q = 1: the ellipse of ODRPACK's guide, b2(x0−b0)² + 2b3(x0−b0)(x1−b1) + b4(x1−b1)² − 1 = 0.
    private static double Ellipse(ReadOnlySpan<double> b, double x0, double x1)
    {
        double u = x0 - b[0], v = x1 - b[1];
        return b[2] * Math.Pow(u, 2.0) + 2.0 * b[3] * u * v + b[4] * Math.Pow(v, 2.0) - 1.0;
    }

    private static void EllipseGradient(ReadOnlySpan<double> b, double x0, double x1, Span<double> db, Span<double> dx)
    {
        double u = x0 - b[0], v = x1 - b[1];
        db[0] = -2 * b[2] * u - 2 * b[3] * v;
        db[1] = -2 * b[3] * u - 2 * b[4] * v;
        db[2] = u * u;
        db[3] = 2 * u * v;
        db[4] = v * v;
        dx[0] = 2 * b[2] * u + 2 * b[3] * v;
        dx[1] = 2 * b[3] * u + 2 * b[4] * v;
    }

    // ---- The two forms of each problem ----

    private static Model Nelson(bool perObservation, bool threadSafe)
    {
        if (perObservation)
        {
            return new Model(
                inputs: 2,
                responses: 1,
                (b, x, y) => y[0] = NelsonValue(b, x[0], x[1]),
                (b, x, jac) => NelsonGradient(b, x[0], x[1], jac, stackalloc double[2]),
                (b, x, jac) => NelsonGradient(b, x[0], x[1], stackalloc double[3], jac))
            { IsThreadSafe = threadSafe };
        }
        return new Model(
            (ModelFunction)((b, x, f) =>
            {
                for (int i = 0; i < x.Length / 2; i++) f[i] = NelsonValue(b, x[i * 2], x[i * 2 + 1]);
            }),
            (b, x, jac) =>
            {
                Span<double> db = stackalloc double[3], dx = stackalloc double[2];
                for (int i = 0; i < x.Length / 2; i++)
                {
                    NelsonGradient(b, x[i * 2], x[i * 2 + 1], db, dx);
                    for (int k = 0; k < 3; k++) jac[i * 3 + k] = db[k]; // (i*q + 0)*p + k, q = 1, p = 3
                }
            },
            (b, x, jac) =>
            {
                Span<double> db = stackalloc double[3], dx = stackalloc double[2];
                for (int i = 0; i < x.Length / 2; i++)
                {
                    NelsonGradient(b, x[i * 2], x[i * 2 + 1], db, dx);
                    for (int j = 0; j < 2; j++) jac[i * 2 + j] = dx[j]; // (i*q + 0)*m + j
                }
            })
        { IsThreadSafe = threadSafe };
    }

    private static Model LineAndExp(bool perObservation, bool threadSafe)
    {
        const int q = 2, p = 4;
        if (perObservation)
        {
            return new Model(
                inputs: 1,
                responses: q,
                (b, x, y) =>
                {
                    y[0] = LineExp(0, b, x[0]);
                    y[1] = LineExp(1, b, x[0]);
                },
                (b, x, jac) =>
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int k = 0; k < p; k++) jac[l * p + k] = LineExpDb(l, k, b, x[0]);
                    }
                },
                (b, x, jac) =>
                {
                    for (int l = 0; l < q; l++) jac[l] = LineExpDx(l, b, x[0]);
                })
            { IsThreadSafe = threadSafe };
        }
        return new Model(
            (ModelFunction)((b, x, f) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    for (int l = 0; l < q; l++) f[i * q + l] = LineExp(l, b, x[i]);
                }
            }),
            (b, x, jac) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int k = 0; k < p; k++) jac[(i * q + l) * p + k] = LineExpDb(l, k, b, x[i]);
                    }
                }
            },
            (b, x, jac) =>
            {
                for (int i = 0; i < x.Length; i++)
                {
                    for (int l = 0; l < q; l++) jac[i * q + l] = LineExpDx(l, b, x[i]); // (i*q + l)*m + 0, m = 1
                }
            })
        { IsThreadSafe = threadSafe };
    }

    private static Model TwoInTwoOut(bool perObservation, bool threadSafe)
    {
        const int m = 2, q = 2, p = 5;
        if (perObservation)
        {
            return new Model(
                inputs: m,
                responses: q,
                (b, x, y) =>
                {
                    for (int l = 0; l < q; l++) y[l] = TwoByTwo(l, b, x[0], x[1]);
                },
                (b, x, jac) =>
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int k = 0; k < p; k++) jac[l * p + k] = TwoByTwoDb(l, k, x[0], x[1]);
                    }
                },
                (b, x, jac) =>
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int j = 0; j < m; j++) jac[l * m + j] = TwoByTwoDx(l, j, b, x[0], x[1]);
                    }
                })
            { IsThreadSafe = threadSafe };
        }
        return new Model(
            (ModelFunction)((b, x, f) =>
            {
                for (int i = 0; i < x.Length / m; i++)
                {
                    for (int l = 0; l < q; l++) f[i * q + l] = TwoByTwo(l, b, x[i * m], x[i * m + 1]);
                }
            }),
            (b, x, jac) =>
            {
                for (int i = 0; i < x.Length / m; i++)
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int k = 0; k < p; k++) jac[(i * q + l) * p + k] = TwoByTwoDb(l, k, x[i * m], x[i * m + 1]);
                    }
                }
            },
            (b, x, jac) =>
            {
                for (int i = 0; i < x.Length / m; i++)
                {
                    for (int l = 0; l < q; l++)
                    {
                        for (int j = 0; j < m; j++) jac[(i * q + l) * m + j] = TwoByTwoDx(l, j, b, x[i * m], x[i * m + 1]);
                    }
                }
            })
        { IsThreadSafe = threadSafe };
    }

    private static Model EllipseModel(bool perObservation, bool threadSafe)
    {
        if (perObservation)
        {
            return new Model(
                inputs: 2,
                responses: 1,
                (b, x, y) => y[0] = Ellipse(b, x[0], x[1]),
                (b, x, jac) => EllipseGradient(b, x[0], x[1], jac, stackalloc double[2]),
                (b, x, jac) => EllipseGradient(b, x[0], x[1], stackalloc double[5], jac),
                isImplicit: true)
            { IsThreadSafe = threadSafe };
        }
        return new Model(
            (ModelFunction)((b, x, f) =>
            {
                for (int i = 0; i < x.Length / 2; i++) f[i] = Ellipse(b, x[i * 2], x[i * 2 + 1]);
            }),
            (b, x, jac) =>
            {
                Span<double> dx = stackalloc double[2];
                for (int i = 0; i < x.Length / 2; i++) EllipseGradient(b, x[i * 2], x[i * 2 + 1], jac.Slice(i * 5, 5), dx);
            },
            (b, x, jac) =>
            {
                Span<double> db = stackalloc double[5];
                for (int i = 0; i < x.Length / 2; i++) EllipseGradient(b, x[i * 2], x[i * 2 + 1], db, jac.Slice(i * 2, 2));
            },
            isImplicit: true)
        { IsThreadSafe = threadSafe };
    }

    // ---- Data (deterministic, with a little pseudo-noise) ----

    private static double Noise(int i, double scale) => scale * Math.Sin(1.7 * i + 0.3);

    private static Data NelsonData(int n)
    {
        var x = new double[2, n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[0, i] = 1 + 9.0 * i / n + Noise(i, 0.01);
            x[1, i] = 0.2 * (i % 7) + Noise(3 * i, 0.01);
            y[i] = 2.5 - 0.7 * x[0, i] * Math.Exp(-0.4 * x[1, i]) + Noise(5 * i, 0.02);
        }
        return new RealData(x, y, sx: new[] { 0.01, 0.02 }, sy: 0.02);
    }

    private static Data LineExpData(int n)
    {
        var x = new double[n];
        var y = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            x[i] = 3.0 * i / n + Noise(i, 0.01);
            y[0, i] = 1 + 2 * x[i] + Noise(2 * i, 0.05);
            y[1, i] = 0.5 * Math.Exp(0.8 * x[i]) + Noise(7 * i, 0.05);
        }
        return new Data(x, y, we: new double[,] { { 4, 1 }, { 1, 2 } });
    }

    private static Data TwoByTwoData(int n)
    {
        var x = new double[2, n];
        var y = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            x[0, i] = 2.0 * i / n + Noise(i, 0.02);
            x[1, i] = 1 + 0.3 * (i % 5) + Noise(11 * i, 0.02);
            y[0, i] = 1 + 2 * x[0, i] - 0.5 * x[1, i] * x[1, i] + Noise(2 * i, 0.03);
            y[1, i] = 0.7 * x[0, i] * x[1, i] + 3 / (1 + x[0, i]) + Noise(3 * i, 0.03);
        }
        return new Data(x, y, wd: new[] { 100.0, 50.0 });
    }

    private static (Data Data, double[] Beta0) EllipseData()
    {
        var c = ReferenceCases.Get("ug_implicit_ellipse");
        return (new Data(c.GetProperty("x").ToNdArray()), c.GetProperty("beta0").Doubles());
    }

    public static IEnumerable<object[]> Problems()
    {
        foreach (string problem in new[] { "m2q1", "m1q2", "m2q2", "implicit" })
        {
            foreach (int deriv in new[] { 0, 1, 2, 3 })
            {
                yield return new object[] { problem, deriv, false };
            }
            yield return new object[] { problem, 0, true };
        }
    }

    private static (Data Data, Func<bool, Model> Model, double[] Beta0) Problem(string name, bool large) => name switch
    {
        "m2q1" => (NelsonData(large ? 6000 : 40), pw => Nelson(pw, large), new[] { 2.0, 0.5, 0.3 }),
        "m1q2" => (LineExpData(large ? 6000 : 30), pw => LineAndExp(pw, large), new[] { 0.5, 1.5, 1.0, 0.5 }),
        "m2q2" => (TwoByTwoData(large ? 6000 : 30), pw => TwoInTwoOut(pw, large), new[] { 0.5, 1.5, -0.3, 1.0, 2.0 }),
        _ => (EllipseData().Data, pw => EllipseModel(pw, large), EllipseData().Beta0),
    };

    /// <summary>The same problem in both forms gives the same fit bit for bit: every derivative mode,
    /// and (last flag) a large fit whose model calls run in parallel chunks (IsThreadSafe).</summary>
    [Theory]
    [MemberData(nameof(Problems))]
    public void PerObservationAndVectorizedFormsFitTheSameBits(string problem, int deriv, bool large)
    {
        var (data, model, beta0) = Problem(problem, large);
        Output Fit(bool perObservation)
        {
            var odr = new ODR(data, model(perObservation), beta0) { MaxDegreeOfParallelism = large ? 4 : 1 };
            odr.SetJob(deriv: deriv);
            return odr.Run();
        }

        var vectorized = Fit(false);
        var perObs = Fit(true);
        Assert.True(vectorized.Info < 10000, $"info {vectorized.Info}");
        FitAssert.BitIdentical(vectorized, perObs);
    }

    /// <summary>scipy's test_ticket_11800 (two inputs, two responses, analytic Jacobians unchecked)
    /// written per observation: ODRPACK's iterations, evaluations, beta, delta and eps to the bit
    /// (Data/odr-cases.json; the model is plain arithmetic, so its values are numpy's bits).</summary>
    [Fact]
    public void TwoInputsTwoResponsesReproduceOdrpackBitForBit()
    {
        var c = ReferenceCases.Get("bilinear_2in_2out_analytic");
        var model = new Model(
            inputs: 2,
            responses: 2,
            (b, x, y) =>
            {
                y[0] = b[0] + b[1] * x[0] + b[2] * x[1];
                y[1] = b[3] + b[4] * x[0] + b[5] * x[1];
            },
            (b, x, jac) =>
            {
                // [q, p] = [2, 6]: row l holds ∂y_l/∂β.
                jac[0] = 1.0;
                jac[1] = x[0];
                jac[2] = x[1];
                jac[6 + 3] = 1.0;
                jac[6 + 4] = x[0];
                jac[6 + 5] = x[1];
            },
            (b, x, jac) =>
            {
                // [q, m] = [2, 2].
                jac[0] = b[1];
                jac[1] = b[2];
                jac[2] = b[4];
                jac[3] = b[5];
            });
        var e = c.GetProperty("expected");
        var output = ReferenceCases.BuildOdr(c, modelOverride: model).Run();
        Assert.Equal(e.GetProperty("info").GetInt32(), output.Info);
        Assert.Equal(e.GetProperty("niter").GetInt32(), output.Iterations);
        Assert.Equal(e.GetProperty("nfev").GetInt32(), output.FunctionEvaluations);
        Assert.Equal(e.GetProperty("beta").Doubles(), output.Beta);
        Assert.Equal(e.GetProperty("delta").ToNdArray().Values.ToArray(), output.Delta.Cast<double>());
        Assert.Equal(e.GetProperty("eps").ToNdArray().Values.ToArray(), output.Eps.Cast<double>());
    }

    /// <summary>The one-input, two-response arithmetic case of Data/multiresponse-arithmetic.json
    /// (scipy.odr's ODRPACK), n = 5,000, written per observation: ODRPACK's beta to the bit.</summary>
    [Fact]
    public void OneInputTwoResponsesReproduceOdrpackBitForBit()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "multiresponse-arithmetic.json")));
        var c = doc.RootElement.GetProperty("cases")[1];
        int n = c.GetProperty("n").GetInt32();
        var (x, y) = Odr.Tests.Core.MultiResponseReferenceTests.MakeData(n);
        var model = new Model(inputs: 1, responses: 2, (b, xi, yi) =>
        {
            yi[0] = b[0] + b[1] * xi[0];
            yi[1] = b[2] + b[3] * xi[0] + b[4] * xi[0] * xi[0];
        });
        var output = new ODR(new Data(x, NdArray.FromShape(new[] { 2, n }, y)), model, c.GetProperty("beta0").Doubles()).Run();
        Assert.Equal(c.GetProperty("info").GetInt32(), output.Info);
        Assert.Equal(c.GetProperty("niter").GetInt32(), output.Iterations);
        Assert.Equal(c.GetProperty("nfev").GetInt32(), output.FunctionEvaluations);
        Assert.Equal(c.GetProperty("beta").Doubles(), output.Beta);
    }

    /// <summary>ODRPACK's implicit ellipse (user's guide p. 49, scipy's test_implicit) written per
    /// observation: ODRPACK's result to the tolerances of the reference-case tests (the model uses pow,
    /// so not bit for bit).</summary>
    [Fact]
    public void ImplicitEllipseMatchesOdrpack()
    {
        var c = ReferenceCases.Get("ug_implicit_ellipse");
        var e = c.GetProperty("expected");
        var output = ReferenceCases.BuildOdr(c, modelOverride: EllipseModel(perObservation: true, threadSafe: false)).Run();
        Assert.Equal(e.GetProperty("info").GetInt32(), output.Info);
        Assert.InRange(output.Iterations, e.GetProperty("niter").GetInt32() - 1, e.GetProperty("niter").GetInt32() + 1);
        var beta = e.GetProperty("beta").Doubles();
        var sd = e.GetProperty("sd_beta").Doubles();
        for (int k = 0; k < beta.Length; k++)
        {
            Assert.True(Math.Abs(output.Beta[k] - beta[k]) <= 1e-6 * Math.Abs(beta[k]) + 1e-3 * sd[k], $"beta[{k}] {output.Beta[k]} vs {beta[k]}");
            Assert.True(Math.Abs(output.SdBeta[k] - sd[k]) <= 1e-5 * sd[k], $"sd_beta[{k}] {output.SdBeta[k]} vs {sd[k]}");
        }
    }

    [Fact]
    public void InputsNotMatchingXAreRefusedNamingBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => new ODR(TwoByTwoData(10), new Model(3, 2, (b, x, y) => { }), new[] { 1.0 }));
        Assert.Equal("model", e.ParamName);
        Assert.Contains("3 inputs", e.Message);
        Assert.Contains("m = 2", e.Message);
    }

    [Fact]
    public void ResponsesNotMatchingYAreRefusedNamingBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => new ODR(TwoByTwoData(10), new Model(2, 1, (b, x, y) => { }), new[] { 1.0 }));
        Assert.Equal("model", e.ParamName);
        Assert.Contains("one response", e.Message);
        Assert.Contains("q = 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ODR(NelsonData(10), new Model(2, 3, (b, x, y) => { }), new[] { 1.0 }));
        Assert.Contains("3 responses", e.Message);
        Assert.Contains("q = 1", e.Message);
    }

    [Fact]
    public void CountsBelowOneAreRefused()
    {
        Assert.Equal("inputs", Assert.Throws<ArgumentOutOfRangeException>(() => new Model(0, 1, (b, x, y) => { })).ParamName);
        Assert.Equal("responses", Assert.Throws<ArgumentOutOfRangeException>(() => new Model(1, 0, (b, x, y) => { })).ParamName);
    }

    /// <summary>A callback that writes past its q responses (the model declares one, writes two) or
    /// past its [q, p] Jacobian: an ArgumentException naming the spans' sizes, as the inner exception
    /// of the fit's ModelEvaluationException.</summary>
    [Fact]
    public void WritingPastTheDeclaredSizesIsReportedWithTheSizes()
    {
        var data = new Data(new[] { 0.0, 1, 2, 3, 4 }, new[] { 1.0, 3, 5, 7, 9.5 });
        var tooMany = new Model(1, 1, (b, x, y) =>
        {
            y[0] = b[0] * x[0];
            y[1] = b[1];
        });
        var e = Assert.Throws<ModelEvaluationException>(() => new ODR(data, tooMany, new[] { 1.0, 0 }).Run());
        var inner = Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Contains("q = 1", inner.Message);
        Assert.Contains("observation 0", inner.Message);
        Assert.Contains("q = 1", e.Message);

        var wideJacobian = new Model(1, 1, (b, x, y) => y[0] = b[0] * x[0] + b[1], (b, x, jac) =>
        {
            jac[0] = x[0];
            jac[1] = 1;
            jac[2] = 0; // p = 2: one too many
        });
        var odr = new ODR(data, wideJacobian, new[] { 1.0, 0 });
        odr.SetJob(deriv: 3, fitType: 2);
        e = Assert.Throws<ModelEvaluationException>(() => odr.Run());
        inner = Assert.IsType<ArgumentException>(e.InnerException);
        Assert.Contains("fjacb", inner.Message);
        Assert.Contains("q·p = 1·2", inner.Message);
    }

    [Fact]
    public void DirectCallsWithBuffersOfTheWrongSizeAreRefused()
    {
        var model = TwoInTwoOut(perObservation: true, threadSafe: false);
        var beta = new[] { 1.0, 2, 3, 4, 5 };
        var e = Assert.Throws<ArgumentException>(() => model.Evaluate(beta, new double[5], new double[4]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("2 inputs", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.Evaluate(beta, new double[6], new double[5]));
        Assert.Equal("f", e.ParamName);
        Assert.Contains("need 6", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.EvaluateJacobianBeta(beta, new double[6], new double[3 * 2 * 4]));
        Assert.Equal("jacobian", e.ParamName);
        Assert.Contains("[2, 5]", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.EvaluateJacobianX(beta, new double[6], new double[3 * 2 * 3]));
        Assert.Contains("[2, 2]", e.Message);
    }

    [Fact]
    public void TheFormIsDescribedByItsProperties()
    {
        var model = TwoInTwoOut(perObservation: true, threadSafe: false);
        Assert.Equal(2, model.Inputs);
        Assert.Equal(2, model.Responses);
        Assert.True(model.HasJacobianBeta);
        Assert.True(model.HasJacobianX);
        Assert.False(model.IsImplicit);
        Assert.Null(TwoInTwoOut(perObservation: false, threadSafe: false).Inputs);
        Assert.Equal(1, new Model((b, x) => b[0] * x).Inputs);
        Assert.True(EllipseModel(true, false).IsImplicit);
    }

    /// <summary>The adapter allocates nothing per call: evaluating the model and its Jacobians for
    /// many observations allocates no bytes on this thread.</summary>
    [Fact]
    public void EvaluatingAllocatesNothing()
    {
        var model = TwoInTwoOut(perObservation: true, threadSafe: false);
        var beta = new[] { 1.0, 2, 3, 4, 5 };
        int n = 1000;
        var x = new double[2 * n];
        for (int i = 0; i < x.Length; i++) x[i] = 0.001 * i;
        var f = new double[2 * n];
        var jb = new double[2 * 5 * n];
        var jd = new double[2 * 2 * n];
        void Once()
        {
            model.Evaluate(beta, x, f);
            model.EvaluateJacobianBeta(beta, x, jb);
            model.EvaluateJacobianX(beta, x, jd);
        }

        Once(); // JIT
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Once();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
        Assert.Equal(TwoByTwo(1, beta, x[2 * 7], x[2 * 7 + 1]), f[2 * 7 + 1]);
    }
}
